/**
 * The role model, written once as typed data and rendered to @pulumi/postgresql resources (both stacks) and to SQL
 * (local environment and tests), so the model that is deployed is the model that is proven on a real server.
 *
 * Ownership: metacortex_owner (NOLOGIN) owns the schemas and every object in them. The migrator logs in and its
 * sessions run as the owner (`ALTER ROLE ... SET role`), so objects created by migrations are always owner-owned and
 * the default privileges below apply to them. Nobody else owns anything.
 */
import { pooledRoleLimits } from "../pooling/poolSizing";
import { OPERATOR_CONNECTION_LIMITS, sizeFor } from "../settings/sizing";
import { instanceClass } from "../instanceClasses";
import { EXTENSIONS } from "../extensions";

export { ADMIN_ROLE, ROLE, SCHEMA } from "./names";
import { ROLE, SCHEMA } from "./names";

export interface RoleSpec {
    readonly key: keyof typeof ROLE;
    readonly name: string;
    readonly login: boolean;
    /** -1 for no limit. */
    readonly connectionLimit: number;
    /** Roles this one is a member of (inheriting their privileges). */
    readonly memberOf: readonly string[];
    /** Per-role session defaults (`ALTER ROLE ... SET`), as both renderers can express them. */
    readonly settings: RoleSettings;
    readonly purpose: string;
}

export interface RoleSettings {
    /** statement_timeout in ms; 0 = none. Undefined: the server default (60 s). */
    readonly statementTimeoutMs?: number;
    /** idle_in_transaction_session_timeout in ms. Undefined: the server default (60 s). */
    readonly idleInTransactionTimeoutMs?: number;
    readonly searchPath?: readonly string[];
    /** Sessions start as this role (`SET role`): the migrator acts as the owner. */
    readonly assumeRole?: string;
}

export type ObjectType = "database" | "schema" | "table" | "sequence" | "function";

export interface GrantSpec {
    readonly role: string;
    readonly objectType: ObjectType;
    /** Schema for schema-level and object-level grants. */
    readonly schema?: string;
    /** Specific objects; empty means every existing one in the schema. */
    readonly objects?: readonly string[];
    readonly privileges: readonly string[];
}

export interface DefaultPrivilegeSpec {
    /** Grants apply to objects this role creates. */
    readonly owner: string;
    /** Undefined: every schema (the only form that can take away PostgreSQL's built-in defaults). */
    readonly schema?: string;
    readonly objectType: "table" | "sequence" | "function";
    /** A role, or `public`. */
    readonly role: string;
    /** Empty: the role gets nothing (revokes the built-in default). */
    readonly privileges: readonly string[];
}

export interface RoleModel {
    readonly database: string;
    readonly roles: readonly RoleSpec[];
    readonly schemas: ReadonlyArray<{ readonly name: string; readonly owner: string }>;
    /** Extensions in creation order; schema undefined where the extension makes its own (pg_cron). */
    readonly extensions: ReadonlyArray<{ readonly name: string; readonly schema?: string }>;
    readonly grants: readonly GrantSpec[];
    readonly defaultPrivileges: readonly DefaultPrivilegeSpec[];
    /** Other databases of the server that PUBLIC may neither connect to nor create temporary tables in. */
    readonly closedDatabases: readonly string[];
    /** The role standbys stream WAL as, on servers we run ourselves; the stacks do not render it (RDS replicates). */
    readonly replication: ReplicationRoleSpec;
}

/**
 * A role with the REPLICATION attribute and nothing else: no database privileges, no schema, no membership. It can
 * stream WAL and take a base backup, over a `hostssl replication` line of pg_hba only.
 */
export interface ReplicationRoleSpec {
    readonly name: string;
    /** Walsender connections: one per standby plus a base backup's two (pg_basebackup -X stream). */
    readonly connectionLimit: number;
    readonly purpose: string;
}

/** Standbys a server we run ourselves may have: the bound of the readReplicas stack key. */
export const MAX_STANDBYS = 5;

export const REPLICATION_ROLE: ReplicationRoleSpec = {
    name: ROLE.replicator,
    connectionLimit: MAX_STANDBYS + 2,
    purpose: "standbys stream WAL and take base backups as this role (local and test servers; RDS replicates itself)",
};

const DML = ["SELECT", "INSERT", "UPDATE", "DELETE"];

