/**
 * Monitoring policies: each RDS instance has a dashboard and alarms on its metrics, and an alarm that notifies
 * nobody is a violation.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, type StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isReadReplica } from "./lib";

export const alarmHasActions: ResourceValidationPolicy = {
    name: "alarm-has-actions",
    description: "Every CloudWatch alarm notifies someone when it fires.",
    severity: "medium",
    validateResource: validateResourceOfType(aws.cloudwatch.MetricAlarm, (alarm, _args, report) => {
        if (alarm.actionsEnabled === false) report("actionsEnabled must not be false.");
        if ((alarm.alarmActions ?? []).length === 0)
            report("alarmActions must name at least one action (the alarm topic).");
    }),
};

export const monitoringForDatabase: StackValidationPolicy = {
    name: "monitoring-for-database",
    description:
        "Every RDS instance has a CloudWatch dashboard and at least the configured number of alarms on its metrics (a read replica, the number for replicas).",
    severity: "high",
    configSchema: {
        properties: {
            minAlarms: { type: "integer", minimum: 1, default: 5 },
            minReplicaAlarms: { type: "integer", minimum: 1, default: 5 },
        },
    },
    validateStack: (args, report) => {
        if (!args.resources.some((r) => r.isType(aws.rds.Instance)))
            args.notApplicable("no RDS instance in this stack");
        const config = args.getConfig<{ minAlarms: number; minReplicaAlarms: number }>();
        const dashboards = args.resources
            .filter((r) => r.isType(aws.cloudwatch.Dashboard))
            .map((d) => String(d.props.dashboardBody ?? ""));
        const alarms = args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
        for (const db of args.resources.filter((r) => r.isType(aws.rds.Instance))) {
            const id: string = db.props.identifier;
            // A replica's alarms watch its own machine and its lag; the source's data alarms are the source's.
            const minAlarms = isReadReplica(db.props) ? config.minReplicaAlarms : config.minAlarms;
            if (!dashboards.some((body) => body.includes(`"DBInstanceIdentifier","${id}"`)))
                report(`RDS instance ${id} is on no dashboard.`, db.urn);
            const own = alarms.filter((a) => {
                const dims = [
                    a.props.dimensions,
                    ...(a.props.metricQueries ?? []).map((q: any) => q.metric?.dimensions),
                ];
                return dims.some((d) => d?.DBInstanceIdentifier === id);
            });
            if (own.length < minAlarms)
                report(
                    `RDS instance ${id} has ${own.length} alarms on its metrics; at least ${minAlarms} required.`,
                    db.urn,
                );
        }
    },
};

export const monitoringPolicies = [alarmHasActions, monitoringForDatabase];
