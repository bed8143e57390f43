/**
 * Pure: the CloudWatch dashboard body for an Aurora cluster: every instance as a line (writer and readers share each
 * widget, so a failover shows as the lines trading places), the cluster's volume, Aurora's own metrics, Serverless
 * v2's capacity, the log and health-check metrics, and PgBouncer. Alarm thresholds are drawn from the same numbers the
 * alarms use (aurora.ts).
 */
import type { AuroraThreshold } from "./aurora";
import { OWN_METRICS, pgbouncerWidgets, placeWidgets } from "./dashboard";
import { databaseViewWidgets } from "./databaseView";
import { type Metric, spec, type WidgetSpec } from "./widget";

export interface AuroraDashboardInput {
    /** DBClusterIdentifier: the volume's and the health check's dimension. */
    readonly clusterId: string;
    /** Every instance's DBInstanceIdentifier, the initial writer first. */
    readonly instanceIds: readonly string[];
    readonly region: string;
    readonly thresholds: Readonly<Record<string, AuroraThreshold>>;
    /** One instance's max_connections and connection budget, drawn on the connections widget. */
    readonly maxConnections: number;
    readonly connectionBudget: number;
    /** Serverless v2's maximum ACUs; undefined for provisioned instances (no capacity widgets). */
    readonly maxAcu?: number;
    /** PgBouncer's namespace and server connections, when it runs (dashboard.ts draws it the same way). */
    readonly pgbouncer?: { readonly namespace: string; readonly serverConnections: number };
}

/** Pure: the widgets of one AWS/RDS metric, a line per instance. */
function perInstance(d: AuroraDashboardInput, metric: string): Metric[] {
    return d.instanceIds.map((id) => ["AWS/RDS", metric, "DBInstanceIdentifier", id, { label: id }]);
}

/** The instances' metrics, each widget with its alarm line. */
function instanceWidgets(d: AuroraDashboardInput): WidgetSpec[] {
    const t = d.thresholds;
    const line = (k: string) => ({ label: t[k].label, value: t[k].threshold });
    const connections = [
        line("connections"),
        { label: "budget", value: d.connectionBudget },
        { label: "max_connections", value: d.maxConnections },
    ];
    return [
        spec("CPU (%) per instance", perInstance(d, "CPUUtilization"), [line("cpu")], { yAxis: { left: { min: 0 } } }),
        spec("Freeable memory (bytes) per instance", perInstance(d, "FreeableMemory"), [line("freeableMemory")]),
        spec("Connections per instance against the budget", perInstance(d, "DatabaseConnections"), connections, {
            stat: "Maximum",
        }),
        spec("Aurora replica lag (ms)", perInstance(d, "AuroraReplicaLag"), [line("replicaLag")], { stat: "Maximum" }),
        spec("Buffer cache hit ratio (%)", perInstance(d, "BufferCacheHitRatio"), [line("bufferCacheHitRatio")]),
        spec("Deadlocks (per second)", perInstance(d, "Deadlocks"), [line("deadlocks")]),
    ];
}

/** The cluster's volume and the writer's transaction ID age. */
function clusterWidgets(d: AuroraDashboardInput): WidgetSpec[] {
    const cluster = (metric: string): Metric => ["AWS/RDS", metric, "DBClusterIdentifier", d.clusterId];
    const writer = (metric: string): Metric => [
        "AWS/RDS",
        metric,
        "DBClusterIdentifier",
        d.clusterId,
        "Role",
        "WRITER",
    ];
    const t = d.thresholds;
    return [
        spec("Volume used (bytes)", [cluster("VolumeBytesUsed")], [], { stat: "Maximum", period: 3600 }),
        spec(
            "Volume I/O (billed reads, writes per 5 min)",
            [cluster("VolumeReadIOPs"), cluster("VolumeWriteIOPs")],
            [],
            {
                period: 300,
            },
        ),
        spec(
            "Transaction ID age on the writer (MaximumUsedTransactionIDs)",
            [writer("MaximumUsedTransactionIDs")],
            [
                { label: t.transactionIds.label, value: t.transactionIds.threshold },
                { label: "wraparound", value: 2_147_483_647 },
            ],
            { stat: "Maximum" },
        ),
    ];
}

/** Serverless v2: capacity in ACUs against the maximum, and as a share of it. */
function capacityWidgets(d: AuroraDashboardInput, maxAcu: number): WidgetSpec[] {
    const t = d.thresholds;
    return [
        spec(
            "Serverless v2 capacity (ACUs)",
            perInstance(d, "ServerlessDatabaseCapacity"),
            [
                { label: t.serverlessCapacity.label, value: t.serverlessCapacity.threshold },
                { label: "maximum", value: maxAcu },
            ],
            { stat: "Maximum" },
        ),
        spec("Serverless v2 ACU utilization (%)", perInstance(d, "ACUUtilization"), [
            { label: t.acuUtilization.label, value: t.acuUtilization.threshold },
        ]),
    ];
}

/** The log-derived metrics and the health check's (the database's own view), published per cluster. */
function ownWidgets(d: AuroraDashboardInput): WidgetSpec[] {
    const own = (metric: string): Metric => ["MetaCortex/Database", metric, "DBClusterIdentifier", d.clusterId];
    const fromLog = (metric: string): Metric => ["MetaCortex/Database", metric] as unknown as Metric;
    const t = d.thresholds;
    const line = (k: string) => ({ label: t[k].label, value: t[k].threshold });
    const logs = OWN_METRICS.logs.filter((m) => m !== "CheckpointsTooFrequent");
    return [
        spec("From the postgresql log (per 5 min)", logs.map(fromLog), [line("authFailures")], {
            stat: "Sum",
            period: 300,
        }),
        spec(
            "Health check: longest transaction (s), RPO freshness (s)",
            [own("LongestTransactionSeconds"), own("SecondsSinceLatestRestorableTime")],
            [line("longestTransaction"), line("rpoFreshness")],
            { stat: "Maximum", period: 300 },
        ),
        ...databaseViewWidgets(["DBClusterIdentifier", d.clusterId], own, line),
    ];
}

/** Pure: the dashboard JSON for the cluster (JSON.stringify it for aws.cloudwatch.Dashboard). */
export function auroraDashboardBody(d: AuroraDashboardInput): { widgets: unknown[] } {
    return placeWidgets(
        [
            ...instanceWidgets(d),
            ...clusterWidgets(d),
            ...(d.maxAcu === undefined ? [] : capacityWidgets(d, d.maxAcu)),
            ...ownWidgets(d),
            ...(d.pgbouncer ? pgbouncerWidgets(d.pgbouncer) : []),
        ],
        d.region,
    );
}
