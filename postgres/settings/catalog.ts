/**
 * The PostgreSQL settings of the platform: one typed source, rendered to the RDS parameter group, the Docker
 * container's postgresql.conf and the local cluster (render.ts). Values are in each parameter's base unit as
 * pg_settings reports it (8 kB pages, kB, MB, ms, s), because that is the form both RDS and postgresql.conf take
 * without unit parsing, and what `pg_settings.setting` reads back.
 *
 * `apply` says whether a change needs a restart (static: pg_settings.context = postmaster) or not (dynamic);
 * a real-server test checks every entry against pg_settings.context.
 */
import { instanceClass } from "../instanceClasses";
import { preloadLibraries } from "../extensions";
import { sizeFor, type Sizing } from "./sizing";

export type SettingValue = number | boolean | string;

/** Where a setting is rendered: everywhere, only to RDS (rds.*), or only to servers we run ourselves. */
export type Platform = "all" | "rds" | "self-managed";

export type SettingGroup =
    | "memory"
    | "connections"
    | "autovacuum"
    | "logging"
    | "monitoring"
    | "security"
    | "safety"
    | "wal"
    | "planner"
    | "extensions"
    | "replication";

export interface Setting {
    readonly name: string;
    readonly value: SettingValue;
    readonly apply: "static" | "dynamic";
    readonly platform: Platform;
    readonly group: SettingGroup;
    /** Why this value, in one sentence. */
    readonly reason: string;
    /** Documentation the value rests on. */
    readonly source: string;
}

export interface SettingsInput {
    readonly environment: "dev" | "prod";
    /** RDS instance class the server is sized as (Docker and local are sized as the dev class). */
    readonly instanceClass: string;
    /** Database pg_cron runs its jobs in. */
    readonly databaseName: string;
    /** Libraries the platform already preloads; the declared ones are merged after them. Default none. */
    readonly existingPreloadLibraries?: readonly string[];
}

/** The role whose grants decide what pgaudit object-audits (the users table); created by the role model. */
export const PGAUDIT_OBJECT_ROLE = "metacortex_pgaudit";

/** Slow-statement threshold per environment, ms. Prod: 500 (inside the 250 to 1000 band); dev logs more. */
export const SLOW_STATEMENT_MS: Readonly<Record<"dev" | "prod", number>> = { dev: 250, prod: 500 };

/** Default statement_timeout for sessions that do not override it, ms. The app role gets a shorter one. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
/** idle_in_transaction_session_timeout, ms: a forgotten transaction holds locks and blocks vacuum. */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** lock_timeout for every session that does not set its own, ms: below the app role's 5 s statement_timeout. */
export const LOCK_TIMEOUT_MS = 3000;
/** temp_file_limit, kB (2 GiB). */
export const TEMP_FILE_LIMIT_KB = 2 * 1024 * 1024;

const PG = "https://www.postgresql.org/docs/15/";
const RDS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/";
const doc = {
    resource: `${PG}runtime-config-resource.html`,
    connection: `${PG}runtime-config-connection.html`,
    autovacuum: `${PG}runtime-config-autovacuum.html`,
    logging: `${PG}runtime-config-logging.html`,
    stats: `${PG}runtime-config-statistics.html`,
    client: `${PG}runtime-config-client.html`,
    wal: `${PG}runtime-config-wal.html`,
    query: `${PG}runtime-config-query.html`,
    locks: `${PG}runtime-config-locks.html`,
    pgss: `${PG}pgstatstatements.html`,
    autoExplain: `${PG}auto-explain.html`,
    pgaudit: "https://github.com/pgaudit/pgaudit/blob/1.7.0/README.md",
    pgCron: "https://github.com/citusdata/pg_cron#setting-up-pg_cron",
    rdsSsl: `${RDS}PostgreSQL.Concepts.General.SSL.html`,
    rdsScram: `${RDS}PostgreSQL_Password_Encryption_configuration.html`,
    rdsLogs: `${RDS}USER_LogAccess.Concepts.PostgreSQL.html`,
    replication: `${PG}runtime-config-replication.html#RUNTIME-CONFIG-REPLICATION-STANDBY`,
    conflicts: `${PG}hot-standby.html#HOT-STANDBY-CONFLICT`,
};

