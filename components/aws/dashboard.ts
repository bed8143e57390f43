/**
 * Pure: the CloudWatch dashboard body for the instance. Every widget draws its alarm threshold as a horizontal
 * annotation, from the same numbers the alarms use (thresholds.ts).
 */
import { Threshold } from "./thresholds";

/** Metrics RDS for PostgreSQL publishes in AWS/RDS per DB instance (Amazon RDS User Guide, "Amazon CloudWatch metrics for Amazon RDS"). */
export const RDS_INSTANCE_METRICS = [
    "CPUUtilization", "CPUCreditBalance", "FreeableMemory", "SwapUsage", "DatabaseConnections", "ReadIOPS", "WriteIOPS", "ReadLatency", "WriteLatency",
    "ReadThroughput", "WriteThroughput", "DiskQueueDepth", "FreeStorageSpace", "MaximumUsedTransactionIDs", "TransactionLogsDiskUsage",
    "TransactionLogsGeneration", "OldestReplicationSlotLag", "ReplicationSlotDiskUsage", "NetworkReceiveThroughput", "NetworkTransmitThroughput",
    "ReplicaLag", "CheckpointLag", "BinLogDiskUsage", "BurstBalance",
] as const;

/** Metrics the project publishes: from log metric filters and from the scheduled health check. */
export const OWN_METRICS = {
    logs: ["SlowStatements", "Deadlocks", "AuthenticationFailures", "AutovacuumHotTables", "CheckpointsTooFrequent"],
    health: ["LongestTransactionSeconds", "IdleInTransactionSessions", "BlockedLocks", "MaxTransactionIdAge", "DeadTupleRatioHotTables", "ArchiveFailing", "PartitionsPremadeAhead", "SecondsSinceLatestRestorableTime", "CacheHitRatio"],
} as const;

export interface DashboardInput {
    readonly instanceId: string;
    readonly region: string;
    readonly thresholds: Readonly<Record<string, Threshold>>;
    /** Extra horizontal lines for the connections widget. */
    readonly maxConnections: number;
    readonly connectionBudget: number;
}

type Metric = [string, string, ...string[]] | [string, string, string, string, { label?: string; stat?: string }];

function widget(title: string, metrics: Metric[], annotations: Array<{ label: string; value: number }>, x: number, y: number, extra: Record<string, unknown> = {}) {
    return {
        type: "metric",
        x, y, width: 8, height: 6,
        properties: {
            title, view: "timeSeries", stacked: false, period: 60, stat: "Average", metrics,
            annotations: { horizontal: annotations.map((a) => ({ label: a.label, value: a.value })) },
            ...extra,
        },
    };
}

/** Pure: the dashboard JSON (as an object; JSON.stringify it for aws.cloudwatch.Dashboard). */
export function dashboardBody(d: DashboardInput): { widgets: unknown[] } {
    const rds = (metric: (typeof RDS_INSTANCE_METRICS)[number]): Metric => ["AWS/RDS", metric, "DBInstanceIdentifier", d.instanceId];
    const own = (metric: string): Metric => ["MetaCortex/Database", metric, "DBInstanceIdentifier", d.instanceId];
    const fromLog = (metric: string): Metric => ["MetaCortex/Database", metric] as unknown as Metric;
    const t = d.thresholds;
    const line = (k: string) => ({ label: t[k].label, value: t[k].threshold });
    const w: unknown[] = [];
    const add = (title: string, metrics: Metric[], annotations: Array<{ label: string; value: number }>, extra?: Record<string, unknown>) => {
        const i = w.length;
        w.push(widget(title, metrics, annotations, (i % 3) * 8, Math.floor(i / 3) * 6, { region: d.region, ...extra }));
    };
    add("CPU (%)", [rds("CPUUtilization")], [line("cpu")], { yAxis: { left: { min: 0, max: 100 } } });
    add("Freeable memory and swap (bytes)", [rds("FreeableMemory"), rds("SwapUsage")], [line("freeableMemory")]);
    add("Connections against the budget", [rds("DatabaseConnections")], [line("connections"), { label: "budget", value: d.connectionBudget }, { label: "max_connections", value: d.maxConnections }]);
    add("IOPS", [rds("ReadIOPS"), rds("WriteIOPS")], []);
    add("Latency (s)", [rds("ReadLatency"), rds("WriteLatency")], [line("readLatency")]);
    add("Throughput (bytes/s)", [rds("ReadThroughput"), rds("WriteThroughput")], []);
    add("Disk queue depth", [rds("DiskQueueDepth")], [line("diskQueueDepth")]);
    add("Free storage (bytes)", [rds("FreeStorageSpace")], [line("freeStorage")], { stat: "Minimum" });
    add("Transaction ID age (MaximumUsedTransactionIDs)", [rds("MaximumUsedTransactionIDs")], [line("transactionIds"), { label: "wraparound", value: 2_147_483_647 }], { stat: "Maximum" });
    add("WAL: transaction log disk usage and slot lag (bytes)", [rds("TransactionLogsDiskUsage"), rds("OldestReplicationSlotLag")], [line("replicationSlotLag")]);
    add("Network (bytes/s)", [rds("NetworkReceiveThroughput"), rds("NetworkTransmitThroughput")], []);
    add("From the postgresql log (per 5 min)", OWN_METRICS.logs.map(fromLog), [line("deadlocks"), line("authFailures")], { stat: "Sum", period: 300 });
    add("Health check: longest transaction (s), RPO freshness (s)", [own("LongestTransactionSeconds"), own("SecondsSinceLatestRestorableTime")], [line("longestTransaction"), line("rpoFreshness")], { stat: "Maximum", period: 300 });
    add("Health check: vacuum, archive, partitions", [own("DeadTupleRatioHotTables"), own("ArchiveFailing"), own("PartitionsPremadeAhead"), own("BlockedLocks")], [], { stat: "Maximum", period: 300 });
    return { widgets: w };
}
