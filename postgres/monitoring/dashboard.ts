/**
 * Pure: the CloudWatch dashboard body for the instance. A widget whose metric has an alarm draws the alarm's threshold
 * as a horizontal annotation, from the same numbers the alarms use (thresholds.ts); docs/monitoring.md lists every
 * widget with its lines, rendered from this body.
 */
import { type ReplicaPanel, replicaWidgets } from "./replicas";
import { databaseViewWidgets } from "./databaseView";
import { type Metric, spec, type WidgetSpec } from "./widget";
import type { Threshold } from "./thresholds";

/** Metrics RDS for PostgreSQL publishes in AWS/RDS per DB instance (Amazon RDS User Guide, "Amazon CloudWatch metrics for Amazon RDS"). */
export const RDS_INSTANCE_METRICS = [
    "CPUUtilization",
    "CPUCreditBalance",
    "FreeableMemory",
    "SwapUsage",
    "DatabaseConnections",
    "ReadIOPS",
    "WriteIOPS",
    "ReadLatency",
    "WriteLatency",
    "ReadThroughput",
    "WriteThroughput",
    "DiskQueueDepth",
    "FreeStorageSpace",
    "MaximumUsedTransactionIDs",
    "TransactionLogsDiskUsage",
    "TransactionLogsGeneration",
    "OldestReplicationSlotLag",
    "ReplicationSlotDiskUsage",
    "NetworkReceiveThroughput",
    "NetworkTransmitThroughput",
    "ReplicaLag",
    "CheckpointLag",
    "BinLogDiskUsage",
    "BurstBalance",
] as const;

/** Metrics the project publishes: from log metric filters and from the scheduled health check. */
export const OWN_METRICS = {
    logs: ["SlowStatements", "Deadlocks", "AuthenticationFailures", "AutovacuumHotTables", "CheckpointsTooFrequent"],
    /** Published by the scheduled health check (postgres/monitoring/healthMetrics.ts). */
    health: [
        "ConnectionsUsedRatio",
        "LongestTransactionSeconds",
        "IdleInTransactionSessions",
        "BlockedLocks",
        "MaxTransactionIdAge",
        "DeadTupleRatioHotTables",
        "CacheHitRatio",
        "ArchiveFailing",
        "PartitionsPremadeAhead",
        "DefaultPartitionRows",
        "PartitionMaintenanceStale",
        "CronJobsFailing",
        "RoleSettingDrift",
        "SecondsSinceLatestRestorableTime",
        "HealthChecksFailing",
        "HealthCheckStatus",
    ],
} as const;

export interface DashboardInput {
    readonly instanceId: string;
    readonly region: string;
    readonly thresholds: Readonly<Record<string, Threshold>>;
    /** Extra horizontal lines for the connections widget. */
    readonly maxConnections: number;
    readonly connectionBudget: number;
    /**
     * PgBouncer's widgets: its exporter's metrics as Container Insights for Prometheus stores them
     * (namespace ContainerInsights/Prometheus, dimensions ClusterName and Namespace; docs/monitoring.md has the agent's
     * metric_declaration), found by SEARCH so the cluster's name need not be known here.
     */
    readonly pgbouncer?: { readonly namespace: string; readonly serverConnections: number };
    /** The read replicas' lag, CPU and connections (replicas.ts). Omit when there are none. */
    readonly replicas?: ReplicaPanel;
}

/** pgbouncer_exporter metrics the dashboard draws (prometheus-community/pgbouncer_exporter, collector.go). */
export const PGBOUNCER_METRICS = [
    "pgbouncer_up",
    "pgbouncer_pools_client_active_connections",
    "pgbouncer_pools_client_waiting_connections",
    "pgbouncer_pools_client_maxwait_seconds",
    "pgbouncer_pools_server_active_connections",
    "pgbouncer_pools_server_idle_connections",
] as const;

/** Pure: a CloudWatch SEARCH expression for one PgBouncer metric in a namespace. */
export function pgbouncerSearch(metric: (typeof PGBOUNCER_METRICS)[number], namespace: string, stat: string): string {
    return `SEARCH('{ContainerInsights/Prometheus,ClusterName,Namespace} MetricName="${metric}" Namespace="${namespace}"', '${stat}', 60)`;
}

function widget(
    title: string,
    metrics: Metric[],
    annotations: Array<{ label: string; value: number }>,
    x: number,
    y: number,
    extra: Record<string, unknown> = {},
) {
    return {
        type: "metric",
        x,
        y,
        width: 8,
        height: 6,
        properties: {
            title,
            view: "timeSeries",
            stacked: false,
            period: 60,
            stat: "Average",
            metrics,
            annotations: { horizontal: annotations.map((a) => ({ label: a.label, value: a.value })) },
            ...extra,
        },
    };
}