/** max_standby_streaming_delay (and the archive one), ms: how long replay waits for a conflicting standby query. */
export const MAX_STANDBY_DELAY_MS = 30_000;

/**
 * Pure: the standby's own settings. Only a server in recovery reads them and a primary ignores them, so every
 * standby gets the same rows: an RDS read replica's parameter group and a local streaming standby's
 * postgresql.conf alike. A standby's full settings are the primary's catalog for its class plus these
 * (standby.ts adds the parameters a hot standby must keep at least at the primary's values).
 */
export function standbySettings(): Setting[] {
    const row = (name: string, value: SettingValue, reason: string, source: string): Setting => ({
        name,
        value,
        apply: "dynamic",
        platform: "all",
        group: "replication",
        reason,
        source,
    });
    return [
        row(
            "hot_standby_feedback",
            true,
            "the standby tells the primary which rows its queries still read, so vacuum keeps them and replay does not cancel the query; the price is bloat on the primary while a long standby query runs, which the roles' statement timeouts bound",
            doc.replication,
        ),
        row(
            "max_standby_streaming_delay",
            MAX_STANDBY_DELAY_MS,
            "a query that still conflicts with replay (a lock taken by DDL or by vacuum truncating a table) gets 30 s before it is cancelled, so replay, and the lag, waits at most that long; the replica lag alarm starts above it",
            doc.conflicts,
        ),
        row(
            "max_standby_archive_delay",
            MAX_STANDBY_DELAY_MS,
            "the same limit while a standby replays WAL from the archive (catching up after streaming broke, as RDS replicas do from S3)",
            doc.conflicts,
        ),
    ];
}

