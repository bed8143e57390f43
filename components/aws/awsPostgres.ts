import * as pulumi from "@pulumi/pulumi";
import { RDS_CA_BUNDLE_URL, RDS_CA_IDENTIFIER, RdsInstance } from "./instance";
import { KmsKey } from "./kmsKey";
import { MonitoringRole } from "./monitoringRole";
import { DatabaseNetwork } from "./network";
import { ParameterGroup, RdsParameter } from "./parameterGroup";

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

    constructor(name: string, args: AwsPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AwsPostgres", name, {}, opts);
        const port = args.port ?? 5432;
        const child = { parent: this };
        this.kmsKey = new KmsKey(`${name}-kms`, { description: `${args.identifier} database: storage, secrets, Performance Insights`, alias: `${args.identifier}/database`, tags: args.tags }, child);
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
        this.parameterGroup = new ParameterGroup(`${name}-params`, { family: "postgres15", parameters: args.parameters, tags: args.tags }, child);
        const monitoring = new MonitoringRole(`${name}-monitoring`, { tags: args.tags }, child);
        this.rds = new RdsInstance(
            `${name}-rds`,
            {
                // A restore is a new instance beside the source, named for the time it restores to.
                identifier: args.restore ? restoredIdentifier(args.identifier, args.restore.pointInTime) : args.identifier,
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
                    ...(args.restore.pointInTime === "latest" ? { useLatestRestorableTime: true } : { restoreTime: args.restore.pointInTime }),
                },
                tags: args.tags,
            },
            child,
        );
        this.registerOutputs({ address: this.rds.address, kmsKeyArn: this.kmsKey.arn });
    }
}