/** Pure: the role model for a database sized as `instanceClassName`. */
export function roleModel(database: string, instanceClassName: string): RoleModel {
    // app and readonly split the budget exactly; the operators' limits fit the admin headroom (settings/sizing.ts).
    const pooled = pooledRoleLimits(sizeFor(instanceClass(instanceClassName)).connectionBudget);
    return {
        database,
        roles: [OWNER, ...loginRoleSpecs(pooled), PGAUDIT],
        schemas: [
            { name: SCHEMA.app, owner: ROLE.owner },
            { name: SCHEMA.audit, owner: ROLE.owner },
            { name: SCHEMA.ext, owner: ROLE.owner },
            { name: SCHEMA.partman, owner: ROLE.owner },
        ],
        extensions: EXTENSIONS.filter((e) => e.create).map((e) => ({ name: e.name, schema: e.schema })),
        grants: grantSpecs(),
        defaultPrivileges: defaultPrivilegeSpecs(),
        closedDatabases: ["postgres", "template1"],
        replication: REPLICATION_ROLE,
    };
}

/** The owner of every schema and object. */
const OWNER: RoleSpec = {
    key: "owner",
    name: ROLE.owner,
    login: false,
    connectionLimit: 0,
    // To end over-age app transactions (app.end_overage_transactions): see their xact_start, signal them.
    memberOf: ["pg_signal_backend", "pg_read_all_stats"],
    settings: {},
    purpose: "owns the schemas and every table; never logs in",
};

/** pgaudit's object-audit role. */
const PGAUDIT: RoleSpec = {
    key: "pgaudit",
    name: ROLE.pgaudit,
    login: false,
    connectionLimit: 0,
    memberOf: [],
    settings: {},
    purpose: "pgaudit object-audit role: its grants name what is audited",
};

/** The login roles, in creation order (the migrator after the owner it is a member of); the app may use the budget. */
function loginRoleSpecs(pooled: Readonly<Record<string, number>>): RoleSpec[] {
    const searchPath = [SCHEMA.app, SCHEMA.ext];
    return [
        {
            key: "migrator",
            name: ROLE.migrator,
            login: true,
            connectionLimit: OPERATOR_CONNECTION_LIMITS.migrator,
            memberOf: [ROLE.owner],
            settings: { assumeRole: ROLE.owner, searchPath, statementTimeoutMs: 0 },
            purpose:
                "runs migrations; its sessions act as the owner, with no statement timeout (each migration sets lock_timeout 5 s)",
        },
        {
            key: "app",
            name: ROLE.app,
            login: true,
            connectionLimit: pooled[ROLE.app],
            memberOf: [],
            settings: { searchPath, statementTimeoutMs: 5000, idleInTransactionTimeoutMs: 30000 },
            purpose: "the backend: DML on app tables through grants, under row-level security",
        },
        {
            key: "readonly",
            name: ROLE.readonly,
            login: true,
            connectionLimit: pooled[ROLE.readonly],
            memberOf: [],
            settings: { searchPath, statementTimeoutMs: 60000 },
            purpose: "support and analytics: SELECT only, still under row-level security",
        },
        {
            key: "auditor",
            name: ROLE.auditor,
            login: true,
            connectionLimit: OPERATOR_CONNECTION_LIMITS.auditor,
            memberOf: [],
            settings: { searchPath: [SCHEMA.audit], statementTimeoutMs: 60000 },
            purpose: "reads the audit schema and nothing else",
        },
        {
            key: "monitor",
            name: ROLE.monitor,
            login: true,
            connectionLimit: OPERATOR_CONNECTION_LIMITS.monitor,
            memberOf: ["pg_monitor"],
            settings: { searchPath: [SCHEMA.ext, "pg_catalog"], statementTimeoutMs: 10000 },
            purpose: "health checks and exporters (pg_monitor)",
        },
    ];
}

