/**
 * The settings catalog's vocabulary: what a setting is, the values several rows and other packages share, the
 * documentation each row cites, and how a row is written. catalog.ts composes the rows (settings/rows/).
 */
import type { Sizing } from "./sizing";

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
    /** `aurora` sizes work_mem around Aurora's own, larger shared_buffers (sizing.ts). Default `rds`. */
    readonly engine?: "rds" | "aurora";
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

/** max_standby_streaming_delay (and the archive one), ms: how long replay waits for a conflicting standby query. */
export const MAX_STANDBY_DELAY_MS = 30_000;

export const PG = "https://www.postgresql.org/docs/15/";
export const RDS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/";
export const doc = {
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

/** What a group of rows is computed from: the input, the sizing of its class, the slow-statement threshold. */
export interface RowContext {
    readonly input: SettingsInput;
    readonly size: Sizing;
    readonly slowMs: number;
}

/** One row of the catalog. */
export function s(
    name: string,
    value: SettingValue,
    apply: Setting["apply"],
    group: SettingGroup,
    reason: string,
    source: string,
    platform: Platform = "all",
): Setting {
    return { name, value, apply, platform, group, reason, source };
}
