/** prod operations around the instance: AWS Backup with restore tests, alarms and dashboard, the health check. */
import type * as pulumi from "@pulumi/pulumi";
import { instanceClass } from "../../postgres/instanceClasses";
import { type ReplicaPanel, replicaThresholds } from "../../postgres/monitoring/replicas";
import { alarmThresholds } from "../../postgres/monitoring/thresholds";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import { pgbouncerServerConnections } from "../../postgres/pooling/readRouting";
import { sizeFor } from "../../postgres/settings/sizing";
import { AwsBackup } from "../aws/awsBackup";
import type { AwsPostgres } from "../aws/awsPostgres";
import { DatabaseMonitoring } from "../aws/databaseMonitoring";
import { HealthCheck } from "../aws/healthCheck";
import { ReplicaMonitoring } from "../aws/replicaMonitoring";
import { withResource } from "../support/resourceError";
import type { MetacortexDatabaseArgs } from "./args";
import type { Replicas } from "./replicas";

/** AWS Backup for the instance; restore tests validate with the migrator's secret when roles are managed. */
export function awsBackup(
    name: string,
    args: MetacortexDatabaseArgs,
    aws: AwsPostgres,
    roleSecretArns: Readonly<Record<string, pulumi.Output<string>>> | undefined,
    parent: pulumi.Resource,
): AwsBackup {
    return new AwsBackup(
        `${name}-backup`,
        {
            ...aws.vpc,
            drRegion: args.backup.drRegion,
            vaultLock: args.backup.vaultLock,
            snapshotRetentionDays: args.backup.snapshotRetentionDays,
            continuousRetentionDays: args.backup.continuousRetentionDays,
            identifier: args.identifier,
            environment: args.environment,
            instanceArn: aws.rds.instance.arn,
            subnetGroupName: aws.network.subnetGroup.name,
            validationSecretArn: roleSecretArns?.migrator,
            validatorCode: args.files.lambdas.restoreValidation,
            tags: args.tags,
        },
        { parent },
    );
}

/** Alarms and dashboard from the class's thresholds, and the scheduled health check when the monitor role exists. */
export function awsMonitoring(
    name: string,
    args: MetacortexDatabaseArgs,
    alarmEmail: string,
    aws: AwsPostgres,
    roleSecretArns: Readonly<Record<string, pulumi.Output<string>>> | undefined,
    replicas: Replicas,
    parent: pulumi.Resource,
): DatabaseMonitoring {
    const size = sizeFor(instanceClass(args.instanceClass));
    const pgbouncer = args.pooling.pooler === "pgbouncer" && args.admin.manageRoles;
    const monitoring = new DatabaseMonitoring(
        `${name}-monitoring`,
        {
            instanceId: aws.instanceIdentifier,
            sources: [aws.rds.instance],
            thresholds: withResource(parent, () => alarmThresholds(args.instanceClass, args.allocatedStorageGiB)),
            maxConnections: size.maxConnections,
            connectionBudget: size.connectionBudget,
            alarmEmail,
            kmsKeyArn: aws.kmsKey.arn,
            postgresqlLogGroup: aws.logGroups.postgresql.name,
            tags: args.tags,
            pgbouncer: pgbouncer
                ? {
                      namespace: args.pooling.namespace,
                      serverConnections: withResource(parent, () =>
                          pgbouncerServerConnections(
                              poolSizing(size.connectionBudget, args.pooling.replicas),
                              replicas.targets,
                          ),
                      ),
                  }
                : undefined,
            replicas: withResource(parent, () => replicaPanel(args, replicas)),
        },
        { parent },
    );
    if (replicas.inRegion) replicaMonitoring(name, args, replicas.inRegion.replicas, monitoring, parent);
    if (roleSecretArns?.monitor) {
        new HealthCheck(
            `${name}-health`,
            {
                ...aws.vpc,
                secretArn: roleSecretArns.monitor,
                instanceId: aws.instanceIdentifier,
                code: args.files.lambdas.healthCheck,
                tags: args.tags,
            },
            { parent },
        );
    }
    return monitoring;
}

/** Pure: the replicas on the dashboard (the DR one from its region), or undefined when there are none. */
function replicaPanel(args: MetacortexDatabaseArgs, replicas: Replicas): ReplicaPanel | undefined {
    const drawn = [
        ...(replicas.inRegion?.replicas ?? []).map((r) => ({ id: r.identifier })),
        ...(replicas.dr ? [{ id: replicas.dr.replica.identifier, region: args.replicas.dr?.region }] : []),
    ];
    if (drawn.length === 0) return undefined;
    return {
        replicas: drawn,
        lagSeconds: args.replicas.lagAlarmSeconds,
        connectionBudget: sizeFor(instanceClass(args.replicas.instanceClass)).connectionBudget,
        cpuAlarm: alarmThresholds(args.replicas.instanceClass, args.allocatedStorageGiB).cpu,
    };
}

/** The in-region replicas' alarms and events, to the primary's topic (the DR replica's are in its own region). */
function replicaMonitoring(
    name: string,
    args: MetacortexDatabaseArgs,
    readers: readonly { identifier: string; instance: pulumi.Resource }[],
    monitoring: DatabaseMonitoring,
    parent: pulumi.Resource,
): ReplicaMonitoring {
    const r = args.replicas;
    return new ReplicaMonitoring(
        `${name}-replica-monitoring`,
        {
            replicaIds: readers.map((x) => x.identifier),
            sources: readers.map((x) => x.instance),
            thresholds: withResource(parent, () =>
                replicaThresholds(r.instanceClass, args.allocatedStorageGiB, r.lagAlarmSeconds),
            ),
            topicArn: monitoring.topic.arn,
            tags: args.tags,
        },
        { parent },
    );
}
