/**
 * Pure: the database's own view on the dashboard, next to RDS's: what the scheduled health check sees inside
 * PostgreSQL (healthMetrics.ts). Lines are the alarms' thresholds where the metric pages, else the health check's own
 * threshold, named so on the line.
 */
import { type Metric, spec, type WidgetSpec } from "./widget";

type Line = { label: string; value: number };

/**
 * The dimension the health check publishes under (healthMetrics.ts's HealthTarget): an RDS instance's identifier,
 * or an Aurora cluster's.
 */
export type HealthDimension = readonly ["DBInstanceIdentifier" | "DBClusterIdentifier", string];

/** A check's HealthCheckStatus (0 ok, 1 warn, 2 fail) on this instance or cluster. */
const checkStatus = ([name, value]: HealthDimension, check: string, label: string): Metric =>
    ["MetaCortex/Database", "HealthCheckStatus", name, value, "Check", check, { label }] as unknown as Metric;

/**
 * The health check's widgets, each with its line. `line` must know the keys deadTuples, transactionIds,
 * partitionsPremade, defaultPartitionRows and cronJobsFailing.
 */
export function databaseViewWidgets(
    dimension: HealthDimension,
    own: (m: string) => Metric,
    line: (k: string) => Line,
): WidgetSpec[] {
    const health = { stat: "Maximum", period: 300 };
    const status = (check: string, label: string) => checkStatus(dimension, check, label);
    return [
        spec("Health check: cache hit ratio", [own("CacheHitRatio")], [{ label: "health check warns", value: 0.99 }], {
            ...health,
            stat: "Minimum",
            yAxis: { left: { min: 0.9, max: 1 } },
        }),
        spec(
            "Health check: transaction ID age (oldest database)",
            [own("MaxTransactionIdAge")],
            [line("transactionIds"), { label: "wraparound", value: 2_147_483_647 }],
            health,
        ),
        spec(
            "Health check: dead tuples on hot tables (ratio)",
            [own("DeadTupleRatioHotTables")],
            [line("deadTuples")],
            health,
        ),
        spec(
            "Health check: index bloat, invalid and unused indexes (0 ok, 1 warn, 2 fail)",
            [
                status("index bloat (estimate)", "bloat"),
                status("invalid indexes", "invalid"),
                status("unused indexes", "unused"),
            ],
            [
                { label: "health check warns", value: 1 },
                { label: "health check fails", value: 2 },
            ],
            { ...health, yAxis: { left: { min: 0, max: 2 } } },
        ),
        spec(
            "Health check: partitions premade ahead, rows in default partitions, tables with stale maintenance",
            [own("PartitionsPremadeAhead"), own("DefaultPartitionRows"), own("PartitionMaintenanceStale")],
            [line("partitionsPremade"), line("defaultPartitionRows")],
            health,
        ),
        spec(
            "Health check: failing pg_cron jobs, role-setting drift, WAL archive failing",
            [own("CronJobsFailing"), own("RoleSettingDrift"), own("ArchiveFailing")],
            [line("cronJobsFailing")],
            health,
        ),
    ];
}
