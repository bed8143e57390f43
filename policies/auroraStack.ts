/**
 * Stack-wide Aurora policies: a cluster has instances in several availability zones to fail over to, is selected by
 * an AWS Backup plan whose restores are tested, and is watched: every instance on a dashboard with alarms, and the
 * cluster's own events (failovers) sent somewhere. Checkov CKV2_AWS_8 and cdk-nag HIPAA.Security-RDSInBackupPlan
 * cover the backup plan; the rest are the RDS instance's rules (backup.ts, monitoring.ts) for a cluster.
 */
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

/** The cluster's instances, by the cluster identifier they name. */
const instancesOf = (resources: PolicyResource[], cluster: PolicyResource) =>
    resources.filter(
        (r) => r.isType(aws.rds.ClusterInstance) && r.props.clusterIdentifier === cluster.props.clusterIdentifier,
    );
const clustersOf = (resources: PolicyResource[]) => resources.filter((r) => r.isType(aws.rds.Cluster));

export const auroraInstancesAcrossAzs: StackValidationPolicy = {
    name: "aurora-instances-across-azs",
    description:
        "Every Aurora cluster has at least the configured number of instances, spread over at least two availability zones when there are two or more.",
    severity: "high",
    configSchema: { properties: { minInstances: { type: "integer", minimum: 1, maximum: 16, default: 2 } } },
    validateStack: (args, report) => {
        const clusters = clustersOf(args.resources);
        if (clusters.length === 0) args.notApplicable("no Aurora cluster in this stack");
        const { minInstances } = args.getConfig<{ minInstances: number }>();
        for (const cluster of clusters) {
            const id = cluster.props.clusterIdentifier;
            const instances = instancesOf(args.resources, cluster);
            const zones = new Set(instances.map((i) => i.props.availabilityZone).filter(Boolean));
            if (instances.length < minInstances)
                report(
                    `Aurora cluster ${id} has ${instances.length} instances; at least ${minInstances} required, so a reader can take over.`,
                    cluster.urn,
                );
            else if (minInstances >= 2 && zones.size < 2)
                report(
                    `Aurora cluster ${id} has its instances in ${zones.size === 0 ? "no named zone" : `one zone (${[...zones][0]})`}; at least two zones required.`,
                    cluster.urn,
                );
        }
    },
};

export const auroraInBackupPlan: StackValidationPolicy = {
    name: "aurora-in-backup-plan",
    description: "Every Aurora cluster is selected by an AWS Backup plan (CKV2_AWS_8, HIPAA.Security-RDSInBackupPlan).",
    severity: "critical",
    validateStack: (args, report) => {
        const clusters = clustersOf(args.resources);
        if (clusters.length === 0) args.notApplicable("no Aurora cluster in this stack");
        const selected = args.resources
            .filter((r) => r.isType(aws.backup.Selection))
            .flatMap((s) => (s.props.resources ?? []) as string[]);
        for (const c of clusters)
            if (!selected.includes(c.props.arn))
                report(`Aurora cluster ${c.props.clusterIdentifier} is in no backup selection.`, c.urn);
    },
};

export const auroraRestoreTesting: StackValidationPolicy = {
    name: "aurora-restore-testing",
    description:
        "Every Aurora cluster's recovery points are restored and validated on a schedule by AWS Backup restore testing.",
    severity: "high",
    configSchema: { properties: { required: { type: "boolean", default: true } } },
    validateStack: (args, report) => {
        if (!args.getConfig<{ required: boolean }>().required)
            args.notApplicable("restore testing is not required for this stack");
        const clusters = clustersOf(args.resources);
        if (clusters.length === 0) args.notApplicable("no Aurora cluster in this stack");
        const selections = args.resources.filter((r) => r.isType(aws.backup.RestoreTestingSelection));
        for (const c of clusters) {
            const tested = selections.some(
                (s) =>
                    s.props.protectedResourceType === "Aurora" &&
                    (s.props.protectedResourceArns ?? []).includes(c.props.arn),
            );
            if (!tested)
                report(`Aurora cluster ${c.props.clusterIdentifier} is in no Aurora restore testing selection.`, c.urn);
        }
    },
};

export const auroraMonitored: StackValidationPolicy = {
    name: "aurora-monitored",
    description:
        "Every Aurora instance is on a dashboard with at least the configured number of alarms, and every cluster's failovers are sent to a topic.",
    severity: "high",
    configSchema: { properties: { minAlarms: { type: "integer", minimum: 1, default: 5 } } },
    validateStack: (args, report) => {
        const clusters = clustersOf(args.resources);
        if (clusters.length === 0) args.notApplicable("no Aurora cluster in this stack");
        const { minAlarms } = args.getConfig<{ minAlarms: number }>();
        const dashboards = args.resources
            .filter((r) => r.isType(aws.cloudwatch.Dashboard))
            .map((d) => String(d.props.dashboardBody ?? ""));
        const alarms = args.resources.filter((r) => r.isType(aws.cloudwatch.MetricAlarm));
        const subscriptions = args.resources.filter((r) => r.isType(aws.rds.EventSubscription));
        for (const cluster of clusters) {
            const id: string = cluster.props.clusterIdentifier;
            const watched = subscriptions.some(
                (s) =>
                    s.props.sourceType === "db-cluster" &&
                    (s.props.sourceIds ?? []).includes(id) &&
                    (s.props.eventCategories ?? []).includes("failover"),
            );
            if (!watched)
                report(`Aurora cluster ${id} has no db-cluster event subscription for failover.`, cluster.urn);
            for (const instance of instancesOf(args.resources, cluster)) {
                const name: string = instance.props.identifier;
                if (!dashboards.some((body) => body.includes(`"DBInstanceIdentifier","${name}"`)))
                    report(`Aurora instance ${name} is on no dashboard.`, instance.urn);
                const own = alarms.filter((a) => a.props.dimensions?.DBInstanceIdentifier === name).length;
                if (own < minAlarms)
                    report(
                        `Aurora instance ${name} has ${own} alarms on its metrics; at least ${minAlarms} required.`,
                        instance.urn,
                    );
            }
        }
    },
};

export const auroraStackPolicies = [
    auroraInstancesAcrossAzs,
    auroraInBackupPlan,
    auroraRestoreTesting,
    auroraMonitored,
];
