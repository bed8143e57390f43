/**
 * Alarm thresholds for the instance, computed from its class (RAM, vCPUs, burstable), its storage and the settings
 * source (max_connections and the connection budget), so they move with the sizing instead of living as constants.
 * The dashboard draws the same numbers as annotations.
 */
import { instanceClass } from "../instanceClasses";
import { ROLE } from "../roles/names";
import { sizeFor } from "../settings/sizing";
import { databaseViewAlarms } from "./databaseViewAlarms";

/**
 * Login roles that must never change a role (their own settings or password included), by the metric that counts
 * their ALTER ROLE lines in the log (pgaudit's ROLE class). Only the admin and the migrator manage roles.
 */
export const ROLE_CHANGE_METRICS: Readonly<Record<string, string>> = {
    RoleChangedByApp: ROLE.app,
    RoleChangedByReadonly: ROLE.readonly,
    RoleChangedByAuditor: ROLE.auditor,
    RoleChangedByMonitor: ROLE.monitor,
};

export interface Threshold {
    /** CloudWatch metric in AWS/RDS (or the project's own namespace for custom and log metrics). */
    readonly metric: string;
    readonly namespace: "AWS/RDS" | "MetaCortex/Database";
    readonly statistic: "Average" | "Maximum" | "Minimum" | "Sum";
    readonly comparison: "GreaterThanThreshold" | "LessThanThreshold";
    readonly threshold: number;
    /** Evaluation periods of `periodSeconds`: the condition must hold this long. */
    readonly periods: number;
    readonly periodSeconds: number;
    readonly unit: string;
    readonly description: string;
    /** Dashboard label for the line. */
    readonly label: string;
    /** `instance`: DBInstanceIdentifier dimension; `none`: log-derived (metric filters cannot set a constant dimension). */
    readonly dimensions: "instance" | "none";
}

const GIB = 1024 ** 3;

