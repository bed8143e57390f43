/**
 * Where each parameter of the settings source goes on Aurora PostgreSQL, which configures a cluster at two levels: a
 * DB cluster parameter group applies to every instance, and a DB parameter group per instance overrides it for
 * that instance. AWS publishes which parameters each level offers; Aurora also manages some itself and has no use for
 * others. The Aurora renderer (render.ts) places every parameter by this list and refuses one it does not place, so a
 * new catalog row fails in `npm test` rather than at `pulumi up`.
 *
 * Kept as data, with its sources. To refresh the levels against the live API (needs AWS credentials):
 *   aws rds describe-db-cluster-parameters --db-cluster-parameter-group-name default.aurora-postgresql15 \
 *     --query 'Parameters[].ParameterName' --output text
 *   aws rds describe-db-parameters --db-parameter-group-name default.aurora-postgresql15 \
 *     --query 'Parameters[].ParameterName' --output text
 * and move names between the lists below as that output says.
 */

const AURORA = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/";

export const AURORA_PARAMETER_SOURCES = {
    /** The cluster-level and instance-level tables (names, defaults, and where each is offered). */
    levels: `${AURORA}AuroraPostgreSQL.Reference.ParameterGroups.html`,
    /** The two-level system: the cluster group's values are the defaults an instance's group overrides. */
    groups: `${AURORA}USER_WorkingWithDBClusterParamGroups.html`,
    /** Aurora sizes shared_buffers at about 75% of RAM: it keeps no OS page cache of the data. */
    sharedBuffers: "https://repost.aws/knowledge-center/rds-aurora-postgresql-shared-buffers",
    /** Serverless v2 resizes shared_buffers as it scales and ignores a value set for it. */
    serverless: `${AURORA}aurora-serverless-v2.setting-capacity.html#aurora-serverless-v2.parameters-based-on-scaling`,
    /** "Aurora doesn't issue checkpoints, ever": only log records reach the storage volume. */
    storage: "https://aws.amazon.com/blogs/database/planning-i-o-in-amazon-aurora/",
} as const;

/** The platform's parameters that Aurora PostgreSQL offers in the cluster parameter group only. */
export const AURORA_CLUSTER_ONLY: readonly string[] = [
    "autovacuum_max_workers",
    "autovacuum_naptime",
    "autovacuum_vacuum_scale_factor",
    "autovacuum_vacuum_threshold",
    "autovacuum_analyze_scale_factor",
    "autovacuum_analyze_threshold",
    "autovacuum_vacuum_insert_scale_factor",
    "autovacuum_vacuum_insert_threshold",
    "autovacuum_vacuum_cost_limit",
    "autovacuum_vacuum_cost_delay",
    "log_autovacuum_min_duration",
    "timezone",
    "ssl_min_protocol_version",
    "password_encryption",
    "rds.force_ssl",
    "rds.accepted_password_auth_method",
];

/**
 * The platform's parameters that Aurora offers in both groups and that this platform sets per instance: the ones
 * sized from an instance's memory and vCPUs, and the standby's own rows (only a reader reads them, and a reader of
 * another class may need other values). Every other parameter offered in both goes to the cluster group, once for
 * all instances.
 */
export const AURORA_PER_INSTANCE: readonly string[] = [
    "effective_cache_size",
    "work_mem",
    "maintenance_work_mem",
    "max_connections",
    "superuser_reserved_connections",
    "max_worker_processes",
    "max_parallel_workers",
    "max_parallel_workers_per_gather",
    "hot_standby_feedback",
    "max_standby_streaming_delay",
];

/** The platform's other parameters that Aurora offers in both groups: set once, in the cluster group. */
export const AURORA_CLUSTER_WIDE: readonly string[] = [
    "tcp_keepalives_idle",
    "tcp_keepalives_interval",
    "tcp_keepalives_count",
    "log_min_duration_statement",
    "auto_explain.log_min_duration",
    "auto_explain.log_analyze",
    "auto_explain.log_timing",
    "auto_explain.log_buffers",
    "auto_explain.log_format",
    "auto_explain.log_nested_statements",
    "pg_stat_statements.track",
    "pg_stat_statements.max",
    "pg_stat_statements.track_utility",
    "track_io_timing",
    "track_activity_query_size",
    "log_parameter_max_length",
    "log_parameter_max_length_on_error",
    "log_lock_waits",
    "log_temp_files",
    "log_connections",
    "log_disconnections",
    "log_timezone",
    "lc_messages",
    "idle_in_transaction_session_timeout",
    "statement_timeout",
    "temp_file_limit",
    "client_connection_check_interval",
    "deadlock_timeout",
    "random_page_cost",
    "effective_io_concurrency",
    "shared_preload_libraries",
    "cron.database_name",
    "pgaudit.log",
    "pgaudit.log_catalog",
    "pgaudit.log_parameter",
    "pgaudit.log_relation",
    "pgaudit.role",
];

/** Why a parameter of the source is not set on Aurora, and where that is stated. */
export interface AuroraOmission {
    /** `managed`: Aurora sizes it itself; `storage`: Aurora's storage has no use for it; `absent`: not offered. */
    readonly kind: "managed" | "storage" | "absent";
    readonly reason: string;
    readonly source: string;
}

const storage = (reason: string): AuroraOmission => ({
    kind: "storage",
    reason,
    source: AURORA_PARAMETER_SOURCES.storage,
});
const absent = (reason: string): AuroraOmission => ({
    kind: "absent",
    reason,
    source: AURORA_PARAMETER_SOURCES.levels,
});

/** The source's parameters that no Aurora parameter group carries, each with why. */
export const AURORA_NOT_SET: Readonly<Record<string, AuroraOmission>> = {
    shared_buffers: {
        kind: "managed",
        reason: "Aurora's default is about 75% of RAM, not RDS's 25%: it keeps no OS page cache of the data, so the buffer cache is all the cache there is; Serverless v2 resizes it while scaling and ignores a set value",
        source: AURORA_PARAMETER_SOURCES.sharedBuffers,
    },
    checkpoint_timeout: storage("Aurora never checkpoints: only log records reach the shared storage volume"),
    checkpoint_completion_target: storage("no checkpoints to spread"),
    max_wal_size: storage("no local WAL to bound: the storage volume keeps the log"),
    min_wal_size: storage("no local WAL segments to recycle"),
    log_checkpoints: storage("no checkpoints to log (the checkpoints-too-frequent alarm has nothing to count)"),
    max_standby_archive_delay: storage("readers never replay WAL from an archive: they read the shared volume"),
    lock_timeout: absent(
        "not offered in Aurora PostgreSQL's parameter groups: sessions start at PostgreSQL's 0 (no limit); migrations and the backend set their own",
    ),
    jit: absent("not offered in Aurora PostgreSQL's parameter groups: the engine's default applies"),
};

/** Where a parameter goes on Aurora: a group, or nowhere (with why). */
export type AuroraPlacement = "cluster" | "instance" | AuroraOmission;

/** Pure: the placement of `name`, or undefined when this list does not know it (the renderer then refuses it). */
export function auroraPlacement(name: string): AuroraPlacement | undefined {
    if (Object.hasOwn(AURORA_NOT_SET, name)) return AURORA_NOT_SET[name];
    if (AURORA_PER_INSTANCE.includes(name)) return "instance";
    if (AURORA_CLUSTER_ONLY.includes(name) || AURORA_CLUSTER_WIDE.includes(name)) return "cluster";
    return undefined;
}
