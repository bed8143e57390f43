import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import type { RdsParameter } from "../../postgres/settings/render";
import { DatabaseNetwork } from "./databaseNetwork";
import { KmsKey } from "./kmsKey";
import { MonitoringRole } from "./monitoringRole";
import { ParameterGroup } from "./parameterGroup";
import { LOG_EXPORTS, RDS_CA_BUNDLE_URL, RDS_CA_IDENTIFIER, RdsInstance, type RdsInstanceArgs } from "./rdsInstance";
import type { DatabaseVpc } from "./support/databaseVpc";

export interface AwsPostgresArgs
    extends Pick<
        RdsInstanceArgs,
        | "instanceClass"
        | "engineVersion"
        | "allocatedStorageGiB"
        | "maxAllocatedStorageGiB"
        | "databaseName"
        | "multiAz"
        | "deletionProtection"
        | "backupRetentionDays"
        | "backupWindow"
        | "maintenanceWindow"
    > {
    /** RDS identifier and name prefix of every resource, e.g. `metacortex-prod` (a restore adds a suffix). */
    readonly identifier: string;
    /** VPC that holds the database (`vpc-<hex>`). */
    readonly vpcId: string;
    /** Private subnets of the database, at least two in different AZs (DatabaseNetwork refuses fewer). */
    readonly subnetIds: readonly string[];
    /** Client CIDRs allowed to the port; nothing wider than /8 (IPv4) or /32 (IPv6). Empty for none. */
    readonly allowedCidrs: readonly string[];
    /** Application security groups allowed to the port. */
    readonly allowedSecurityGroupIds: readonly string[];
    /** Parameter group contents, rendered from the settings source (postgres/settings). */
    readonly parameters: readonly RdsParameter[];
    /** PostgreSQL port (TCP). Default POSTGRES_PORT, PostgreSQL's own default. */
    readonly port?: number;
    /** Days the exported postgresql and upgrade logs are kept in CloudWatch Logs. Default 90. */
    readonly logRetentionDays?: number;
    /** Create the instance by restoring another one to a point in time (declarative PITR). Omit for an empty one. */
    readonly restore?: {
        /** Identifier of the instance restored from, e.g. `metacortex-prod`; it must still exist. */
        readonly sourceInstance: string;
        /** ISO 8601 UTC time inside the source's backup retention, e.g. `2026-11-24T09:30:00Z`, or `latest`. */
        readonly pointInTime: string;
    };
    /** Tags for every resource that takes them (copied to snapshots too). */
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
    /** The role Enhanced Monitoring publishes with (IAM is global: read replicas in any region use it too). */
    readonly monitoringRole: MonitoringRole;
    readonly caIdentifier = RDS_CA_IDENTIFIER;
    readonly caBundle = RDS_CA_BUNDLE_URL;
    /** The exported log groups, by log type (postgresql, upgrade). */
    readonly logGroups: Record<string, aws.cloudwatch.LogGroup>;
    /** The instance identifier (differs from args.identifier for a point-in-time restore). */
    readonly instanceIdentifier: string;
    /** The port the instance listens on (args.port, or POSTGRES_PORT). */
    readonly port: number;
    /** Where what talks to the database goes: its VPC, subnets, security group, port and CMK. */
    readonly vpc: DatabaseVpc;

    constructor(name: string, args: AwsPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AwsPostgres", name, {}, opts);
        this.port = args.port ?? POSTGRES_PORT;
        const child = { parent: this };
        this.kmsKey = databaseKey(name, args, this);
        this.network = databaseNetwork(name, args, this.port, this);
        this.parameterGroup = new ParameterGroup(
            `${name}-params`,
            { family: "postgres15", parameters: args.parameters, tags: args.tags },
            child,
        );
        this.monitoringRole = new MonitoringRole(`${name}-monitoring`, { tags: args.tags }, child);
        this.instanceIdentifier = args.restore
            ? restoredIdentifier(args.identifier, args.restore.pointInTime)
            : args.identifier;
        this.logGroups = logGroups(name, this.instanceIdentifier, this.kmsKey, args, this);
        this.rds = new RdsInstance(
            `${name}-rds`,
            {
                ...pickInstanceArgs(args),
                // A restore is a new instance beside the source, named for the time it restores to.
                identifier: this.instanceIdentifier,
                port: this.port,
                kmsKeyArn: this.kmsKey.arn,
                parameterGroupName: this.parameterGroup.name,
                subnetGroupName: this.network.subnetGroup.name,
                securityGroupIds: [this.network.securityGroup.id],
                monitoringRoleArn: this.monitoringRole.arn,
                restoreToPointInTime: pointInTimeRestore(args.restore),
                tags: args.tags,
            },
            { parent: this, dependsOn: Object.values(this.logGroups) },
        );
        this.vpc = databaseVpc(args, this.network, this.port, this.kmsKey);
        this.registerOutputs({ address: this.rds.address, kmsKeyArn: this.kmsKey.arn });
    }
}

