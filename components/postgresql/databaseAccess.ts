import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { loginRoles, type RoleModel } from "../../postgres/roles/model";
import { scramVerifier } from "../../postgres/roles/scram";

export interface AdminConnection {
    /** Host name; must match the server certificate (verify-full). */
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    /** The admin (RDS master / container superuser) name. */
    readonly username: string;
    /** Its password (a secret). */
    readonly password: pulumi.Input<string>;
    /** CA bundle file the server certificate is verified against. */
    readonly caPath: pulumi.Input<string>;
    /** True for a real superuser (Docker, local); false on RDS, whose master is rds_superuser. */
    readonly superuser: boolean;
}

export interface DatabaseAccessArgs {
    /** The role model (postgres/roles/model.ts): roles, schemas, extensions, grants, default privileges. */
    readonly model: RoleModel;
    /** How to reach the database as its admin; always sslmode=verify-full. */
    readonly admin: AdminConnection;
}

/** A login role's credentials: the name and its generated password (a secret). */
export interface RoleCredentials {
    readonly username: string;
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
    readonly verifiers: Record<string, pulumi.Output<string>> = {};

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

        this.credentials = {};
        const roles: postgresql.Role[] = [];
        const byName = new Map<string, postgresql.Role>();
        for (const spec of model.roles) {
            let password: pulumi.Output<string> | undefined;
            if (spec.login) {
                const generated = new random.RandomPassword(
                    `${name}-${spec.key}-password`,
                    { length: 32, special: false },
                    { parent: this },
                );
                const salt = new random.RandomBytes(`${name}-${spec.key}-salt`, { length: 16 }, { parent: this });
                password = pulumi.secret(generated.result);
                this.credentials[spec.key] = { username: spec.name, password };
                const verifier = pulumi.secret(
                    pulumi
                        .all([generated.result, salt.base64])
                        .apply(([pw, s]) => scramVerifier(pw, Buffer.from(s, "base64"))),
                );
                password = verifier;
                this.verifiers[spec.name] = verifier;
            }
            roles.push(
                new postgresql.Role(
                    `${name}-role-${spec.key}`,
                    {
                        name: spec.name,
                        login: spec.login,
                        password,
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
                    // A role is created after the roles it is a member of (the owner before the migrator).
                    child(spec.memberOf.flatMap((m) => byName.get(m) ?? [])),
                ),
            );
            byName.set(spec.name, roles[roles.length - 1]);
        }

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

        // PUBLIC gets nothing: no CONNECT/TEMPORARY on the database, nothing in public.
        new postgresql.Grant(
            `${name}-revoke-public-database`,
            { database: model.database, role: "public", objectType: "database", privileges: [] },
            child(ready),
        );
        new postgresql.Grant(
            `${name}-revoke-public-schema`,
            { database: model.database, role: "public", objectType: "schema", schema: "public", privileges: [] },
            child(ready),
        );
        for (const other of model.closedDatabases)
            new postgresql.Grant(
                `${name}-revoke-public-${other}`,
                { database: other, role: "public", objectType: "database", privileges: [] },
                child(ready),
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
                child(ready),
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
                child(ready),
            );
        });
        this.registerOutputs({ roles: loginRoles(model).map((r) => r.name) });
    }
}