/** Pure: every static alarm threshold for an instance class and allocated storage. */
export function alarmThresholds(instanceClassName: string, allocatedStorageGiB: number): Record<string, Threshold> {
    const cls = instanceClass(instanceClassName);
    const size = sizeFor(cls);
    const rds = (t: Omit<Threshold, "namespace" | "dimensions">): Threshold => ({
        ...t,
        namespace: "AWS/RDS",
        dimensions: "instance",
    });
    const own = (t: Omit<Threshold, "namespace" | "dimensions">): Threshold => ({
        ...t,
        namespace: "MetaCortex/Database",
        dimensions: "instance",
    });
    /** A health-check count the database publishes that pages as soon as it is above 0 for one 5-minute period. */
    const anyOf = (metric: string, description: string): Threshold =>
        own({
            metric,
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 0,
            periods: 1,
            periodSeconds: 300,
            unit: "Count",
            label: "any",
            description,
        });
    const log = (t: Omit<Threshold, "namespace" | "dimensions">): Threshold => ({
        ...t,
        namespace: "MetaCortex/Database",
        dimensions: "none",
    });
    return {
        cpu: rds({
            metric: "CPUUtilization",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: cls.burstable ? 70 : 80,
            periods: 3,
            periodSeconds: 300,
            unit: "Percent",
            label: "CPU alarm",
            description: `CPU above ${cls.burstable ? 70 : 80}% for 15 minutes${cls.burstable ? " (burstable class: credits drain above baseline)" : ""}`,
        }),
        freeableMemory: rds({
            metric: "FreeableMemory",
            statistic: "Minimum",
            comparison: "LessThanThreshold",
            threshold: Math.round(cls.memoryGiB * GIB * 0.1),
            periods: 3,
            periodSeconds: 300,
            unit: "Bytes",
            label: "10% of RAM",
            description: `freeable memory under 10% of ${cls.memoryGiB} GiB for 15 minutes`,
        }),
        freeStorage: rds({
            metric: "FreeStorageSpace",
            statistic: "Minimum",
            comparison: "LessThanThreshold",
            threshold: Math.round(allocatedStorageGiB * GIB * 0.15),
            periods: 2,
            periodSeconds: 300,
            unit: "Bytes",
            label: "15% of storage",
            description: `free storage under 15% of the ${allocatedStorageGiB} GiB allocated (autoscaling may be capped or too slow)`,
        }),
        connections: rds({
            metric: "DatabaseConnections",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: Math.floor(size.connectionBudget * 0.8),
            periods: 3,
            periodSeconds: 60,
            unit: "Count",
            label: "80% of budget",
            description: `connections above 80% of the budget (${size.connectionBudget} of max_connections ${size.maxConnections}) for 3 minutes`,
        }),
        readLatency: rds({
            metric: "ReadLatency",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: 0.02,
            periods: 3,
            periodSeconds: 300,
            unit: "Seconds",
            label: "20 ms",
            description: "average read latency above 20 ms for 15 minutes (gp3 serves single-digit ms)",
        }),
        writeLatency: rds({
            metric: "WriteLatency",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: 0.02,
            periods: 3,
            periodSeconds: 300,
            unit: "Seconds",
            label: "20 ms",
            description: "average write latency above 20 ms for 15 minutes",
        }),
        diskQueueDepth: rds({
            metric: "DiskQueueDepth",
            statistic: "Average",
            comparison: "GreaterThanThreshold",
            threshold: 4 * cls.vcpus,
            periods: 3,
            periodSeconds: 300,
            unit: "Count",
            label: `${4 * cls.vcpus} queued I/Os`,
            description: `more than ${4 * cls.vcpus} I/Os (4 per vCPU) waiting for 15 minutes: storage is the bottleneck`,
        }),
        transactionIds: rds({
            metric: "MaximumUsedTransactionIDs",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 1_000_000_000,
            periods: 1,
            periodSeconds: 900,
            unit: "Count",
            label: "1 billion (half way to wraparound)",
            description:
                "transaction ID age above 1 billion: autovacuum is not freezing; wraparound shuts writes down at 2 billion",
        }),
        replicationSlotLag: rds({
            metric: "OldestReplicationSlotLag",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 5 * GIB,
            periods: 3,
            periodSeconds: 300,
            unit: "Bytes",
            label: "5 GiB",
            description:
                "a replication slot holds back more than 5 GiB of WAL: its consumer is gone or stuck, and WAL fills the disk",
        }),
        rpoFreshness: own({
            metric: "SecondsSinceLatestRestorableTime",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 900,
            periods: 2,
            periodSeconds: 300,
            unit: "Seconds",
            label: "15 min RPO",
            description:
                "the latest restorable time is more than 15 minutes old: PITR is not keeping up (RDS uploads WAL every 5 minutes)",
        }),
        longestTransaction: own({
            metric: "LongestTransactionSeconds",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 600,
            periods: 2,
            periodSeconds: 300,
            unit: "Seconds",
            label: "10 min",
            description: "a transaction open for more than 10 minutes blocks vacuum on every table",
        }),
        archiveFailures: own({
            metric: "ArchiveFailing",
            statistic: "Maximum",
            comparison: "GreaterThanThreshold",
            threshold: 0,
            periods: 2,
            periodSeconds: 300,
            unit: "Count",
            label: "failing",
            description: "WAL archiving reports failures newer than its last success",
        }),
        deadlocks: log({
            metric: "Deadlocks",
            statistic: "Sum",
            comparison: "GreaterThanThreshold",
            threshold: 5,
            periods: 1,
            periodSeconds: 300,
            unit: "Count",
            label: "5 per 5 min",
            description: "more than 5 deadlocks in 5 minutes (from the postgresql log)",
        }),
        authFailures: log({
            metric: "AuthenticationFailures",
            statistic: "Sum",
            comparison: "GreaterThanThreshold",
            threshold: 20,
            periods: 1,
            periodSeconds: 300,
            unit: "Count",
            label: "20 per 5 min",
            description:
                "more than 20 failed logins in 5 minutes (from the postgresql log): a bad deploy or a password guess",
        }),
        cronJobsFailing: anyOf(
            "CronJobsFailing",
            "a pg_cron job (partition maintenance, purge, transaction age) failed since its last success",
        ),
        partitionMaintenanceStale: anyOf(
            "PartitionMaintenanceStale",
            "a partitioned table's maintenance has not succeeded for 2 hours (its hourly job fails or does not run)",
        ),
        roleSettingDrift: anyOf(
            "RoleSettingDrift",
            "a role's settings differ from the role model (a role can ALTER ROLE itself SET ...)",
        ),
        defaultPartitionRows: anyOf(
            "DefaultPartitionRows",
            "rows in a default partition: pg_partman's maintenance of that table fails until they move",
        ),
        ...Object.fromEntries(
            Object.entries(ROLE_CHANGE_METRICS).map(([metric, role]) => [
                `roleChange-${role}`,
                log({
                    metric,
                    statistic: "Sum",
                    comparison: "GreaterThanThreshold",
                    threshold: 0,
                    periods: 1,
                    periodSeconds: 300,
                    unit: "Count",
                    label: "any",
                    description: `${role} ran ALTER ROLE (its own settings or password): only the admin and the migrator manage roles`,
                }),
            ]),
        ),
        ...databaseViewAlarms(own),
        frequentCheckpoints: log({
            metric: "CheckpointsTooFrequent",
            statistic: "Sum",
            comparison: "GreaterThanThreshold",
            threshold: 0,
            periods: 1,
            periodSeconds: 900,
            unit: "Count",
            label: "any",
            description: "checkpoints forced by WAL volume (max_wal_size too small for the write rate)",
        }),
    };
}
