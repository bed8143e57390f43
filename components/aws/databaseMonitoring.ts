import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dashboardBody } from "../../postgres/monitoring/dashboard";
import type { ReplicaPanel } from "../../postgres/monitoring/replicas";
import { ROLE_CHANGE_METRICS, type Threshold } from "../../postgres/monitoring/thresholds";

/** Log lines turned into metrics (namespace MetaCortex/Database): the filter pattern for each. */
export const LOG_METRIC_FILTERS: Readonly<Record<string, string>> = {
    // pgaudit's ROLE class: ALTER ROLE (ALTER USER, psql's \password) by a role that must not manage roles. Matched on
    // the user in the line prefix ("user@database"), which the statement cannot remove; excluding the admin and the
    // migrator instead could be dodged by naming them in a comment of the statement.
    ...Object.fromEntries(
        Object.entries(ROLE_CHANGE_METRICS).map(([metric, role]) => [
            metric,
            `"${role}@" "AUDIT: SESSION," ",ROLE,ALTER ROLE,"`,
        ]),
    ),
    // log_min_duration_statement lines (auto_explain's "duration: ... plan:" lines are not counted twice).
    SlowStatements: '"duration:" "statement:"',
    Deadlocks: '"deadlock detected"',
    AuthenticationFailures: '"password authentication failed"',
    // log_autovacuum_min_duration lines for the hottest table.
    AutovacuumHotTables: '"automatic vacuum of table" "app.tasks"',
    CheckpointsTooFrequent: '"checkpoints are occurring too frequently"',
};

/** Saved Logs Insights queries for the exported postgresql log. */
export const LOG_QUERIES: Readonly<Record<string, string>> = {
    "top slow statements": [
        "fields @timestamp, @message",
        "| filter @message like /duration: / and @message like /statement: /",
        "| parse @message /duration: (?<ms>[0-9.]+) ms\\s+statement: (?<statement>.*)/",
        "| stats count() as calls, avg(ms) as mean_ms, max(ms) as max_ms, sum(ms) as total_ms by statement",
        "| sort total_ms desc",
        "| limit 25",
    ].join("\n"),
    "lock waits": [
        "fields @timestamp, @message",
        "| filter @message like /still waiting for/ or @message like /acquired .* after/ or @message like /deadlock detected/",
        "| parse @message /\\[(?<pid>\\d+)\\]:/",
        "| sort @timestamp desc",
        "| limit 100",
    ].join("\n"),
};

/** RDS event categories that page: failover, failure, maintenance, low storage, backup, recovery, notification. */
export const EVENT_CATEGORIES = [
    "failover",
    "failure",
    "maintenance",
    "low storage",
    "backup",
    "recovery",
    "notification",
] as const;

export interface DatabaseMonitoringArgs {
    /** RDS instance identifier: the alarms' and events' dimension, the dashboard's and saved queries' name. */
    readonly instanceId: string;
    /**
     * The databases `instanceId` names, made by this program: the event subscription waits for them, because RDS refuses an event
     * subscription to a source that does not exist yet (SourceNotFound). Omit when they already exist.
     */
    readonly sources?: readonly pulumi.Resource[];
    /** Alarm thresholds by key (postgres/monitoring/thresholds.ts): one alarm each, named `<name>-<key>`. */
    readonly thresholds: Readonly<Record<string, Threshold>>;
    /** The instance's max_connections, drawn on the dashboard's connections widget. */
    readonly maxConnections: number;
    /** The connection budget (max_connections less reserved and admin slots), drawn beside it. */
    readonly connectionBudget: number;
    /** Where alarms go (email subscription; it must be confirmed from the inbox). */
    readonly alarmEmail: string;
    /** ARN of the CMK the topic is encrypted with (its key policy must admit CloudWatch and RDS events). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Name of the exported postgresql log group: metric filters and saved queries read it. */
    readonly postgresqlLogGroup: pulumi.Input<string>;
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
    /**
     * PgBouncer's namespace and its total server connections (all replicas), when it runs with its exporter: adds
     * its dashboard widgets. Omit when PgBouncer does not run (RDS Proxy, no pooler, roles not managed).
     */
    readonly pgbouncer?: {
        /** Kubernetes namespace PgBouncer runs in: the Container Insights metrics' dimension. */
        readonly namespace: string;
        /** Server connections of all replicas together (the pool's share of the budget). */
        readonly serverConnections: number;
    };
    /** The read replicas drawn on the dashboard (their alarms are ReplicaMonitoring's). Omit when there are none. */
    readonly replicas?: ReplicaPanel;
}

/**
 * Being monitored means someone is told before users notice: an SNS topic (KMS-encrypted) with an email subscription,
 * an alarm per threshold (thresholds.ts, from the class and the settings), anomaly detection where a static
 * threshold is wrong, RDS events, metrics from the log, saved queries and the dashboard.
 */
export class DatabaseMonitoring extends pulumi.ComponentResource {
    readonly topic: aws.sns.Topic;
    readonly alarms: aws.cloudwatch.MetricAlarm[];

