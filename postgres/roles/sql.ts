/**
 * Pure: the role model as idempotent SQL, for the local environment and the tests (the stacks render the same model
 * to @pulumi/postgresql resources). Run as a superuser (or rds_superuser) against the application database.
 * Re-running converges: attributes and per-role settings are reset to the model, never accumulated.
 */
import type { DefaultPrivilegeSpec, GrantSpec, ReplicationRoleSpec, RoleModel, RoleSettings } from "./model";

const ident = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Pure: a role's settings as pg_db_role_setting stores them (`name` to `value`), for the drift check. */
export function declaredRoleSettings(s: RoleSettings): Record<string, string> {
    const out: Record<string, string> = {};
    if (s.assumeRole !== undefined) out.role = s.assumeRole;
    if (s.searchPath !== undefined) out.search_path = s.searchPath.join(", ");
    if (s.statementTimeoutMs !== undefined) out.statement_timeout = String(s.statementTimeoutMs);
    if (s.idleInTransactionTimeoutMs !== undefined)
        out.idle_in_transaction_session_timeout = String(s.idleInTransactionTimeoutMs);
    return out;
}

/** Pure: the `ALTER ROLE ... SET` lines for a role's settings (search_path as a list of identifiers). */
export function roleSettingSql(role: string, s: RoleSettings): string[] {
    const out: string[] = [];
    if (s.assumeRole !== undefined) out.push(`ALTER ROLE ${ident(role)} SET role = ${literal(s.assumeRole)};`);
    if (s.searchPath !== undefined)
        out.push(`ALTER ROLE ${ident(role)} SET search_path = ${s.searchPath.map(ident).join(", ")};`);
    if (s.statementTimeoutMs !== undefined)
        out.push(`ALTER ROLE ${ident(role)} SET statement_timeout = ${s.statementTimeoutMs};`);
    if (s.idleInTransactionTimeoutMs !== undefined)
        out.push(
            `ALTER ROLE ${ident(role)} SET idle_in_transaction_session_timeout = ${s.idleInTransactionTimeoutMs};`,
        );
    return out;
}

/**
 * Pure: the replication role: REPLICATION and LOGIN, nothing else (standbys connect to no database). It keeps the
 * password it has, or none and so cannot log in, until roles/passwords.ts sets one.
 */
