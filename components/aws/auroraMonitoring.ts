import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AuroraThreshold } from "../../postgres/monitoring/aurora";
import { auroraDashboardBody } from "../../postgres/monitoring/auroraDashboard";
import { logMetricsAndQueries } from "./databaseMonitoring";

/** Cluster event categories that page: a failover, a failure, maintenance (engine and OS upgrades), notifications. */
export const CLUSTER_EVENT_CATEGORIES = ["failover", "failure", "maintenance", "notification"] as const;
/** Instance event categories that page: an instance restarted or shut down, failed, recovered, maintained. */
export const AURORA_INSTANCE_EVENT_CATEGORIES = [
    "availability",
    "failure",
    "recovery",
    "maintenance",
    "notification",
] as const;

export interface AuroraMonitoringArgs {
    /** DBClusterIdentifier: the cluster's events, its volume's alarm, its dashboard's and saved queries' name. */
    readonly clusterId: string;
    /** Every instance's DBInstanceIdentifier, the initial writer first: an `instance` alarm and events for each. */
    readonly instanceIds: readonly string[];
    /**
     * The databases `clusterId` and `instanceIds` names, made by this program: each event subscription waits for them, because RDS refuses an event
     * subscription to a source that does not exist yet (SourceNotFound). Omit when they already exist.
     */
    readonly sources?: readonly pulumi.Resource[];
    /** Thresholds by key (postgres/monitoring/aurora.ts): one alarm each, per instance for the `instance` scope. */
    readonly thresholds: Readonly<Record<string, AuroraThreshold>>;
    /** One instance's max_connections, drawn on the dashboard's connections widget. */
    readonly maxConnections: number;
    /** One instance's connection budget, drawn beside it. */
    readonly connectionBudget: number;
    /** Serverless v2's maximum ACUs, for its capacity widgets; omit for provisioned instances. */
    readonly maxAcu?: number;
    /** Where alarms go (email subscription; it must be confirmed from the inbox). */
    readonly alarmEmail: string;
    /** ARN of the CMK the topic is encrypted with (its key policy must admit CloudWatch and RDS events). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Name of the cluster's exported postgresql log group: metric filters and saved queries read it. */
    readonly postgresqlLogGroup: pulumi.Input<string>;
    /** PgBouncer's namespace and total server connections, when it runs with its exporter. Omit otherwise. */
    readonly pgbouncer?: {
        /** Kubernetes namespace PgBouncer runs in. */
        readonly namespace: string;
        /** Server connections of all replicas together. */
        readonly serverConnections: number;
    };
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * An Aurora cluster's monitoring, as DatabaseMonitoring is an RDS instance's: a KMS-encrypted topic that emails, an
 * alarm per threshold (per instance, on the writer's role, or on the cluster), the volume's growth against its usual
 * band, cluster and instance events, metrics from the log, saved queries and the dashboard.
 */
export class AuroraMonitoring extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly alarms: aws.cloudwatch.MetricAlarm[];

    constructor(name: string, args: AuroraMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AuroraMonitoring", name, {}, opts);
        if (args.instanceIds.length === 0)
            throw new pulumi.ResourceError(`AuroraMonitoring ${name}: instanceIds needs the writer, got none`, this);
        const child = { parent: this };
        this.topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: args.kmsKeyArn, tags: args.tags }, child);
        new aws.sns.TopicSubscription(
            `${name}-alarms-email`,
            { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
            child,
        );
        const actions = [this.topic.arn];
        this.alarms = [...thresholdAlarms(name, args, actions, this), volumeAlarm(name, args, actions, this)];
        events(name, args, this.topic.arn, this);
        logMetricsAndQueries(name, { instanceId: args.clusterId, postgresqlLogGroup: args.postgresqlLogGroup }, this);
        const region = aws.getRegionOutput({}, child);
        new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: args.clusterId,
                dashboardBody: region.name.apply((r) => JSON.stringify(auroraDashboardBody({ ...args, region: r }))),
            },
            child,
        );
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}

