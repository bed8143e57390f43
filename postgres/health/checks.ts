/**
 * Database health checks: what `npm run health` prints, and what the scheduled check in prod publishes as CloudWatch
 * metrics (the things CloudWatch cannot see from outside: transaction age, vacuum, archiving, partitions, pg_cron,
 * role drift). Runs as the monitor role (pg_monitor). Each check names its threshold; a failed check fails the
 * command, a warning is counted in the summary.
 */
import { cacheHitRatio, indexBloat, invalidIndexes, unusedIndexes, walArchive } from "./indexChecks";
import type { Queryable } from "./restoreValidation";
import { slots, standbys } from "./replication";
import {
    cronJobs,
    defaultPartitions,
    largeObjects,
    partitionMaintenance,
    partitionsPremade,
    roleSettings,
} from "./schemaChecks";
import {
    blockedLocks,
    connections,
    deadTuples,
    idleInTransaction,
    longestTransaction,
    ssl,
    transactionIdAge,
} from "./serverChecks";
import { type Check, type CheckResult, DEFAULT_THRESHOLDS, type HealthThresholds } from "./types";

export { HOT_TABLES } from "./serverChecks";
export { type CheckResult, DEFAULT_THRESHOLDS, type HealthThresholds, type Status } from "./types";

/** Every check, in the order the report lists them. */
export const HEALTH_CHECKS: ReadonlyArray<{ readonly name: string; readonly run: Check }> = [
    { name: "ssl", run: ssl },
    { name: "connections", run: connections },
    { name: "longest transaction", run: longestTransaction },
    { name: "idle in transaction", run: idleInTransaction },
    { name: "blocked locks", run: blockedLocks },
    { name: "transaction ID age", run: transactionIdAge },
    { name: "dead tuples (hot tables)", run: deadTuples },
    { name: "index bloat (estimate)", run: indexBloat },
    { name: "invalid indexes", run: invalidIndexes },
    { name: "unused indexes", run: unusedIndexes },
    { name: "cache hit ratio", run: cacheHitRatio },
    { name: "WAL archive and replication", run: walArchive },
    { name: "standbys", run: standbys },
    { name: "replication slots", run: slots },
    { name: "partitions premade ahead", run: partitionsPremade },
    { name: "partition maintenance", run: partitionMaintenance },
    { name: "default partitions empty", run: defaultPartitions },
    { name: "pg_cron jobs", run: cronJobs },
    { name: "role settings", run: roleSettings },
    { name: "large objects", run: largeObjects },
];

export interface HealthReport {
    readonly checks: readonly CheckResult[];
    readonly topStatements: ReadonlyArray<{
        readonly query: string;
        readonly calls: number;
        readonly meanMs: number;
        readonly totalMs: number;
    }>;
    readonly ok: boolean;
}

/** Runs one check; a check that cannot run (its query fails) is a failure that says why. */
async function runOne(name: string, check: Check, ctx: Parameters<Check>[0]): Promise<CheckResult> {
    try {
        return await check(ctx);
    } catch (e) {
        return { check: name, status: "fail", value: `could not run: ${(e as Error).message}`, threshold: "runs" };
    }
}

async function topStatements(db: Queryable): Promise<HealthReport["topStatements"]> {
    const top = await db
        .query(`SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query, calls::bigint AS calls, mean_exec_time AS mean, total_exec_time AS total
        FROM ext.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 5`)
        .catch(() => ({ rows: [] as Array<Record<string, unknown>> }));
    return top.rows.map((r) => ({
        query: String(r.query),
        calls: Number(r.calls),
        meanMs: Number(r.mean),
        totalMs: Number(r.total),
    }));
}

/** Runs every check, one after another on the one connection. */
export async function runHealth(
    db: Queryable,
    tls: { verified: boolean; mode: string },
    overrides: Partial<HealthThresholds> = {},
): Promise<HealthReport> {
    const ctx = { db, tls, t: { ...DEFAULT_THRESHOLDS, ...overrides } };
    const checks: CheckResult[] = [];
    for (const { name, run } of HEALTH_CHECKS) checks.push(await runOne(name, run, ctx));
    return { checks, topStatements: await topStatements(db), ok: checks.every((c) => c.status !== "fail") };
}

/** Pure: the report's last line, with warnings counted and named next to the passes. */
export function summarize(report: Pick<HealthReport, "checks">): string {
    const by = (s: string) => report.checks.filter((c) => c.status === s);
    const [failed, warned] = [by("fail"), by("warn")];
    const names = (cs: readonly CheckResult[]) => cs.map((c) => c.check).join(", ");
    if (failed.length > 0)
        return `${failed.length} check(s) failed: ${failed.map((c) => `${c.check} (${c.value}; threshold ${c.threshold})`).join("; ")}`;
    if (warned.length > 0)
        return `${report.checks.length - warned.length} of ${report.checks.length} checks passed, ${warned.length} warned: ${names(warned)}`;
    return `all ${report.checks.length} checks passed`;
}
