import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_EXPORTS, RDS_CA_BUNDLE_URL, RDS_CA_IDENTIFIER, RdsInstance } from "./rdsInstance";
import { KmsKey } from "./kmsKey";
import { MonitoringRole } from "./monitoringRole";
import { DatabaseNetwork } from "./databaseNetwork";
import type { RdsParameter } from "../../postgres/settings/render";
import { ParameterGroup } from "./parameterGroup";

export interface AwsPostgresArgs {
    /** RDS identifier and name prefix, e.g. `metacortex-prod`. */
    readonly identifier: string;
    readonly databaseName: string;
    readonly instanceClass: string;
    /** `15` or `15.N`. */
    readonly engineVersion: string;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
    readonly backupWindow: string;
    readonly maintenanceWindow: string;
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    readonly allowedCidrs: readonly string[];
    readonly allowedSecurityGroupIds: readonly string[];
    /** Parameter group contents, rendered from the settings source. */
    readonly parameters: readonly RdsParameter[];
    /** PostgreSQL port. Default 5432. */
    readonly port?: number;
    /** Days the exported postgresql and upgrade logs are kept in CloudWatch Logs. Default 90. */
    readonly logRetentionDays?: number;
    /** Create the instance by restoring another one to a point in time (declarative PITR). */
    readonly restore?: { readonly sourceInstance: string; readonly pointInTime: string };
    readonly tags: Readonly<Record<string, string>>;
}

/** Pure: the identifier of an instance restored to `pointInTime`, e.g. metacortex-prod-pitr-202611240930. */
export function restoredIdentifier(identifier: string, pointInTime: string): string {
    return `${identifier}-pitr-${pointInTime === "latest" ? "latest" : pointInTime.replace(/[^0-9]/g, "").slice(0, 12)}`;
}

/** The prod database on AWS: CMK, network, parameter group, monitoring role and the RDS instance, wired. */
export class AwsPostgres extends pulumi.ComponentResource {
    readonly kmsKey: KmsKey;
    readonly network: DatabaseNetwork;
    readonly parameterGroup: ParameterGroup;
    readonly rds: RdsInstance;
    readonly caIdentifier = RDS_CA_IDENTIFIER;
    readonly caBundle = RDS_CA_BUNDLE_URL;
    /** The exported log groups, by log type (postgresql, upgrade). */
    readonly logGroups: Record<string, aws.cloudwatch.LogGroup> = {};
    /** The instance identifier (differs from args.identifier for a point-in-time restore). */
    readonly instanceIdentifier: string;

    constructor(name: string, args: AwsPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AwsPostgres", name, {}, opts);
        const port = args.port ?? 5432;
        const child = { parent: this };
        const region = aws.getRegionOutput({}, child);
        this.kmsKey = new KmsKey(
            `${name}-kms`,
            {
                description: `${args.identifier} database: storage, secrets, Performance Insights, logs, alarms`,
                alias: `${args.identifier}/database`,
                // Services that encrypt with the key on the account's behalf: the exported log groups, and the alarm
                // topic's publishers (CloudWatch alarms, RDS event notifications).
                servicePrincipals: [
                    pulumi.interpolate`logs.${region.name}.amazonaws.com`,
                    "cloudwatch.amazonaws.com",
                    "events.rds.amazonaws.com",
                ],
                tags: args.tags,
            },
            child,
        );
        this.network = new DatabaseNetwork(
            `${name}-net`,
            {
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                port,
                allowedCidrs: args.allowedCidrs,
                allowedSecurityGroupIds: args.allowedSecurityGroupIds,
                tags: args.tags,
            },
            child,
        );
        this.parameterGroup = new ParameterGroup(
            `${name}-params`,
            { family: "postgres15", parameters: args.parameters, tags: args.tags },
            child,
        );
        const monitoring = new MonitoringRole(`${name}-monitoring`, { tags: args.tags }, child);
        this.instanceIdentifier = args.restore
            ? restoredIdentifier(args.identifier, args.restore.pointInTime)
            : args.identifier;
        // RDS would create these on first export, without retention or encryption: create them first.
        for (const type of LOG_EXPORTS) {
            this.logGroups[type] = new aws.cloudwatch.LogGroup(
                `${name}-logs-${type}`,
                {
                    name: `/aws/rds/instance/${this.instanceIdentifier}/${type}`,
                    retentionInDays: args.logRetentionDays ?? 90,
                    kmsKeyId: this.kmsKey.arn,
                    tags: args.tags,
                },
                child,
            );
        }
        this.rds = new RdsInstance(
            `${name}-rds`,
            {
                // A restore is a new instance beside the source, named for the time it restores to.
                identifier: this.instanceIdentifier,
                instanceClass: args.instanceClass,
                engineVersion: args.engineVersion,
                allocatedStorageGiB: args.allocatedStorageGiB,
                maxAllocatedStorageGiB: args.maxAllocatedStorageGiB,
                databaseName: args.databaseName,
                port,
                multiAz: args.multiAz,
                deletionProtection: args.deletionProtection,
                backupRetentionDays: args.backupRetentionDays,
                backupWindow: args.backupWindow,
                maintenanceWindow: args.maintenanceWindow,
                kmsKeyArn: this.kmsKey.arn,
                parameterGroupName: this.parameterGroup.name,
                subnetGroupName: this.network.subnetGroup.name,
                securityGroupIds: [this.network.securityGroup.id],
                monitoringRoleArn: monitoring.arn,
                restoreToPointInTime: args.restore && {
                    sourceDbInstanceIdentifier: args.restore.sourceInstance,
                    ...(args.restore.pointInTime === "latest"
                        ? { useLatestRestorableTime: true }
                        : { restoreTime: args.restore.pointInTime }),
                },
                tags: args.tags,
            },
            { parent: this, dependsOn: Object.values(this.logGroups) },
        );
        this.registerOutputs({ address: this.rds.address, kmsKeyArn: this.kmsKey.arn });
    }
}
