/**
 * Pure: what the scheduled health check publishes to CloudWatch (namespace MetaCortex/Database). Every check becomes
 * a metric: its own value where it has one (cache hit ratio, xid age, dead tuples, default-partition rows, cron
 * failures, ...), and for every check its status as `HealthCheckStatus` (0 ok, 1 warn, 2 fail) with a `Check`
 * dimension, so checks without a number (index bloat, invalid indexes, large objects, TLS) show on the dashboard too.
 */
import type { CheckResult, Status } from "../health/types";

export const HEALTH_NAMESPACE = "MetaCortex/Database";

/** HealthCheckStatus values. */
export const STATUS_VALUE: Readonly<Record<Status, number>> = { ok: 0, warn: 1, fail: 2 };

export interface MetricDatum {
    readonly name: string;
    readonly value: number;
    readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * The dimension every datum carries: the RDS instance's identifier, or an Aurora cluster's (the health check connects
 * through the cluster endpoint, so its findings belong to the cluster, whichever instance is the writer).
 */
export type HealthTarget = { readonly DBInstanceIdentifier: string } | { readonly DBClusterIdentifier: string };

/** Pure: the health check's dimension for an Aurora cluster when there is one, else for the RDS instance. */
export function healthTarget(clusterId: string | undefined, instanceId: string | undefined): HealthTarget {
    if (clusterId) return { DBClusterIdentifier: clusterId };
    if (!instanceId) throw new Error("health check: neither DB_CLUSTER_ID nor DB_INSTANCE_ID is set");
    return { DBInstanceIdentifier: instanceId };
}

/** Pure: every datum one run publishes for `target`, with its latest restorable time (RPO freshness). */
export function healthMetrics(
    checks: readonly CheckResult[],
    target: HealthTarget,
    latestRestorable: Date | undefined,
    now: Date,
): MetricDatum[] {
    const dimensions: Readonly<Record<string, string>> = target;
    return [
        ...checks
            .filter((c) => c.metric && Number.isFinite(c.metric.value))
            .map((c) => ({ name: c.metric!.name, value: c.metric!.value, dimensions })),
        ...checks.map((c) => ({
            name: "HealthCheckStatus",
            value: STATUS_VALUE[c.status],
            dimensions: { ...dimensions, Check: c.check },
        })),
        {
            name: "SecondsSinceLatestRestorableTime",
            // No restorable time at all is as bad as it gets: a large age, so the RPO alarm fires.
            value: latestRestorable ? (now.getTime() - latestRestorable.getTime()) / 1000 : 1e9,
            dimensions,
        },
        { name: "HealthChecksFailing", value: checks.filter((c) => c.status === "fail").length, dimensions },
    ];
}

/** Pure: `items` in groups of at most `size` (PutMetricData takes a bounded number of data per call). */
export function batches<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}