    constructor(name: string, args: DatabaseMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:DatabaseMonitoring", name, {}, opts);
        const child = { parent: this };
        const region = aws.getRegionOutput({}, child);
        this.topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: args.kmsKeyArn, tags: args.tags }, child);
        new aws.sns.TopicSubscription(
            `${name}-alarms-email`,
            { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
            child,
        );
        const actions = [this.topic.arn];
        this.alarms = [...thresholdAlarms(name, args, actions, this), ...anomalyAlarms(name, args, actions, this)];
        new aws.rds.EventSubscription(
            `${name}-events`,
            {
                snsTopic: this.topic.arn,
                sourceType: "db-instance",
                sourceIds: [args.instanceId],
                eventCategories: [...EVENT_CATEGORIES],
                enabled: true,
                tags: args.tags,
            },
            { ...child, dependsOn: args.sources ? [...args.sources] : undefined },
        );
        logMetricsAndQueries(name, args, this);
        new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: args.instanceId,
                dashboardBody: region.name.apply((r) =>
                    JSON.stringify(
                        dashboardBody({
                            instanceId: args.instanceId,
                            region: r,
                            thresholds: args.thresholds,
                            maxConnections: args.maxConnections,
                            connectionBudget: args.connectionBudget,
                            pgbouncer: args.pgbouncer,
                            replicas: args.replicas,
                        }),
                    ),
                ),
            },
            child,
        );
        this.registerOutputs({ topicArn: this.topic.arn });
    }
}

type AlarmActions = pulumi.Input<string>[];

/** One alarm per threshold. */
function thresholdAlarms(
    name: string,
    args: DatabaseMonitoringArgs,
    actions: AlarmActions,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm[] {
    return Object.entries(args.thresholds).map(
        ([key, t]) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${key}`,
                {
                    alarmDescription: `${args.instanceId}: ${t.description}`,
                    namespace: t.namespace,
                    metricName: t.metric,
                    dimensions: t.dimensions === "instance" ? { DBInstanceIdentifier: args.instanceId } : undefined,
                    statistic: t.statistic,
                    period: t.periodSeconds,
                    evaluationPeriods: t.periods,
                    datapointsToAlarm: t.periods,
                    threshold: t.threshold,
                    comparisonOperator: `${t.comparison}`,
                    // A silent health check is itself an alarm: its metrics missing means nobody is watching.
                    treatMissingData:
                        t.namespace === "MetaCortex/Database" && t.dimensions === "instance"
                            ? "breaching"
                            : "notBreaching",
                    alarmActions: actions,
                    okActions: actions,
                    tags: args.tags,
                },
                { parent },
            ),
    );
}

/** Anomaly detection where "normal" depends on the hour and the weekday: connections and write IOPS. */
function anomalyAlarms(
    name: string,
    args: DatabaseMonitoringArgs,
    actions: AlarmActions,
    parent: pulumi.Resource,
): aws.cloudwatch.MetricAlarm[] {
    return ["DatabaseConnections", "WriteIOPS"].map(
        (metric) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-anomaly-${metric}`,
                {
                    alarmDescription: `${args.instanceId}: ${metric} outside its usual band (3 standard deviations) for 15 minutes`,
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
                                metricName: metric,
                                dimensions: { DBInstanceIdentifier: args.instanceId },
                                period: 300,
                                stat: "Average",
                            },
                        },
                        {
                            id: "band",
                            expression: "ANOMALY_DETECTION_BAND(m, 3)",
                            label: `${metric} expected band`,
                            returnData: true,
                        },
                    ],
                    alarmActions: actions,
                    okActions: actions,
                    tags: args.tags,
                },
                { parent },
            ),
    );
}

/**
 * Metrics from the postgresql log (LOG_METRIC_FILTERS) and the saved Logs Insights queries (LOG_QUERIES), named
 * `<instanceId>/<title>`. AuroraMonitoring reads the cluster's log the same way.
 */
export function logMetricsAndQueries(
    name: string,
    args: Pick<DatabaseMonitoringArgs, "instanceId" | "postgresqlLogGroup">,
    parent: pulumi.Resource,
): void {
    for (const [metric, pattern] of Object.entries(LOG_METRIC_FILTERS)) {
        new aws.cloudwatch.LogMetricFilter(
            `${name}-log-${metric}`,
            {
                logGroupName: args.postgresqlLogGroup,
                pattern,
                metricTransformation: {
                    namespace: "MetaCortex/Database",
                    name: metric,
                    value: "1",
                    defaultValue: "0",
                    unit: "Count",
                },
            },
            { parent },
        );
    }
    for (const [title, queryString] of Object.entries(LOG_QUERIES)) {
        new aws.cloudwatch.QueryDefinition(
            `${name}-query-${title.replace(/\s+/g, "-")}`,
            { name: `${args.instanceId}/${title}`, logGroupNames: [args.postgresqlLogGroup], queryString },
            { parent },
        );
    }
}

/** Pure: CloudWatch Logs' rule for a pattern of quoted terms: a line matches when it contains every term. */
export function matchesFilter(pattern: string, line: string): boolean {
    const terms = [...pattern.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    return terms.length > 0 && terms.every((t) => line.includes(t));
}
