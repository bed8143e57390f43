import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Threshold } from "../../postgres/monitoring/thresholds";

/**
 * RDS event categories that page for a replica: its replication stopping or resuming (`read replica`), a failover, a
 * failure, a restart, low storage, maintenance, notifications and recovery.
 */
export const REPLICA_EVENT_CATEGORIES = [
    "read replica",
    "failover",
    "failure",
    "availability",
    "low storage",
    "maintenance",
    "notification",
    "recovery",
] as const;

export interface ReplicaMonitoringArgs {
    /** DB instance identifiers of the replicas watched: each gets every alarm; all share one event subscription. */
    readonly replicaIds: readonly string[];
    /**
     * The databases `replicaIds` names, made by this program: the event subscription waits for them, because RDS refuses an event
     * subscription to a source that does not exist yet (SourceNotFound). Omit when they already exist.
     */
    readonly sources?: readonly pulumi.Resource[];
    /** Alarm thresholds by key (postgres/monitoring/replicas.ts): one alarm per replica each, `<name>-<id>-<key>`. */
    readonly thresholds: Readonly<Record<string, Threshold>>;
    /** ARN of the SNS topic alarms and events go to, in the replicas' region (CloudWatch and RDS require it). */
    readonly topicArn: pulumi.Input<string>;
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Read replicas watched like the primary: an alarm per threshold per replica (their lag first), and their RDS events
 * (replication stopped or resumed, failover, failure, restart) sent to the alarm topic of their region.
 */
export class ReplicaMonitoring extends pulumi.ComponentResource {
    readonly alarms: aws.cloudwatch.MetricAlarm[];

    constructor(name: string, args: ReplicaMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:ReplicaMonitoring", name, {}, opts);
        if (args.replicaIds.length === 0)
            throw new pulumi.ResourceError(`ReplicaMonitoring ${name}: replicaIds names no replica`, this);
        const actions = [args.topicArn];
        this.alarms = args.replicaIds.flatMap((id) =>
            Object.entries(args.thresholds).map(
                ([key, t]) =>
                    new aws.cloudwatch.MetricAlarm(
                        `${name}-${id}-${key}`,
                        {
                            alarmDescription: `${id}: ${t.description}`,
                            namespace: t.namespace,
                            metricName: t.metric,
                            dimensions: { DBInstanceIdentifier: id },
                            statistic: t.statistic,
                            period: t.periodSeconds,
                            evaluationPeriods: t.periods,
                            datapointsToAlarm: t.periods,
                            threshold: t.threshold,
                            comparisonOperator: t.comparison,
                            // Replication that stops is reported by the `read replica` events below, not by silence.
                            treatMissingData: "notBreaching",
                            alarmActions: actions,
                            okActions: actions,
                            tags: args.tags,
                        },
                        { parent: this },
                    ),
            ),
        );
        new aws.rds.EventSubscription(
            `${name}-events`,
            {
                snsTopic: args.topicArn,
                sourceType: "db-instance",
                sourceIds: [...args.replicaIds],
                eventCategories: [...REPLICA_EVENT_CATEGORIES],
                enabled: true,
                tags: args.tags,
            },
            { parent: this, dependsOn: args.sources ? [...args.sources] : undefined },
        );
        this.registerOutputs({ alarms: this.alarms.length });
    }
}
