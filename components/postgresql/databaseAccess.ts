import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loginRoles, type ReplicationRoleSpec, type RoleModel, type RoleSpec } from "../../postgres/roles/model";
import { scramVerifier } from "../../postgres/roles/scram";

export interface AdminConnection {
    /** Host name; must match the server certificate (verify-full). */
    readonly host: pulumi.Input<string>;
    /** Port (TCP): the database's, or the local end of a tunnel. */
    readonly port: pulumi.Input<number>;
    /** The admin (RDS master / container superuser) name: ADMIN_ROLE in this platform. */
    readonly username: string;
    /** Its password (a secret). */
    readonly password: pulumi.Input<string>;
    /** Path of the CA bundle file the server certificate is verified against (the provider reads a file, not PEM). */
    readonly caPath: pulumi.Input<string>;
    /** True for a real superuser (Docker, local); false on RDS, whose master is rds_superuser. */
    readonly superuser: boolean;
}

export interface DatabaseAccessArgs {
    /** The role model (postgres/roles/model.ts): roles, schemas, extensions, grants, default privileges. */
    readonly model: RoleModel;
    /** How to reach the database as its admin; always sslmode=verify-full. */
    readonly admin: AdminConnection;
    /**
     * Create the model's replication role (REPLICATION and LOGIN, a generated password sent as a SCRAM verifier), for
     * standbys this stack runs itself. Default false: no replication role (RDS replicates on its own).
     */
    readonly replicationRole?: boolean;
}

/** A login role's credentials: the name and its generated password (a secret). */
export interface RoleCredentials {
    /** The role's name (RoleSpec.name: ROLE in postgres/roles/model.ts). */
    readonly username: string;
    /** Its generated password (a secret; the server only ever receives its SCRAM verifier). */
    readonly password: pulumi.Output<string>;
}

/**
 * The role model as @pulumi/postgresql resources, in dependency order: roles, then schemas and extensions, then
 * grants and default privileges. Passwords are generated (random provider) and sent as SCRAM verifiers computed here
 * with a salt kept in state, so the server (and pgaudit's ROLE log) never sees a clear-text password and the
 * verifier is stable from one `pulumi up` to the next.
 */
export class DatabaseAccess extends pulumi.ComponentResource {
    readonly provider: postgresql.Provider;
    /** Credentials per login role key (migrator, app, readonly, auditor, monitor). */
    readonly credentials: Record<string, RoleCredentials>;
    /** SCRAM verifier per login role name (secret): what PgBouncer's userlist needs for SCRAM pass-through. */
    readonly verifiers: Record<string, pulumi.Output<string>>;
    /** The replication role and its credentials, when `replicationRole`; undefined otherwise. */
    readonly replication?: { readonly role: postgresql.Role; readonly credentials: RoleCredentials };

    constructor(name: string, args: DatabaseAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:postgres:DatabaseAccess", name, {}, opts);
        const { model, admin } = args;
        this.provider = new postgresql.Provider(
            `${name}-provider`,
            {
                host: admin.host,
                port: admin.port,
                database: model.database,
                username: admin.username,
                password: admin.password,
                sslmode: "verify-full",
                sslrootcert: admin.caPath,
                superuser: admin.superuser,
                connectTimeout: 15,
                maxConnections: 4,
            },
            { parent: this },
        );
        const child = (deps: pulumi.Resource[] = []): pulumi.CustomResourceOptions => ({
            parent: this,
            provider: this.provider,
            dependsOn: deps,
        });
        const logins = Object.fromEntries(loginRoles(model).map((spec) => [spec.key, password(name, spec, this)]));
        this.credentials = Object.fromEntries(
            Object.entries(logins).map(([key, login]) => [key, { username: login.username, password: login.password }]),
        );
        this.verifiers = Object.fromEntries(Object.values(logins).map((login) => [login.username, login.verifier]));
        const roles = createRoles(name, model, logins, child);
        this.replication = args.replicationRole ? replicationRole(name, model.replication, child, this) : undefined;
        const schemas = model.schemas.map(
            (s) =>
                new postgresql.Schema(
                    `${name}-schema-${s.name}`,
                    { name: s.name, owner: s.owner, database: model.database, ifNotExists: true, dropCascade: false },
                    child(roles),
                ),
        );
        const extensions = model.extensions.map(
            (e) =>
                new postgresql.Extension(
                    `${name}-ext-${e.name}`,
                    { name: e.name, schema: e.schema, database: model.database, dropCascade: false },
                    child(schemas),
                ),
        );
        const ready = [...roles, ...schemas, ...extensions];
        grant(name, model, () => child(ready));
        this.registerOutputs({ roles: loginRoles(model).map((r) => r.name) });
    }
}