/** Pure: RDS's restore arguments for a declarative point-in-time restore; undefined for an empty instance. */
function pointInTimeRestore(restore: AwsPostgresArgs["restore"]): RdsInstanceArgs["restoreToPointInTime"] {
    if (!restore) return undefined;
    return {
        sourceDbInstanceIdentifier: restore.sourceInstance,
        ...(restore.pointInTime === "latest"
            ? { useLatestRestorableTime: true }
            : { restoreTime: restore.pointInTime }),
    };
}

/** Pure: the instance settings AwsPostgres passes through to RdsInstance unchanged. */
function pickInstanceArgs(args: AwsPostgresArgs) {
    const { instanceClass, engineVersion, allocatedStorageGiB, maxAllocatedStorageGiB, databaseName } = args;
    const { multiAz, deletionProtection, backupRetentionDays, backupWindow, maintenanceWindow } = args;
    return {
        instanceClass,
        engineVersion,
        allocatedStorageGiB,
        maxAllocatedStorageGiB,
        databaseName,
        multiAz,
        deletionProtection,
        backupRetentionDays,
        backupWindow,
        maintenanceWindow,
    };
}

/**
 * The database's CMK, usable by the services that encrypt on the account's behalf (logs, alarms, RDS events). The
 * Aurora cluster (AwsAurora) gets the same key.
 */
export function databaseKey(
    name: string,
    args: Pick<AwsPostgresArgs, "identifier" | "tags">,
    parent: pulumi.Resource,
): KmsKey {
    const region = aws.getRegionOutput({}, { parent });
    return new KmsKey(
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
        { parent },
    );
}

/** The database's subnet group and security group, admitting only the given ranges and groups. AwsAurora's too. */
export function databaseNetwork(
    name: string,
    args: Pick<AwsPostgresArgs, "vpcId" | "subnetIds" | "allowedCidrs" | "allowedSecurityGroupIds" | "tags">,
    port: number,
    parent: pulumi.Resource,
): DatabaseNetwork {
    const { vpcId, subnetIds, allowedCidrs, allowedSecurityGroupIds, tags } = args;
    return new DatabaseNetwork(
        `${name}-net`,
        { vpcId, subnetIds, port, allowedCidrs, allowedSecurityGroupIds, tags },
        { parent },
    );
}

/** Pure: where what talks to the database goes (DatabaseVpc), from its network, port and key. AwsAurora's too. */
export function databaseVpc(
    args: Pick<AwsPostgresArgs, "vpcId" | "subnetIds">,
    network: DatabaseNetwork,
    port: number,
    key: KmsKey,
): DatabaseVpc {
    return {
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        databaseSecurityGroupId: network.securityGroup.id,
        port,
        kmsKeyArn: key.arn,
    };
}

/** RDS would create the exported log groups on first export, without retention or encryption: create them first. */
function logGroups(
    name: string,
    instanceIdentifier: string,
    key: KmsKey,
    args: AwsPostgresArgs,
    parent: pulumi.Resource,
): Record<string, aws.cloudwatch.LogGroup> {
    const groups: Record<string, aws.cloudwatch.LogGroup> = {};
    for (const type of LOG_EXPORTS) {
        groups[type] = new aws.cloudwatch.LogGroup(
            `${name}-logs-${type}`,
            {
                name: `/aws/rds/instance/${instanceIdentifier}/${type}`,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: key.arn,
                tags: args.tags,
            },
            { parent },
        );
    }
    return groups;
}