/** Pure: the full settings for an environment and instance class. */
export function postgresSettings(input: SettingsInput): Setting[] {
    const cls = instanceClass(input.instanceClass);
    const size: Sizing = sizeFor(cls);
    const slowMs = SLOW_STATEMENT_MS[input.environment];
    const s = (
        name: string,
        value: SettingValue,
        apply: Setting["apply"],
        group: SettingGroup,
        reason: string,
        source: string,
        platform: Platform = "all",
    ): Setting => ({ name, value, apply, platform, group, reason, source });

    return [
        // Memory, sized from the class (sizing.ts).
        s(
            "shared_buffers",
            size.sharedBuffersPages,
            "static",
            "memory",
            "25% of RAM, as RDS's default formula ({DBInstanceClassMemory/32768} pages)",
            doc.resource,
        ),
        s(
            "effective_cache_size",
            size.effectiveCacheSizePages,
            "dynamic",
            "memory",
            "75% of RAM: shared buffers plus the OS cache the planner can expect",
            doc.query,
        ),
        s(
            "work_mem",
            size.workMemKiB,
            "dynamic",
            "memory",
            "RAM outside shared_buffers over 3 sorts per connection, 4 to 64 MiB",
            doc.resource,
        ),
        s(
            "maintenance_work_mem",
            size.maintenanceWorkMemKiB,
            "dynamic",
            "memory",
            "RAM/16 (64 MiB to 2 GiB): faster VACUUM and index builds",
            doc.resource,
        ),

        // Connections.
        s(
            "max_connections",
            size.maxConnections,
            "static",
            "connections",
            "25 per GiB (100 to 5000): clients arrive through PgBouncer, so fewer, busier backends",
            doc.connection,
        ),
        s(
            "superuser_reserved_connections",
            size.superuserReservedConnections,
            "static",
            "connections",
            "lets an administrator in when the app has used every other slot",
            doc.connection,
        ),
        s(
            "tcp_keepalives_idle",
            60,
            "dynamic",
            "connections",
            "notice dead clients (a killed pod, a NAT timeout) within minutes, not hours",
            doc.connection,
        ),
        s(
            "tcp_keepalives_interval",
            10,
            "dynamic",
            "connections",
            "with tcp_keepalives_count, declares a silent peer dead after about 60 s more",
            doc.connection,
        ),
        s("tcp_keepalives_count", 6, "dynamic", "connections", "see tcp_keepalives_interval", doc.connection),

        // Autovacuum for an OLTP workload with hot task tables and an append-only check-in table.
        s(
            "autovacuum_max_workers",
            size.autovacuumMaxWorkers,
            "static",
            "autovacuum",
            "vCPUs/2, at least 3: many partitions and hot tables need parallel workers",
            doc.autovacuum,
        ),
        s(
            "autovacuum_naptime",
            15,
            "dynamic",
            "autovacuum",
            "check every 15 s (default 60): tasks are updated constantly",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_scale_factor",
            0.05,
            "dynamic",
            "autovacuum",
            "vacuum at 5% dead rows (default 20%): keeps hot tables and their indexes small",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_threshold",
            50,
            "dynamic",
            "autovacuum",
            "PostgreSQL default; small tables are vacuumed on the threshold",
            doc.autovacuum,
        ),
        s(
            "autovacuum_analyze_scale_factor",
            0.02,
            "dynamic",
            "autovacuum",
            "re-analyze at 2% change so status/due-date statistics stay current",
            doc.autovacuum,
        ),
        s("autovacuum_analyze_threshold", 50, "dynamic", "autovacuum", "PostgreSQL default", doc.autovacuum),
        s(
            "autovacuum_vacuum_insert_scale_factor",
            0.05,
            "dynamic",
            "autovacuum",
            "append-only check-ins and audit rows get vacuumed (visibility map, freezing) at 5% new rows",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_insert_threshold",
            1000,
            "dynamic",
            "autovacuum",
            "PostgreSQL default floor for the insert trigger",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_cost_limit",
            2000,
            "dynamic",
            "autovacuum",
            "10x the default budget: gp3's 3000 baseline IOPS can take it, and lagging vacuum costs more",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_cost_delay",
            2,
            "dynamic",
            "autovacuum",
            "PostgreSQL 12+ default of 2 ms, stated so that it cannot drift",
            doc.autovacuum,
        ),
        s(
            "log_autovacuum_min_duration",
            1000,
            "dynamic",
            "autovacuum",
            "log autovacuum runs over 1 s: feeds the hot-table autovacuum metric",
            doc.logging,
        ),

        // Slow queries and monitoring.
        s(
            "log_min_duration_statement",
            slowMs,
            "dynamic",
            "logging",
            `log statements over ${slowMs} ms (${input.environment})`,
            doc.logging,
        ),
        s(
            "auto_explain.log_min_duration",
            slowMs,
            "dynamic",
            "monitoring",
            "plan of every statement that is logged as slow",
            doc.autoExplain,
        ),
        s(
            "auto_explain.log_analyze",
            true,
            "dynamic",
            "monitoring",
            "actual row counts in the logged plan",
            doc.autoExplain,
        ),
        s(
            "auto_explain.log_timing",
            false,
            "dynamic",
            "monitoring",
            "per-node timing off: log_analyze without the clock-call overhead",
            doc.autoExplain,
        ),
        s(
            "auto_explain.log_buffers",
            true,
            "dynamic",
            "monitoring",
            "buffer counts show whether a slow plan read from disk",
            doc.autoExplain,
        ),
        s(
            "auto_explain.log_format",
            "json",
            "dynamic",
            "monitoring",
            "machine-readable plans for CloudWatch Logs Insights",
            doc.autoExplain,
        ),
        s(
            "auto_explain.log_nested_statements",
            true,
            "dynamic",
            "monitoring",
            "plans of statements inside functions and triggers too",
            doc.autoExplain,
        ),
        s(
            "pg_stat_statements.track",
            "all",
            "dynamic",
            "monitoring",
            "include statements inside functions (audit triggers, purge)",
            doc.pgss,
        ),
        s(
            "pg_stat_statements.max",
            10000,
            "static",
            "monitoring",
            "room for the ORM's many distinct statements before eviction",
            doc.pgss,
        ),
        s(
            "pg_stat_statements.track_utility",
            false,
            "dynamic",
            "monitoring",
            "skip SET/BEGIN noise from the per-transaction tenant call",
            doc.pgss,
        ),
        s(
            "track_io_timing",
            true,
            "dynamic",
            "monitoring",
            "I/O time per statement and table; cheap on Graviton clocks",
            doc.stats,
        ),
        s(
            "track_activity_query_size",
            4096,
            "static",
            "monitoring",
            "full ORM statements in pg_stat_activity (default 1024 bytes cuts them)",
            doc.stats,
        ),
        s(
            "log_parameter_max_length",
            0,
            "dynamic",
            "logging",
            "slow-statement lines never carry bind values: they hold note text and other personal data",
            doc.logging,
        ),
        s(
            "log_parameter_max_length_on_error",
            0,
            "dynamic",
            "logging",
            "error lines never carry bind values either",
            doc.logging,
        ),
        s("log_lock_waits", true, "dynamic", "logging", "log waits longer than deadlock_timeout (1 s)", doc.logging),
        s(
            "log_temp_files",
            8192,
            "dynamic",
            "logging",
            "log spills over 8 MiB: a sign work_mem or a query needs attention",
            doc.logging,
        ),
        s(
            "log_checkpoints",
            true,
            "dynamic",
            "logging",
            "checkpoint frequency and cause feed the checkpoints-too-frequent metric",
            doc.logging,
        ),
        s(
            "log_connections",
            true,
            "dynamic",
            "logging",
            "who connected from where (and with which application_name)",
            doc.logging,
        ),
        s("log_disconnections", true, "dynamic", "logging", "session length; pairs with log_connections", doc.logging),
        s(
            "log_line_prefix",
            "%m [%p] %q%u@%d app=%a client=%h ",
            "dynamic",
            "logging",
            "time, pid, user, database, application and client; RDS fixes its own '%t:%r:%u@%d:[%p]:'",
            doc.rdsLogs,
            "self-managed",
        ),
        s("log_timezone", "UTC", "dynamic", "logging", "one clock for every log", doc.logging),
        s(
            "timezone",
            "UTC",
            "dynamic",
            "safety",
            "timestamps are stored as timestamptz; sessions convert per user",
            doc.client,
        ),

        // Security.
        s(
            "ssl",
            true,
            "dynamic",
            "security",
            "TLS for every connection; pg_hba allows hostssl only",
            doc.rdsSsl,
            "self-managed",
        ),
        s("ssl_min_protocol_version", "TLSv1.2", "dynamic", "security", "no TLS 1.0/1.1", doc.rdsSsl),
        s(
            "password_encryption",
            "scram-sha-256",
            "dynamic",
            "security",
            "SCRAM verifiers only; md5 is refused",
            doc.rdsScram,
        ),
        s("rds.force_ssl", true, "dynamic", "security", "RDS refuses non-SSL connections", doc.rdsSsl, "rds"),
        s(
            "rds.accepted_password_auth_method",
            "scram",
            "dynamic",
            "security",
            "RDS accepts SCRAM only, not md5",
            doc.rdsScram,
            "rds",
        ),

        // Safety.
        s(
            "idle_in_transaction_session_timeout",
            IDLE_IN_TRANSACTION_TIMEOUT_MS,
            "dynamic",
            "safety",
            "end sessions idle in a transaction for 60 s: they hold locks and block vacuum",
            doc.client,
        ),
        s(
            "statement_timeout",
            DEFAULT_STATEMENT_TIMEOUT_MS,
            "dynamic",
            "safety",
            "60 s safety net; the app role sets 5 s and the migrator 0 (ALTER ROLE ... SET)",
            doc.client,
        ),
        s(
            "lock_timeout",
            LOCK_TIMEOUT_MS,
            "dynamic",
            "safety",
            "a session waits 3 s at most for a lock: a LOCK TABLE or a DDL cannot queue every tenant's queries behind it (migrations set their own)",
            doc.client,
        ),
        s(
            "temp_file_limit",
            TEMP_FILE_LIMIT_KB,
            "dynamic",
            "safety",
            "a runaway sort or hash errors after 2 GiB of temporary files instead of filling the disk; superuser-only, so a session cannot lift it",
            doc.resource,
        ),
        s(
            "client_connection_check_interval",
            2000,
            "dynamic",
            "safety",
            "a statement whose client is gone (PgBouncer's query_timeout closes the server connection) stops within 2 s instead of running on",
            doc.connection,
        ),
        s(
            "deadlock_timeout",
            1000,
            "dynamic",
            "safety",
            "PostgreSQL default; also the log_lock_waits threshold",
            doc.locks,
        ),

        // WAL and checkpoints.
        s(
            "checkpoint_timeout",
            900,
            "dynamic",
            "wal",
            "15 min: fewer full-page writes than the 5 min default",
            doc.wal,
        ),
        s("max_wal_size", 4096, "dynamic", "wal", "4 GB so checkpoints are timed, not forced by WAL volume", doc.wal),
        s("min_wal_size", 1024, "dynamic", "wal", "keep 1 GB of WAL segments for reuse", doc.wal),
        s(
            "checkpoint_completion_target",
            0.9,
            "dynamic",
            "wal",
            "spread checkpoint writes (the PostgreSQL 14+ default, stated)",
            doc.wal,
        ),

        // Planner and parallelism for SSD storage and a small number of cores.
        s(
            "random_page_cost",
            1.1,
            "dynamic",
            "planner",
            "gp3/SSD: random reads cost nearly what sequential ones do",
            doc.query,
        ),
        s(
            "effective_io_concurrency",
            200,
            "dynamic",
            "planner",
            "SSD storage can serve many concurrent prefetches",
            doc.resource,
        ),
        s("jit", false, "dynamic", "planner", "OLTP queries are short; JIT compile time would dominate", doc.query),
        s(
            "max_worker_processes",
            size.maxWorkerProcesses,
            "static",
            "planner",
            "vCPUs + 4, at least 8: parallel query, pg_cron and autovacuum share it",
            doc.resource,
        ),
        s(
            "max_parallel_workers",
            size.maxParallelWorkers,
            "dynamic",
            "planner",
            "at most one parallel worker per vCPU",
            doc.resource,
        ),
        s(
            "max_parallel_workers_per_gather",
            size.maxParallelWorkersPerGather,
            "dynamic",
            "planner",
            "vCPUs/2 (1 to 4): reports may go parallel without starving OLTP",
            doc.resource,
        ),

        // Extensions.
        s(
            "shared_preload_libraries",
            preloadLibraries(input.existingPreloadLibraries ?? []).join(","),
            "static",
            "extensions",
            "computed from the declared extensions (postgres/extensions.ts), merged",
            doc.resource,
        ),
        s(
            "cron.database_name",
            input.databaseName,
            "static",
            "extensions",
            "pg_cron runs partition maintenance in the app database",
            doc.pgCron,
        ),
        s(
            "cron.use_background_workers",
            true,
            "static",
            "extensions",
            "jobs run in background workers, not over a libpq connection that would need a password and TLS; RDS runs pg_cron its own way",
            doc.pgCron,
            "self-managed",
        ),
        s(
            "pgaudit.log",
            "ddl,role",
            "dynamic",
            "security",
            "every schema and role change, whoever makes it",
            doc.pgaudit,
        ),
        s("pgaudit.log_catalog", false, "dynamic", "security", "skip catalog queries from psql and tools", doc.pgaudit),
        s(
            "pgaudit.log_parameter",
            false,
            "dynamic",
            "security",
            "never log bind parameters: they may hold personal data",
            doc.pgaudit,
        ),
        s("pgaudit.log_relation", true, "dynamic", "security", "one record per relation touched", doc.pgaudit),
        s(
            "pgaudit.role",
            PGAUDIT_OBJECT_ROLE,
            "dynamic",
            "security",
            "object audit of the users table through this role's grants",
            doc.pgaudit,
        ),
    ];
}
