import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import type { AuroraParameters } from "../../postgres/settings/render";
import { AURORA_LOG_EXPORTS, AuroraCluster, type AuroraClusterArgs } from "./auroraCluster";
import { databaseKey, databaseNetwork, databaseVpc } from "./awsPostgres";
import { ClusterParameterGroup } from "./clusterParameterGroup";
import type { DatabaseNetwork } from "./databaseNetwork";
import type { KmsKey } from "./kmsKey";
import { MonitoringRole } from "./monitoringRole";
import { ParameterGroup } from "./parameterGroup";
import { RDS_CA_BUNDLE_URL, RDS_CA_IDENTIFIER } from "./rdsInstance";
import type { DatabaseVpc } from "./support/databaseVpc";

/** The parameter groups' family: Aurora PostgreSQL 15. */
export const AURORA_FAMILY = "aurora-postgresql15";

export interface AwsAuroraArgs
    extends Pick<
        AuroraClusterArgs,
        | "databaseName"
        | "engineVersion"
        | "instanceClass"
        | "serverless"
        | "readers"
        | "storageType"
        | "deletionProtection"
        | "backupRetentionDays"
        | "backupWindow"
        | "maintenanceWindow"
    > {
    /** Cluster identifier and name prefix of every resource, e.g. `metacortex-prod`. */
    readonly identifier: string;
    /** VPC that holds the cluster (`vpc-<hex>`). */
    readonly vpcId: string;
    /** Private subnets of the cluster, at least two in different AZs; instances are spread over their zones. */
    readonly subnetIds: readonly string[];
    /** Client CIDRs allowed to the port; nothing wider than /8 (IPv4) or /32 (IPv6). Empty for none. */
    readonly allowedCidrs: readonly string[];
    /** Application security groups allowed to the port. */
    readonly allowedSecurityGroupIds: readonly string[];
    /** Both parameter groups' contents, rendered from the settings source (renderAuroraParameters). */
    readonly parameters: AuroraParameters;
    /** PostgreSQL port (TCP). Default POSTGRES_PORT, PostgreSQL's own default. */
    readonly port?: number;
    /** Days the exported postgresql log is kept in CloudWatch Logs. Default 90. */
    readonly logRetentionDays?: number;
    /** Tags for every resource that takes them (copied to snapshots too). */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The prod database as an Aurora cluster: the same CMK, network and monitoring role as the RDS instance's
 * (AwsPostgres), a cluster and an instance parameter group, the exported log group, and the cluster with its
 * instances spread over the subnets' zones.
 */
export class AwsAurora extends pulumi.ComponentResource {
    readonly kmsKey: KmsKey;
    readonly network: DatabaseNetwork;
    readonly clusterParameterGroup: ClusterParameterGroup;
    /** The DB parameter group every instance uses. */
    readonly parameterGroup: ParameterGroup;
    readonly monitoringRole: MonitoringRole;
    readonly aurora: AuroraCluster;
    readonly caIdentifier = RDS_CA_IDENTIFIER;
    readonly caBundle = RDS_CA_BUNDLE_URL;
    /** The exported log groups, by log type (postgresql). */
    readonly logGroups: Record<string, aws.cloudwatch.LogGroup>;
    /** The cluster identifier (args.identifier). */
    readonly clusterIdentifier: string;
    /** The port the cluster listens on (args.port, or POSTGRES_PORT). */
    readonly port: number;
    /** Where what talks to the database goes: its VPC, subnets, security group, port and CMK. */
    readonly vpc: DatabaseVpc;

    constructor(name: string, args: AwsAuroraArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AwsAurora", name, {}, opts);
        this.port = args.port ?? POSTGRES_PORT;
        this.clusterIdentifier = args.identifier;
        const child = { parent: this };
        this.kmsKey = databaseKey(name, args, this);
        this.network = databaseNetwork(name, args, this.port, this);
        this.clusterParameterGroup = new ClusterParameterGroup(
            `${name}-cluster-params`,
            { family: AURORA_FAMILY, parameters: args.parameters.cluster, tags: args.tags },
            child,
        );
        this.parameterGroup = new ParameterGroup(
            `${name}-params`,
            { family: AURORA_FAMILY, parameters: args.parameters.instance, tags: args.tags },
            child,
        );
        this.monitoringRole = new MonitoringRole(`${name}-monitoring`, { tags: args.tags }, child);
        this.logGroups = clusterLogGroups(name, args, this.kmsKey, this);
        this.aurora = new AuroraCluster(
            `${name}-cluster`,
            {
                ...pickClusterArgs(args),
                identifier: args.identifier,
                port: this.port,
                availabilityZones: args.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id }, child).availabilityZone),
                kmsKeyArn: this.kmsKey.arn,
                clusterParameterGroupName: this.clusterParameterGroup.name,
                instanceParameterGroupName: this.parameterGroup.name,
                subnetGroupName: this.network.subnetGroup.name,
                securityGroupIds: [this.network.securityGroup.id],
                monitoringRoleArn: this.monitoringRole.arn,
                tags: args.tags,
            },
            { parent: this, dependsOn: Object.values(this.logGroups) },
        );
        this.vpc = databaseVpc(args, this.network, this.port, this.kmsKey);
        this.registerOutputs({ endpoint: this.aurora.endpoint, kmsKeyArn: this.kmsKey.arn });
    }
}

/** Pure: the cluster settings AwsAurora passes through to AuroraCluster unchanged. */
function pickClusterArgs(args: AwsAuroraArgs) {
    const { databaseName, engineVersion, instanceClass, serverless, readers, storageType } = args;
    const { deletionProtection, backupRetentionDays, backupWindow, maintenanceWindow } = args;
    return {
        databaseName,
        engineVersion,
        instanceClass,
        serverless,
        readers,
        storageType,
        deletionProtection,
        backupRetentionDays,
        backupWindow,
        maintenanceWindow,
    };
}

/** Aurora would create the exported log group on first export, without retention or encryption: create it first. */
function clusterLogGroups(
    name: string,
    args: AwsAuroraArgs,
    key: KmsKey,
    parent: pulumi.Resource,
): Record<string, aws.cloudwatch.LogGroup> {
    const groups: Record<string, aws.cloudwatch.LogGroup> = {};
    for (const type of AURORA_LOG_EXPORTS) {
        groups[type] = new aws.cloudwatch.LogGroup(
            `${name}-logs-${type}`,
            {
                name: `/aws/rds/cluster/${args.identifier}/${type}`,
                retentionInDays: args.logRetentionDays ?? 90,
                kmsKeyId: key.arn,
                tags: args.tags,
            },
            { parent },
        );
    }
    return groups;
}
