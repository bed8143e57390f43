/**
 * The database as an Aurora cluster, and its operations: the same settings source (split into the cluster's and the
 * instances' parameter groups), AWS Backup selecting the cluster with restore tests, and its own alarms, events and
 * dashboard. Roles, credentials and pooling take the cluster as they take the RDS instance (access.ts, pooling.ts):
 * its cluster endpoint is the primary's host.
 */
import * as pulumi from "@pulumi/pulumi";
import { instanceClass, isServerlessSizing } from "../../postgres/instanceClasses";
import { auroraThresholds } from "../../postgres/monitoring/aurora";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import { pgbouncerServerConnections, type ReadTarget } from "../../postgres/pooling/readRouting";
import { postgresSettings, renderAuroraParameters, standbySettings } from "../../postgres/settings";
import { sizeFor } from "../../postgres/settings/sizing";
import { AuroraMonitoring, type AuroraMonitoringArgs } from "../aws/auroraMonitoring";
import { AwsAurora } from "../aws/awsAurora";
import { AwsBackup } from "../aws/awsBackup";
import { HealthCheck } from "../aws/healthCheck";
import { withResource } from "../support/resourceError";
import type { MetacortexDatabaseArgs } from "./args";
import type { AuroraPrimary } from "./primary";

/** Aurora's cluster with its key, network and parameter groups, from the settings rendered for the class. */
export function auroraPrimary(name: string, args: MetacortexDatabaseArgs, parent: pulumi.Resource): AuroraPrimary {
    const vpcId = args.network.vpcId;
    const shape = args.aurora;
    if (vpcId === undefined || shape === undefined)
        throw new pulumi.ResourceError(
            `MetacortexDatabase ${name}: an Aurora cluster needs network.vpcId and aurora, got ${vpcId ?? "no VPC"}`,
            parent,
        );
    const settings = [
        ...postgresSettings({
            environment: args.environment,
            instanceClass: args.instanceClass,
            databaseName: args.databaseName,
            engine: "aurora",
        }),
        ...standbySettings(),
    ];
    const db = new AwsAurora(
        `${name}-aurora`,
        {
            identifier: args.identifier,
            databaseName: args.databaseName,
            engineVersion: args.engineVersion,
            // A Serverless v2 cluster is sized as db.serverless/<max ACU>; its instances' class is db.serverless.
            instanceClass: isServerlessSizing(args.instanceClass) ? "db.serverless" : args.instanceClass,
            readers: shape.readers,
            serverless: shape.serverless,
            storageType: shape.storageType,
            deletionProtection: args.deletionProtection,
            backupRetentionDays: args.backupRetentionDays,
            backupWindow: args.backupWindow,
            maintenanceWindow: args.maintenanceWindow,
            vpcId,
            subnetIds: args.network.subnetIds,
            allowedCidrs: args.network.allowedCidrs,
            allowedSecurityGroupIds: args.network.allowedSecurityGroupIds,
            parameters: withResource(parent, () => renderAuroraParameters(settings)),
            tags: args.tags,
        },
        { parent },
    );
    return {
        host: db.aurora.endpoint,
        port: db.aurora.port,
        readerHost: db.aurora.readerEndpoint,
        caIdentifier: db.caIdentifier,
        caBundle: pulumi.output(db.caBundle),
        adminSecret: { kind: "aws-secretsmanager", ref: db.aurora.masterSecretArn },
        aurora: db,
    };
}

/**
 * Where an Aurora cluster's reads go: its reader endpoint, one read target whose budget is its readers' together
 * (they share the class), or none when it has no reader, so the writer serves them as an RDS primary does.
 */
export function auroraReadTargets<H>(args: MetacortexDatabaseArgs, readerHost: H): ReadTarget<H>[] {
    const readers = shapeOf(args).readers;
    if (readers === 0) return [];
    const budget = sizeFor(instanceClass(args.instanceClass)).connectionBudget;
    return [{ host: readerHost, connectionBudget: readers * budget }];
}

