/**
 * An Aurora cluster's alarm thresholds, from the same numbers as the RDS instance's (thresholds.ts) where the metric
 * means the same, and Aurora's own where it does not: AuroraReplicaLag (milliseconds, per reader),
 * BufferCacheHitRatio (Aurora keeps no OS page cache, so a miss is a read from the storage volume), Deadlocks
 * (a metric of its own, not a log count), and for Serverless v2 ACUUtilization and ServerlessDatabaseCapacity.
 * Storage has no allocated size to run out of: VolumeBytesUsed is watched for growth outside its usual band by the
 * component. Metrics: Amazon Aurora User Guide, "Amazon CloudWatch metrics for Amazon Aurora".
 *
 * Every threshold has a scope: `instance` alarms once per DB instance (writer and readers alike: after a failover a
 * reader is the writer), `writer` once on the cluster's WRITER role (data-wide metrics, which follow the writer),
 * `cluster` once on the cluster (the health check's metrics), `log` once on a log-derived metric.
 */
import { alarmThresholds, type Threshold } from "./thresholds";

/** Which dimensions an Aurora alarm takes. */
export type AuroraScope = "instance" | "writer" | "cluster" | "log";

/** A threshold as thresholds.ts defines one, with its Aurora scope in place of its RDS dimensions. */
export interface AuroraThreshold extends Omit<Threshold, "dimensions"> {
    readonly scope: AuroraScope;
}

/** What the thresholds are computed from. */
export interface AuroraThresholdInput {
    /** The class the instances are sized as (`db.serverless/<max ACU>` for Serverless v2). */
    readonly instanceClass: string;
    /** AuroraReplicaLag above this many seconds for 5 minutes pages (`replicaLagAlarmSeconds`). */
    readonly lagSeconds: number;
    /** Serverless v2's maximum ACUs; undefined for provisioned instances. */
    readonly maxAcu?: number;
}

/** The RDS instance's thresholds an Aurora cluster keeps, by scope; the others measure what Aurora does not have. */
export const KEPT_FROM_RDS: Readonly<Record<string, AuroraScope>> = {
    cpu: "instance",
    freeableMemory: "instance",
    connections: "instance",
    transactionIds: "writer",
    rpoFreshness: "cluster",
    longestTransaction: "cluster",
    cronJobsFailing: "cluster",
    partitionMaintenanceStale: "cluster",
    roleSettingDrift: "cluster",
    defaultPartitionRows: "cluster",
    deadTuples: "cluster",
    partitionsPremade: "cluster",
    authFailures: "log",
};

/** A buffer cache hit ratio under this, in percent, for 15 minutes pages: the working set no longer fits. */
export const MIN_BUFFER_CACHE_HIT_PERCENT = 90;
/** Deadlocks per 5 minutes that page, as the log-derived alarm of the RDS instance counts them. */
const DEADLOCKS_PER_5_MIN = 5;
/** Serverless v2 capacity above this share of its maximum for 15 minutes pages: raise the maximum, or find the load. */
const ACU_HIGH = 0.9;

/** Pure: the Aurora cluster's thresholds, by key. */
export function auroraThresholds(input: AuroraThresholdInput): Record<string, AuroraThreshold> {
    // Storage is not an input of the thresholds Aurora keeps; 1 GiB stands for the volume that has no size.
    const rds = alarmThresholds(input.instanceClass, 1);
    const kept = Object.entries(rds).filter(([key]) => key in KEPT_FROM_RDS || key.startsWith("roleChange-"));
    const out: Record<string, AuroraThreshold> = {};
    for (const [key, t] of kept) {
        const { dimensions: _, ...rest } = t;
        out[key] = { ...rest, scope: KEPT_FROM_RDS[key] ?? "log" };
    }
    return { ...out, ...auroraOwn(input), ...(input.maxAcu === undefined ? {} : serverless(input.maxAcu)) };
}

/** Pure: the thresholds of Aurora's own metrics, every instance's. */
function auroraOwn(input: AuroraThresholdInput): Record<string, AuroraThreshold> {
    const lagMs = input.lagSeconds * 1000;
    return {
        replicaLag: {
            metric: "AuroraReplicaLag",
            namespace: "AWS/RDS",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: lagMs,
            periods: 5,
            periodSeconds: 60,
            unit: "Milliseconds",
            label: `${input.lagSeconds} s lag`,
            description: `a reader more than ${input.lagSeconds} s behind the writer for 5 minutes (Aurora readers are usually under 100 ms): its reads are that stale`,
            scope: "instance",
        },
        bufferCacheHitRatio: {
            metric: "BufferCacheHitRatio",
            namespace: "AWS/RDS",
            statistic: "Average",
            comparison: "LessThanThreshold",
            threshold: MIN_BUFFER_CACHE_HIT_PERCENT,
            periods: 3,
            periodSeconds: 300,
            unit: "Percent",
            label: `${MIN_BUFFER_CACHE_HIT_PERCENT}% hits`,
            description: `buffer cache hit ratio under ${MIN_BUFFER_CACHE_HIT_PERCENT}% for 15 minutes: the working set no longer fits, and every miss is a billed read from the volume`,
            scope: "instance",
        },
        deadlocks: {
            metric: "Deadlocks",
            namespace: "AWS/RDS",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: DEADLOCKS_PER_5_MIN / 300,
            periods: 1,
            periodSeconds: 300,
            unit: "Count/Second",
            label: `${DEADLOCKS_PER_5_MIN} per 5 min`,
            description: `more than ${DEADLOCKS_PER_5_MIN} deadlocks in 5 minutes (Aurora's Deadlocks metric, per second)`,
            scope: "instance",
        },
    };
}

/** Pure: Serverless v2's thresholds: the capacity pinned near its maximum, as a share and in ACUs. */
function serverless(maxAcu: number): Record<string, AuroraThreshold> {
    const percent = ACU_HIGH * 100;
    return {
        acuUtilization: {
            metric: "ACUUtilization",
            namespace: "AWS/RDS",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: percent,
            periods: 3,
            periodSeconds: 300,
            unit: "Percent",
            label: `${percent}% of ${maxAcu} ACUs`,
            description: `capacity above ${percent}% of the ${maxAcu} ACU maximum for 15 minutes: raise auroraMaxAcu, or find the load`,
            scope: "instance",
        },
        serverlessCapacity: {
            metric: "ServerlessDatabaseCapacity",
            namespace: "AWS/RDS",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: maxAcu * ACU_HIGH,
            periods: 3,
            periodSeconds: 300,
            unit: "Count",
            label: `${maxAcu * ACU_HIGH} ACUs`,
            description: `more than ${maxAcu * ACU_HIGH} of ${maxAcu} ACUs for 15 minutes: the bill runs at the maximum`,
            scope: "instance",
        },
    };
}