/** Database and schema grants, and the grants on extension objects (objects of migrations are granted there). */
function grantSpecs(): GrantSpec[] {
    const connect = (role: string): GrantSpec => ({ role, objectType: "database", privileges: ["CONNECT"] });
    const usage = (role: string, schema: string): GrantSpec => ({
        role,
        objectType: "schema",
        schema,
        privileges: ["USAGE"],
    });
    return [
        { role: ROLE.owner, objectType: "database", privileges: ["CONNECT", "TEMPORARY"] },
        connect(ROLE.migrator),
        connect(ROLE.app),
        connect(ROLE.readonly),
        connect(ROLE.auditor),
        connect(ROLE.monitor),
        // dbmate keeps its version table in public; only the owner may create there.
        { role: ROLE.owner, objectType: "schema", schema: "public", privileges: ["USAGE", "CREATE"] },
        usage(ROLE.app, SCHEMA.ext),
        usage(ROLE.readonly, SCHEMA.ext),
        usage(ROLE.monitor, SCHEMA.ext),
        usage(ROLE.app, SCHEMA.app),
        usage(ROLE.readonly, SCHEMA.app),
        usage(ROLE.auditor, SCHEMA.audit),
        // The health check's functions (app.default_partition_rows and others); no table in app is granted to it.
        usage(ROLE.monitor, SCHEMA.app),
        // pg_partman (in the owner's partman schema, objects created by the superuser) and pg_cron (jobs are the
        // migrator's: pg_cron on PostgreSQL 15 cannot run a job as a NOLOGIN role).
        {
            role: ROLE.owner,
            objectType: "table",
            schema: SCHEMA.partman,
            objects: [],
            privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"],
        },
        { role: ROLE.owner, objectType: "function", schema: SCHEMA.partman, objects: [], privileges: ["EXECUTE"] },
        usage(ROLE.migrator, "cron"),
        // Grants on objects that migrations create (pgaudit's role on app.users, EXECUTE on app functions) are made
        // by those migrations: neither Pulumi nor the bootstrap can grant on a table that does not exist yet.
    ];
}

/** Default privileges on what the owner creates. */
function defaultPrivilegeSpecs(): DefaultPrivilegeSpec[] {
    return [
        { owner: ROLE.owner, schema: SCHEMA.app, objectType: "table", role: ROLE.app, privileges: DML },
        { owner: ROLE.owner, schema: SCHEMA.app, objectType: "table", role: ROLE.readonly, privileges: ["SELECT"] },
        {
            owner: ROLE.owner,
            schema: SCHEMA.app,
            objectType: "sequence",
            role: ROLE.app,
            privileges: ["USAGE", "SELECT"],
        },
        { owner: ROLE.owner, schema: SCHEMA.audit, objectType: "table", role: ROLE.auditor, privileges: ["SELECT"] },
        // Functions the owner creates are not executable by everyone; each migration grants EXECUTE explicitly.
        { owner: ROLE.owner, objectType: "function", role: "public", privileges: [] },
    ];
}

/** The roles that log in (they get passwords and a URL in connections.json). */
export function loginRoles(model: RoleModel): RoleSpec[] {
    return model.roles.filter((r) => r.login);
}

/**
 * Privileges that migrations grant or take away on objects they create, declared here so the drift check can compare
 * the catalog with the model plus these, and nothing else.
 */
export const MIGRATION_PRIVILEGES = {
    /** `schema.function(argtypes)` as regprocedure prints it, to the roles given EXECUTE by the migration that creates it. */
    functionExecute: {
        "app.uuid_generate_v7()": [ROLE.app],
        "app.uuid_v7_timestamp(uuid)": [ROLE.app, ROLE.readonly],
        "app.find_user_for_login(text)": [ROLE.app],
        "app.sign_up(text,text,text,text)": [ROLE.app],
        "app.set_tenant(uuid)": [ROLE.app, ROLE.readonly],
        "app.current_tenant()": [ROLE.app, ROLE.readonly],
        "app.default_partition_rows()": [ROLE.monitor],
        "app.partition_premake()": [ROLE.monitor],
        "app.cron_job_runs()": [ROLE.monitor],
        "audit.verify_chain(uuid)": [ROLE.auditor],
        "audit.entry_hash(uuid,bigint,timestamp with time zone,bigint,uuid,text,text,text,jsonb,jsonb,jsonb,bytea)": [
            ROLE.auditor,
        ],
    } as Record<string, readonly string[]>,
    /** Table privileges beyond the default privileges. */
    tableGrants: [
        { table: "app.users", role: ROLE.pgaudit, privileges: DML },
        // The health check reads when each table's partition maintenance last succeeded.
        { table: "app.partition_maintenance", role: ROLE.monitor, privileges: ["SELECT"] },
    ],
    /** Default privileges taken back: habit check-ins are append-only for the app; maintenance records are the jobs'. */
    tableRevokes: [
        { table: "app.habit_checkins", role: ROLE.app, privileges: ["UPDATE"] },
        { table: "app.partition_maintenance", role: ROLE.app, privileges: DML },
    ],
} as const;
