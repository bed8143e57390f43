/** Pure: alarms on the health check's own view that page: vacuum falling behind, partitions running out. */

/** An alarm of the health check's namespace, before its namespace and dimension are set (thresholds.ts's own()). */
export interface OwnAlarm {
    readonly metric: string;
    readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
    readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
    readonly threshold: number;
    readonly periods: number;
    readonly periodSeconds: number;
    readonly unit: string;
    readonly description: string;
    readonly label: string;
}

/** The health check's alarms, made with `own` (its namespace, the instance dimension). */
export function databaseViewAlarms<T>(own: (t: OwnAlarm) => T): Record<string, T> {
    return {
        deadTuples: own({
            metric: "DeadTupleRatioHotTables",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 0.2,
            periods: 6,
            periodSeconds: 300,
            unit: "None",
            label: "20% dead",
            description:
                "a hot table has had over 20% dead rows for 30 minutes: autovacuum is not keeping up (a long transaction holds it back?)",
        }),
        partitionsPremade: own({
            metric: "PartitionsPremadeAhead",
            statistic: "Minimum",
            comparison: "LessThanThreshold",
            threshold: 3,
            periods: 2,
            periodSeconds: 300,
            unit: "Count",
            label: "3 months ahead",
            description:
                "a partitioned table has fewer than 3 months premade: pg_partman's maintenance is failing, and new rows will land in the default partition",
        }),
    };
}