/** Pure: the alarms of one threshold: a name suffix and the CloudWatch dimensions of each. */
export function alarmTargets(
    key: string,
    t: AuroraThreshold,
    clusterId: string,
    instanceIds: readonly string[],
): { suffix: string; dimensions?: Record<string, string> }[] {
    switch (t.scope) {
        case "instance":
            return instanceIds.map((id) => ({ suffix: `${key}-${id}`, dimensions: { DBInstanceIdentifier: id } }));
        case "writer":
            return [{ suffix: key, dimensions: { DBClusterIdentifier: clusterId, Role: "WRITER" } }];
        case "cluster":
            return [{ suffix: key, dimensions: { DBClusterIdentifier: clusterId } }];
        case "log":
            return [{ suffix: key }];
    }
}

type AlarmActions = pulumi.Input<string>[];

/** One alarm per threshold and target. A silent health check is itself an alarm, as on the RDS instance. */
function thresholdAlarms(
    name: string,
    args: AuroraMonitoringArgs,
    actions: AlarmActions,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm[] {
    return Object.entries(args.thresholds).flatMap(([key, t]) =>
        alarmTargets(key, t, args.clusterId, args.instanceIds).map(
            ({ suffix, dimensions }) =>
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${suffix}`,
                    {
                        alarmDescription: `${dimensions?.DBInstanceIdentifier ?? args.clusterId}: ${t.description}`,
                        namespace: t.namespace,
                        metricName: t.metric,
                        dimensions,
                        statistic: t.statistic,
                        period: t.periodSeconds,
                        evaluationPeriods: t.periods,
                        datapointsToAlarm: t.periods,
                        threshold: t.threshold,
                        comparisonOperator: t.comparison,
                        treatMissingData:
                            t.namespace === "MetaCortex/Database" && t.scope === "cluster"
                                ? "breaching"
                                : "notBreaching",
                        alarmActions: actions,
                        okActions: actions,
                        tags: args.tags,
                    },
                    { parent },
                ),
        ),
    );
}

/** The volume grows with the data: an alarm when it grows outside its usual band (3 standard deviations), hourly. */
function volumeAlarm(
    name: string,
    args: AuroraMonitoringArgs,
    actions: AlarmActions,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
        `${name}-anomaly-VolumeBytesUsed`,
        {
            alarmDescription: `${args.clusterId}: VolumeBytesUsed above its usual band for 3 hours (runaway growth, a table or index bloating, or a bill climbing)`,
            comparisonOperator: "GreaterThanUpperThreshold",
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            thresholdMetricId: "band",
            treatMissingData: "notBreaching",
            metricQueries: [
                {
                    id: "m",
                    returnData: true,
                    metric: {
                        namespace: "AWS/RDS",
                        metricName: "VolumeBytesUsed",
                        dimensions: { DBClusterIdentifier: args.clusterId },
                        period: 3600,
                        stat: "Maximum",
                    },
                },
                { id: "band", expression: "ANOMALY_DETECTION_BAND(m, 3)", label: "expected band", returnData: true },
            ],
            alarmActions: actions,
            okActions: actions,
            tags: args.tags,
        },
        { parent },
    );
}

/** RDS events of the cluster (source type db-cluster: failovers above all) and of its instances, to the topic. */
function events(name: string, args: AuroraMonitoringArgs, topicArn: pulumi.Input<string>, parent: pulumi.Resource) {
    new aws.rds.EventSubscription(
        `${name}-cluster-events`,
        {
            snsTopic: topicArn,
            sourceType: "db-cluster",
            sourceIds: [args.clusterId],
            eventCategories: [...CLUSTER_EVENT_CATEGORIES],
            enabled: true,
            tags: args.tags,
        },
        { parent, dependsOn: args.sources ? [...args.sources] : undefined },
    );
    new aws.rds.EventSubscription(
        `${name}-instance-events`,
        {
            snsTopic: topicArn,
            sourceType: "db-instance",
            sourceIds: [...args.instanceIds],
            eventCategories: [...AURORA_INSTANCE_EVENT_CATEGORIES],
            enabled: true,
            tags: args.tags,
        },
        { parent, dependsOn: args.sources ? [...args.sources] : undefined },
    );
}