export function replicationRoleSql(spec: ReplicationRoleSpec): string[] {
    return [
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(spec.name)}) THEN CREATE ROLE ${ident(spec.name)}; END IF; END $$;`,
        `ALTER ROLE ${ident(spec.name)} WITH NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION NOBYPASSRLS NOINHERIT LOGIN CONNECTION LIMIT ${spec.connectionLimit};`,
        `ALTER ROLE ${ident(spec.name)} RESET ALL;`,
    ];
}

/** The server functions that create a large object (client libraries' lo_creat/lo_import call these). */
export const LARGE_OBJECT_CREATORS = ["lo_creat(integer)", "lo_create(oid)", "lo_from_bytea(oid, bytea)"] as const;

const OBJECT_KEYWORD: Record<GrantSpec["objectType"], string> = {
    database: "DATABASE",
    schema: "SCHEMA",
    table: "TABLES",
    sequence: "SEQUENCES",
    function: "FUNCTIONS",
};

function grantSql(g: GrantSpec, database: string): string {
    const privileges = g.privileges.join(", ");
    switch (g.objectType) {
        case "database":
            return `GRANT ${privileges} ON DATABASE ${ident(database)} TO ${ident(g.role)};`;
        case "schema":
            return `GRANT ${privileges} ON SCHEMA ${ident(g.schema!)} TO ${ident(g.role)};`;
        default: {
            const singular = g.objectType.toUpperCase();
            if (g.objects && g.objects.length > 0) {
                return g.objects
                    .map(
                        (o) =>
                            `GRANT ${privileges} ON ${singular} ${ident(g.schema!)}.${ident(o)} TO ${ident(g.role)};`,
                    )
                    .join("\n");
            }
            return `GRANT ${privileges} ON ALL ${OBJECT_KEYWORD[g.objectType]} IN SCHEMA ${ident(g.schema!)} TO ${ident(g.role)};`;
        }
    }
}

function defaultPrivilegeSql(d: DefaultPrivilegeSpec): string {
    const scope = `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(d.owner)}${d.schema ? ` IN SCHEMA ${ident(d.schema)}` : ""}`;
    const kind = OBJECT_KEYWORD[d.objectType];
    const grantee = d.role === "public" ? "PUBLIC" : ident(d.role);
    if (d.privileges.length === 0) return `${scope} REVOKE ALL ON ${kind} FROM ${grantee};`;
    return `${scope} GRANT ${d.privileges.join(", ")} ON ${kind} TO ${grantee};`;
}

/**
 * Pure: everything but the login roles' passwords, which roles/passwords.ts sets in a session that logs nothing; this
 * script is logged and audited like any DDL. A login role keeps the password it has; the others have none.
 */
export function renderRoleSql(model: RoleModel): string {
    const out: string[] = [
        `-- Role model for database ${model.database}, rendered from postgres/roles/model.ts.`,
        "SET client_min_messages = warning;",
        "",
    ];
    out.push("-- Roles: created if missing, then every attribute set to the model.");
    for (const r of model.roles) {
        out.push(
            `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(r.name)}) THEN CREATE ROLE ${ident(r.name)}; END IF; END $$;`,
        );
        const password = r.login ? "" : " PASSWORD NULL";
        out.push(
            `ALTER ROLE ${ident(r.name)} WITH NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT ${r.login ? "LOGIN" : "NOLOGIN"} CONNECTION LIMIT ${r.connectionLimit}${password};`,
        );
        // A role may have set defaults for itself, everywhere or in this database: both go, then the model's return.
        out.push(`ALTER ROLE ${ident(r.name)} RESET ALL;`);
        out.push(`ALTER ROLE ${ident(r.name)} IN DATABASE ${ident(model.database)} RESET ALL;`);
        out.push(...roleSettingSql(r.name, r.settings));
        for (const m of r.memberOf) out.push(`GRANT ${ident(m)} TO ${ident(r.name)};`);
    }
    out.push(...replicationRoleSql(model.replication));
    out.push("", "-- PUBLIC gets nothing: no CONNECT or TEMPORARY on the database, nothing in public.");
    out.push(
        `REVOKE ALL ON DATABASE ${ident(model.database)} FROM PUBLIC;`,
        "REVOKE ALL ON SCHEMA public FROM PUBLIC;",
    );
    out.push("", "-- Nor on the server's other databases (the admin owns them or is a superuser).");
    for (const d of model.closedDatabases) out.push(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(d)} FROM PUBLIC;`);
    out.push(
        "",
        "-- No large objects: the schema stores none. Only the functions' owner (the bootstrap superuser) can revoke this,",
        "-- so RDS keeps them creatable; the health check counts large objects instead.",
        ...LARGE_OBJECT_CREATORS.map((f) => `REVOKE EXECUTE ON FUNCTION pg_catalog.${f} FROM PUBLIC;`),
    );
    out.push("", "-- Schemas, owned by the owner role.");
    for (const s of model.schemas)
        out.push(
            `CREATE SCHEMA IF NOT EXISTS ${ident(s.name)} AUTHORIZATION ${ident(s.owner)};`,
            `ALTER SCHEMA ${ident(s.name)} OWNER TO ${ident(s.owner)};`,
            `REVOKE ALL ON SCHEMA ${ident(s.name)} FROM PUBLIC;`,
        );
    out.push("", "-- Extensions.");
    for (const e of model.extensions)
        out.push(
            `CREATE EXTENSION IF NOT EXISTS ${ident(e.name)}${e.schema ? ` WITH SCHEMA ${ident(e.schema)}` : ""};`,
        );
    out.push("", "-- Grants.");
    for (const g of model.grants) out.push(grantSql(g, model.database));
    out.push("", "-- Default privileges for objects the owner creates later (migrations).");
    for (const d of model.defaultPrivileges) out.push(defaultPrivilegeSql(d));
    out.push("");
    return out.join("\n");
}
