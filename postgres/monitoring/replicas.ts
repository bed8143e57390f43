/**
 * Read replicas' alarms and dashboard widgets, from the same numbers as the primary's (thresholds.ts): a replica
 * has its own CPU, memory, storage and connections, and one thing the primary has not, its lag. Alarms that follow
 * the primary's data (transaction ID age, replication slots, the health check) are the primary's alone: a replica
 * would page twice for one cause.
 */
import { MAX_STANDBY_DELAY_MS } from "../settings/catalog";
import { alarmThresholds, type Threshold } from "./thresholds";

/** The primary's alarms a replica gets too: its own machine and storage. */
export const REPLICA_ALARM_KEYS = [
    "cpu",
    "freeableMemory",
    "freeStorage",
    "connections",
    "readLatency",
    "diskQueueDepth",
] as const;

/** The lowest lag alarm that makes sense: replay may wait this long for a conflicting query (max_standby_streaming_delay). */
export const MIN_REPLICA_LAG_ALARM_SECONDS = MAX_STANDBY_DELAY_MS / 1000;

/** Pure: a replica's alarm thresholds: ReplicaLag above `lagSeconds` for 5 minutes, and its own machine's. */
export function replicaThresholds(
    instanceClassName: string,
    allocatedStorageGiB: number,
    lagSeconds: number,
): Record<string, Threshold> {
    if (!(lagSeconds >= MIN_REPLICA_LAG_ALARM_SECONDS))
        throw new Error(
            `a replica lag alarm under ${MIN_REPLICA_LAG_ALARM_SECONDS} s fires whenever replay waits for a conflicting query (max_standby_streaming_delay), got ${lagSeconds}`,
        );
    const primary = alarmThresholds(instanceClassName, allocatedStorageGiB);
    const own = Object.fromEntries(REPLICA_ALARM_KEYS.map((k) => [k, primary[k]]));
    return {
        replicaLag: {
            metric: "ReplicaLag",
            namespace: "AWS/RDS",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: lagSeconds,
            periods: 5,
            periodSeconds: 60,
            unit: "Seconds",
            label: `${lagSeconds} s lag`,
            description: `replica lag above ${lagSeconds} s for 5 minutes: its reads are that stale, and promoting it would lose that much`,
            dimensions: "instance",
        },
        ...own,
    };
}

/** One replica on the dashboard. */
export interface DashboardReplica {
    /** DB instance identifier. */
    readonly id: string;
    /** Its region, when not the dashboard's (a cross-region replica). */
    readonly region?: string;
}

/** The replicas' part of the dashboard. */
export interface ReplicaPanel {
    readonly replicas: readonly DashboardReplica[];
    /** The lag alarm's threshold, in seconds. */
    readonly lagSeconds: number;
    /** One in-region replica's connection budget (they share a class), drawn on its connections widget. */
    readonly connectionBudget: number;
    /** The replicas' CPU alarm (the primary's, on their class), drawn on their CPU widget. */
    readonly cpuAlarm?: Threshold;
}

type ReplicaMetric = [string, string, string, string, { region?: string; label: string }];

/** A widget before it is placed, as dashboard.ts places them. */
export interface ReplicaWidget {
    readonly title: string;
    readonly metrics: ReplicaMetric[];
    readonly annotations: Array<{ label: string; value: number }>;
    readonly extra?: Record<string, unknown>;
}

/** Pure: lag, CPU and connections of every replica, a line each (a cross-region one from its own region). */
export function replicaWidgets(panel: ReplicaPanel): ReplicaWidget[] {
    if (panel.replicas.length === 0) return [];
    const lines = (metric: string): ReplicaMetric[] =>
        panel.replicas.map((r) => [
            "AWS/RDS",
            metric,
            "DBInstanceIdentifier",
            r.id,
            r.region ? { region: r.region, label: `${r.id} (${r.region})` } : { label: r.id },
        ]);
    return [
        {
            title: "Replicas: lag (s)",
            metrics: lines("ReplicaLag"),
            annotations: [{ label: `${panel.lagSeconds} s lag`, value: panel.lagSeconds }],
            extra: { stat: "Maximum" },
        },
        {
            title: "Replicas: CPU (%)",
            metrics: lines("CPUUtilization"),
            annotations: panel.cpuAlarm ? [{ label: panel.cpuAlarm.label, value: panel.cpuAlarm.threshold }] : [],
        },
        {
            title: "Replicas: connections against the budget",
            metrics: lines("DatabaseConnections"),
            annotations: [{ label: "budget", value: panel.connectionBudget }],
            extra: { stat: "Maximum" },
        },
    ];
}