/** AWS Backup selecting the cluster; restore tests restore it, add an instance, and validate as for RDS. */
export function auroraBackup(
    name: string,
    args: MetacortexDatabaseArgs,
    db: AwsAurora,
    roleSecretArns: Readonly<Record<string, pulumi.Output<string>>> | undefined,
    parent: pulumi.Resource,
): AwsBackup {
    return new AwsBackup(
        `${name}-backup`,
        {
            ...db.vpc,
            drRegion: args.backup.drRegion,
            vaultLock: args.backup.vaultLock,
            snapshotRetentionDays: args.backup.snapshotRetentionDays,
            continuousRetentionDays: args.backup.continuousRetentionDays,
            identifier: args.identifier,
            environment: args.environment,
            instanceArn: db.aurora.cluster.arn,
            resourceType: "Aurora",
            subnetGroupName: db.network.subnetGroup.name,
            validationSecretArn: roleSecretArns?.migrator,
            validatorCode: args.files.lambdas.restoreValidation,
            tags: args.tags,
        },
        { parent },
    );
}

/** The cluster's alarms, events and dashboard, and the scheduled health check when the monitor role exists. */
export function auroraMonitoring(
    name: string,
    args: MetacortexDatabaseArgs,
    alarmEmail: string,
    db: AwsAurora,
    roleSecretArns: Readonly<Record<string, pulumi.Output<string>>> | undefined,
    parent: pulumi.Resource,
): AuroraMonitoring {
    const size = sizeFor(instanceClass(args.instanceClass));
    const maxAcu = shapeOf(args).serverless?.maxAcu;
    const monitoring = new AuroraMonitoring(
        `${name}-monitoring`,
        {
            clusterId: db.clusterIdentifier,
            instanceIds: db.aurora.instanceIdentifiers,
            sources: [db.aurora.cluster, ...db.aurora.instances],
            thresholds: withResource(parent, () =>
                auroraThresholds({
                    instanceClass: args.instanceClass,
                    lagSeconds: args.replicas.lagAlarmSeconds,
                    maxAcu,
                }),
            ),
            maxConnections: size.maxConnections,
            connectionBudget: size.connectionBudget,
            maxAcu,
            alarmEmail,
            kmsKeyArn: db.kmsKey.arn,
            postgresqlLogGroup: db.logGroups.postgresql.name,
            pgbouncer: pgbouncerPanel(args, size.connectionBudget, parent),
            tags: args.tags,
        },
        { parent },
    );
    if (roleSecretArns?.monitor) {
        new HealthCheck(
            `${name}-health`,
            {
                ...db.vpc,
                secretArn: roleSecretArns.monitor,
                instanceId: db.aurora.instanceIdentifiers[0],
                clusterId: db.clusterIdentifier,
                code: args.files.lambdas.healthCheck,
                tags: args.tags,
            },
            { parent },
        );
    }
    return monitoring;
}

/**
 * PgBouncer on the dashboard, when it runs: its server connections over the write database on the writer and the
 * read one on the readers (or the writer), as on RDS.
 */
function pgbouncerPanel(
    args: MetacortexDatabaseArgs,
    connectionBudget: number,
    parent: pulumi.Resource,
): AuroraMonitoringArgs["pgbouncer"] {
    if (args.pooling.pooler !== "pgbouncer" || !args.admin.manageRoles) return undefined;
    const serverConnections = withResource(parent, () =>
        pgbouncerServerConnections(
            poolSizing(connectionBudget, args.pooling.replicas),
            auroraReadTargets(args, undefined),
        ),
    );
    return { namespace: args.pooling.namespace, serverConnections };
}

/** The Aurora args of a database the program built as a cluster. */
function shapeOf(args: MetacortexDatabaseArgs): NonNullable<MetacortexDatabaseArgs["aurora"]> {
    if (!args.aurora) throw new Error("Aurora operations on a database that is not an Aurora cluster");
    return args.aurora;
}