/** The instance's own RDS metrics, each with its alarm line. */
function instanceWidgets(d: DashboardInput): WidgetSpec[] {
    const rds = (metric: (typeof RDS_INSTANCE_METRICS)[number]): Metric => [
        "AWS/RDS",
        metric,
        "DBInstanceIdentifier",
        d.instanceId,
    ];
    const t = d.thresholds;
    const line = (k: string) => ({ label: t[k].label, value: t[k].threshold });
    const connectionLines = [
        line("connections"),
        { label: "budget", value: d.connectionBudget },
        { label: "max_connections", value: d.maxConnections },
    ];
    return [
        spec("CPU (%)", [rds("CPUUtilization")], [line("cpu")], { yAxis: { left: { min: 0, max: 100 } } }),
        spec("Freeable memory and swap (bytes)", [rds("FreeableMemory"), rds("SwapUsage")], [line("freeableMemory")]),
        spec("Connections against the budget", [rds("DatabaseConnections")], connectionLines),
        spec("IOPS", [rds("ReadIOPS"), rds("WriteIOPS")], []),
        spec("Latency (s)", [rds("ReadLatency"), rds("WriteLatency")], [line("readLatency")]),
        spec("Throughput (bytes/s)", [rds("ReadThroughput"), rds("WriteThroughput")], []),
        spec("Disk queue depth", [rds("DiskQueueDepth")], [line("diskQueueDepth")]),
        spec("Free storage (bytes)", [rds("FreeStorageSpace")], [line("freeStorage")], { stat: "Minimum" }),
        spec(
            "Transaction ID age (MaximumUsedTransactionIDs)",
            [rds("MaximumUsedTransactionIDs")],
            [line("transactionIds"), { label: "wraparound", value: 2_147_483_647 }],
            { stat: "Maximum" },
        ),
        spec(
            "WAL: transaction log disk usage and slot lag (bytes)",
            [rds("TransactionLogsDiskUsage"), rds("OldestReplicationSlotLag")],
            [line("replicationSlotLag")],
        ),
        spec("Network (bytes/s)", [rds("NetworkReceiveThroughput"), rds("NetworkTransmitThroughput")], []),
    ];
}

/** Our own metrics: the log metric filters and the scheduled health check, each with its alarm's line. */
function ownWidgets(d: DashboardInput): WidgetSpec[] {
    const own = (metric: string): Metric => ["MetaCortex/Database", metric, "DBInstanceIdentifier", d.instanceId];
    const fromLog = (metric: string): Metric => ["MetaCortex/Database", metric] as unknown as Metric;
    const t = d.thresholds;
    const line = (k: string) => ({ label: t[k].label, value: t[k].threshold });
    const health = { stat: "Maximum", period: 300 };
    return [
        spec(
            "From the postgresql log (per 5 min)",
            OWN_METRICS.logs.map(fromLog),
            [line("deadlocks"), line("authFailures"), line("frequentCheckpoints")],
            {
                stat: "Sum",
                period: 300,
            },
        ),
        spec(
            "Health check: longest transaction (s), RPO freshness (s)",
            [own("LongestTransactionSeconds"), own("SecondsSinceLatestRestorableTime")],
            [line("longestTransaction"), line("rpoFreshness")],
            health,
        ),
        ...databaseViewWidgets(["DBInstanceIdentifier", d.instanceId], own, line),
    ];
}

/** PgBouncer's exporter metrics, found by SEARCH in its namespace, with its share of the budget. */
export function pgbouncerWidgets(pgbouncer: NonNullable<DashboardInput["pgbouncer"]>): WidgetSpec[] {
    const search = (metric: (typeof PGBOUNCER_METRICS)[number], stat: string, id: string, label: string) =>
        ({ expression: pgbouncerSearch(metric, pgbouncer.namespace, stat), id, label }) as unknown as Metric;
    return [
        spec(
            "PgBouncer: clients active and waiting",
            [
                search("pgbouncer_pools_client_active_connections", "Sum", "ca", "active"),
                search("pgbouncer_pools_client_waiting_connections", "Sum", "cw", "waiting"),
            ],
            [],
        ),
        spec(
            "PgBouncer: longest client wait (s)",
            [search("pgbouncer_pools_client_maxwait_seconds", "Maximum", "mw", "max wait")],
            [{ label: "query_wait_timeout", value: 30 }],
        ),
        spec(
            "PgBouncer: server connections against its share of the budget",
            [
                search("pgbouncer_pools_server_active_connections", "Sum", "sa", "active"),
                search("pgbouncer_pools_server_idle_connections", "Sum", "si", "idle"),
            ],
            [{ label: "max_db_connections x replicas", value: pgbouncer.serverConnections }],
        ),
        spec("PgBouncer: replicas up", [search("pgbouncer_up", "Sum", "up", "up")], []),
    ];
}

/** Pure: the dashboard JSON (as an object; JSON.stringify it for aws.cloudwatch.Dashboard), three widgets a row. */
export function dashboardBody(d: DashboardInput): { widgets: unknown[] } {
    const specs = [
        ...instanceWidgets(d),
        ...ownWidgets(d),
        ...(d.pgbouncer ? pgbouncerWidgets(d.pgbouncer) : []),
        ...(d.replicas ? (replicaWidgets(d.replicas) as WidgetSpec[]) : []),
    ];
    return placeWidgets(specs, d.region);
}

/** Pure: widgets placed three a row, each drawn from `region` unless its spec says otherwise. */
export function placeWidgets(specs: readonly WidgetSpec[], region: string): { widgets: unknown[] } {
    return {
        widgets: specs.map((s, i) =>
            widget(s.title, s.metrics, s.annotations, (i % 3) * 8, Math.floor(i / 3) * 6, { region, ...s.extra }),
        ),
    };
}
