/** The health checks' shared shapes: a check reads the server through `db` and judges what it finds against `t`. */
import type { Queryable } from "./restoreValidation";

export type Status = "ok" | "warn" | "fail";

export interface CheckResult {
    readonly check: string;
    readonly status: Status;
    /** The measured value, as text. */
    readonly value: string;
    /** The threshold it was judged against, as text. */
    readonly threshold: string;
    readonly detail?: string;
    /** Numeric value for metrics, when the check has one. */
    readonly metric?: { readonly name: string; readonly value: number };
}

export interface HealthThresholds {
    /** Fraction of the connection budget in use that fails. Default 0.9 (warn at 0.8). */
    readonly connectionsFail: number;
    /** Seconds a transaction may stay open. Default 600. */
    readonly longestTransactionSeconds: number;
    /** Seconds a session may sit idle in a transaction. Default 30. */
    readonly idleInTransactionSeconds: number;
    /** Seconds a lock wait may last. Default 5. */
    readonly blockedLockSeconds: number;
    /** Transaction ID age that fails. Default 1,000,000,000 (warn at half). */
    readonly xidAge: number;
    /** Dead-tuple ratio on hot tables that fails. Default 0.2. */
    readonly deadTupleRatio: number;
    /**
     * Seconds a table pg_partman manages may go without a successful maintenance run (app.partition_maintenance).
     * Default 7200: its job runs hourly, so one run has failed or not run and the next is due.
     */
    readonly partitionMaintenanceSeconds: number;
    /** Connection budget (max_connections minus reserved and headroom); default read from the server. */
    readonly connectionBudget?: number;
    /** Seconds a standby's replay may lag. Default 60, as prod's ReplicaLag alarm (warn at half: the conflict delay). */
    readonly replicaLagSeconds: number;
    /** Bytes of WAL a standby may have left to replay. Default 256 MiB (warn at half). */
    readonly replicaLagBytes: number;
    /** WAL an inactive replication slot may hold before it warns. Default 64 MiB (four segments). */
    readonly idleSlotRetainedBytes: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
    connectionsFail: 0.9,
    longestTransactionSeconds: 600,
    idleInTransactionSeconds: 30,
    blockedLockSeconds: 5,
    xidAge: 1_000_000_000,
    deadTupleRatio: 0.2,
    partitionMaintenanceSeconds: 7200,
    replicaLagSeconds: 60,
    replicaLagBytes: 256 * 2 ** 20,
    idleSlotRetainedBytes: 64 * 2 ** 20,
};

export interface CheckContext {
    readonly db: Queryable;
    /** What the client verified (the server only knows whether TLS is on). */
    readonly tls: { readonly verified: boolean; readonly mode: string };
    readonly t: HealthThresholds;
}

/** One check: reads what it needs and returns its verdict. */
export type Check = (ctx: CheckContext) => Promise<CheckResult>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;
export const row = async (db: Queryable, sql: string, params: unknown[] = []): Promise<Row> =>
    (await db.query(sql, params)).rows[0] ?? {};
export const rows = async (db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> =>
    (await db.query(sql, params)).rows;