/** A login role's generated password and the SCRAM verifier the server gets instead of it. */
interface Login extends RoleCredentials {
    /** SCRAM-SHA-256 verifier of the password, with a salt kept in state (a secret). */
    readonly verifier: pulumi.Output<string>;
}

/** The role's password (random provider) and its verifier, from a salt kept in state so it is stable. */
function password(name: string, spec: Pick<RoleSpec, "key" | "name">, parent: pulumi.Resource): Login {
    const generated = new random.RandomPassword(
        `${name}-${spec.key}-password`,
        { length: 32, special: false },
        { parent },
    );
    const salt = new random.RandomBytes(`${name}-${spec.key}-salt`, { length: 16 }, { parent });
    const verifier = pulumi.secret(
        pulumi.all([generated.result, salt.base64]).apply(([pw, s]) => scramVerifier(pw, Buffer.from(s, "base64"))),
    );
    return { username: spec.name, password: pulumi.secret(generated.result), verifier };
}

type ChildOptions = (deps?: pulumi.Resource[]) => pulumi.CustomResourceOptions;

/** The replication role: REPLICATION and LOGIN only, no membership, no privilege, its limit from the model. */
function replicationRole(
    name: string,
    spec: ReplicationRoleSpec,
    child: ChildOptions,
    parent: pulumi.Resource,
): { role: postgresql.Role; credentials: RoleCredentials } {
    const login = password(name, { key: "replicator", name: spec.name }, parent);
    const role = new postgresql.Role(
        `${name}-role-replicator`,
        {
            name: spec.name,
            login: true,
            replication: true,
            password: login.verifier,
            connectionLimit: spec.connectionLimit,
            roles: [],
            inherit: false,
            superuser: false,
            createDatabase: false,
            createRole: false,
            bypassRowLevelSecurity: false,
        },
        child(),
    );
    return { role, credentials: { username: login.username, password: login.password } };
}

/** The roles, each after the roles it is a member of (the owner before the migrator). */
function createRoles(
    name: string,
    model: RoleModel,
    logins: Readonly<Record<string, Login>>,
    child: ChildOptions,
): postgresql.Role[] {
    const byName = new Map<string, postgresql.Role>();
    for (const spec of model.roles) {
        const role = new postgresql.Role(
            `${name}-role-${spec.key}`,
            {
                name: spec.name,
                login: spec.login,
                password: logins[spec.key]?.verifier,
                connectionLimit: spec.connectionLimit,
                roles: [...spec.memberOf],
                inherit: true,
                superuser: false,
                createDatabase: false,
                createRole: false,
                replication: false,
                bypassRowLevelSecurity: false,
                statementTimeout: spec.settings.statementTimeoutMs,
                idleInTransactionSessionTimeout: spec.settings.idleInTransactionTimeoutMs,
                searchPaths: spec.settings.searchPath ? [...spec.settings.searchPath] : undefined,
                assumeRole: spec.settings.assumeRole,
            },
            child(spec.memberOf.flatMap((m) => byName.get(m) ?? [])),
        );
        byName.set(spec.name, role);
    }
    return [...byName.values()];
}

/** PUBLIC's privileges taken away, then the model's grants and default privileges. */
function grant(name: string, model: RoleModel, opts: () => pulumi.CustomResourceOptions): void {
    // PUBLIC gets nothing: no CONNECT/TEMPORARY on the database, nothing in public.
    new postgresql.Grant(
        `${name}-revoke-public-database`,
        { database: model.database, role: "public", objectType: "database", privileges: [] },
        opts(),
    );
    new postgresql.Grant(
        `${name}-revoke-public-schema`,
        { database: model.database, role: "public", objectType: "schema", schema: "public", privileges: [] },
        opts(),
    );
    for (const other of model.closedDatabases)
        new postgresql.Grant(
            `${name}-revoke-public-${other}`,
            { database: other, role: "public", objectType: "database", privileges: [] },
            opts(),
        );
    model.grants.forEach((g, i) => {
        new postgresql.Grant(
            `${name}-grant-${i}-${g.role}-${g.objectType}${g.schema ? `-${g.schema}` : ""}`,
            {
                database: model.database,
                role: g.role,
                objectType: g.objectType,
                schema: g.schema,
                objects: g.objects ? [...g.objects] : undefined,
                privileges: [...g.privileges],
            },
            opts(),
        );
    });
    model.defaultPrivileges.forEach((d, i) => {
        new postgresql.DefaultPrivileges(
            `${name}-default-${i}-${d.role}-${d.objectType}${d.schema ? `-${d.schema}` : ""}`,
            {
                database: model.database,
                owner: d.owner,
                role: d.role,
                schema: d.schema,
                objectType: d.objectType,
                privileges: [...d.privileges],
            },
            opts(),
        );
    });
}
