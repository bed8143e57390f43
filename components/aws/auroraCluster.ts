import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SERVERLESS_CLASS } from "../../postgres/instanceClasses";
import { ADMIN_ROLE } from "../../postgres/roles/model";
import { checkedSettings, RDS_CA_IDENTIFIER } from "./rdsInstance";

/** Log types Aurora PostgreSQL exports to CloudWatch Logs (it has no separate upgrade log). */
export const AURORA_LOG_EXPORTS = ["postgresql"] as const;
/** Aurora PostgreSQL takes up to 15 readers per cluster. */
export const MAX_AURORA_READERS = 15;

export interface AuroraClusterArgs {
    /** Cluster identifier, e.g. `metacortex-prod`; instances are `<identifier>-1` (the first writer) and on. */
    readonly identifier: string;
    /** Initial database name. */
    readonly databaseName: string;
    /** `15` or `15.N`, Aurora PostgreSQL's. With `15`, Aurora applies minor upgrades in the maintenance window. */
    readonly engineVersion: string;
    /** Every instance's class, e.g. `db.r6g.large`; ignored (the class is `db.serverless`) when `serverless` is set. */
    readonly instanceClass: string;
    /** Serverless v2's range in ACUs, 0.5 steps, every instance db.serverless. Omit for provisioned instances. */
    readonly serverless?: {
        /** The capacity every instance scales down to. */
        readonly minAcu: number;
        /** The capacity every instance scales up to; at least `minAcu`. */
        readonly maxAcu: number;
    };
    /** Readers beside the writer, 0 to 15: failover targets (promotion tier 1) behind the reader endpoint. */
    readonly readers: number;
    /**
     * The availability zones of the database's subnets, in subnet order: instance i is placed in zone i modulo their
     * number, so the writer and the first reader never share one when there are two or more.
     */
    readonly availabilityZones: pulumi.Input<string>[];
    /** `aurora` (Standard: I/O billed per request) or `aurora-iopt1` (I/O-Optimized: no I/O charges). */
    readonly storageType: "aurora" | "aurora-iopt1";
    /** PostgreSQL port (TCP) of the cluster's endpoints. */
    readonly port: number;
    /** Refuse API deletes of the cluster. */
    readonly deletionProtection: boolean;
    /** Automated backup retention in days (1 to 35); point-in-time restore covers this period. */
    readonly backupRetentionDays: number;
    /** Daily backup window, `hh24:mi-hh24:mi` UTC. */
    readonly backupWindow: string;
    /** Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, of the cluster and its instances. */
    readonly maintenanceWindow: string;
    /** CMK for storage, the master secret and Performance Insights. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The DB cluster parameter group (renderAuroraParameters' `cluster`). */
    readonly clusterParameterGroupName: pulumi.Input<string>;
    /** The DB parameter group every instance uses (renderAuroraParameters' `instance`). */
    readonly instanceParameterGroupName: pulumi.Input<string>;
    /** The DB subnet group: private subnets only, no instance is publicly accessible. */
    readonly subnetGroupName: pulumi.Input<string>;
    /** Security groups of the cluster (DatabaseNetwork's): they alone decide who reaches the port. */
    readonly securityGroupIds: pulumi.Input<string>[];
    /** Role for Enhanced Monitoring of every instance. */
    readonly monitoringRoleArn: pulumi.Input<string>;
    /** Enhanced Monitoring granularity in seconds: 1, 5, 10, 15, 30 or 60. Default 15. */
    readonly monitoringIntervalSeconds?: number;
    /** Performance Insights retention in days: 7, 31 to 713 in steps of 31, or 731. Default 7. */
    readonly performanceInsightsRetentionDays?: number;
    /** Apply modifications now instead of in the maintenance window. Default false, as for the RDS instance. */
    readonly applyImmediately?: boolean;
    /** Tags, copied to snapshots. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * An Aurora PostgreSQL 15 cluster with the platform's non-negotiables (encrypted with the CMK, private, IAM auth,
 * RDS-managed master password, log exports, deletion protection, backups) and its instances: the writer and the
 * readers, spread over the subnets' zones, each with Performance Insights under the CMK and Enhanced Monitoring.
 */
export class AuroraCluster extends pulumi.ComponentResource {
    readonly cluster: aws.rds.Cluster;
    /** The instances, the initial writer first. */
    readonly instances: aws.rds.ClusterInstance[];
    /** Their DB instance identifiers, the initial writer first. */
    readonly instanceIdentifiers: string[];
    /** The cluster (writer) endpoint: it follows the writer through a failover. */
    readonly endpoint: pulumi.Output<string>;
    /** The reader endpoint: connections spread over the readers (the writer when there is none). */
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** ARN of the Secrets Manager secret RDS manages for the master user. */
    readonly masterSecretArn: pulumi.Output<string>;

    constructor(name: string, args: AuroraClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AuroraCluster", name, {}, opts);
        const checked = checkedSettings(`AuroraCluster ${name}`, args, this);
        checkShape(name, args, this);
        this.cluster = new aws.rds.Cluster(`${name}-cluster`, clusterArgs(args), { parent: this });
        this.instanceIdentifiers = Array.from({ length: args.readers + 1 }, (_, i) => `${args.identifier}-${i + 1}`);
        this.instances = this.instanceIdentifiers.map(
            (identifier, i) =>
                new aws.rds.ClusterInstance(
                    `${name}-instance-${i + 1}`,
                    instanceArgs(args, identifier, i, checked),
                    // By its identifier, known before the cluster exists, so a preview's policies can match them.
                    { parent: this, dependsOn: [this.cluster] },
                ),
        );
        this.endpoint = this.cluster.endpoint;
        this.readerEndpoint = this.cluster.readerEndpoint;
        this.port = this.cluster.port;
        this.masterSecretArn = this.cluster.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
        this.registerOutputs({ endpoint: this.endpoint, readerEndpoint: this.readerEndpoint });
    }
}

/** Refuses a reader count Aurora refuses, an ACU range upside down, and a cluster with no zone to place it in. */
function checkShape(name: string, args: AuroraClusterArgs, resource: pulumi.Resource): void {
    const fail = (message: string) => {
        throw new pulumi.ResourceError(`AuroraCluster ${name}: ${message}`, resource);
    };
    if (!Number.isInteger(args.readers) || args.readers < 0 || args.readers > MAX_AURORA_READERS)
        fail(`readers must be a whole number from 0 to ${MAX_AURORA_READERS}, got ${args.readers}`);
    const s = args.serverless;
    if (s && !(s.minAcu >= 0.5 && s.maxAcu >= s.minAcu && s.maxAcu >= 1 && [s.minAcu, s.maxAcu].every(halfStep)))
        fail(
            `serverless needs 0.5 <= minAcu <= maxAcu (maxAcu at least 1), in steps of 0.5, got ${s.minAcu}-${s.maxAcu}`,
        );
    if (args.availabilityZones.length === 0) fail("availabilityZones needs at least one zone, got none");
}

const halfStep = (acu: number) => Number.isInteger(acu * 2);

/** Pure: the cluster's arguments. */
function clusterArgs(args: AuroraClusterArgs): aws.rds.ClusterArgs {
    return {
        clusterIdentifier: args.identifier,
        engine: "aurora-postgresql",
        engineVersion: args.engineVersion,
        engineMode: "provisioned",
        databaseName: args.databaseName,
        masterUsername: ADMIN_ROLE,
        port: args.port,
        // Storage: encrypted with the CMK, Standard or I/O-Optimized.
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        storageType: args.storageType,
        // Network: private, behind the security group.
        dbSubnetGroupName: args.subnetGroupName,
        vpcSecurityGroupIds: args.securityGroupIds,
        // Credentials: RDS keeps the master password in Secrets Manager under the CMK; people and apps use IAM or
        // their own roles.
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        dbClusterParameterGroupName: args.clusterParameterGroupName,
        // Backups: PITR over the retention period; a final snapshot and the automated backups survive a delete.
        backupRetentionPeriod: args.backupRetentionDays,
        preferredBackupWindow: args.backupWindow,
        preferredMaintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${args.identifier}-final`,
        deleteAutomatedBackups: false,
        deletionProtection: args.deletionProtection,
        allowMajorVersionUpgrade: false,
        applyImmediately: args.applyImmediately ?? false,
        enabledCloudwatchLogsExports: [...AURORA_LOG_EXPORTS],
        serverlessv2ScalingConfiguration: args.serverless
            ? { minCapacity: args.serverless.minAcu, maxCapacity: args.serverless.maxAcu }
            : undefined,
        tags: args.tags,
    };
}

/** Pure: instance i's arguments: the writer (i = 0) at promotion tier 0, every reader at 1, zones in turn. */
function instanceArgs(
    args: AuroraClusterArgs,
    identifier: string,
    i: number,
    checked: { monitoringInterval: number; piRetention: number },
): aws.rds.ClusterInstanceArgs {
    return {
        identifier,
        clusterIdentifier: args.identifier,
        engine: "aurora-postgresql",
        engineVersion: args.engineVersion,
        instanceClass: args.serverless ? SERVERLESS_CLASS : args.instanceClass,
        availabilityZone: args.availabilityZones[i % args.availabilityZones.length],
        // Readers in tier 1 are failover targets, and under Serverless v2 they scale with the writer.
        promotionTier: i === 0 ? 0 : 1,
        dbParameterGroupName: args.instanceParameterGroupName,
        dbSubnetGroupName: args.subnetGroupName,
        publiclyAccessible: false,
        caCertIdentifier: RDS_CA_IDENTIFIER,
        autoMinorVersionUpgrade: true,
        applyImmediately: args.applyImmediately ?? false,
        preferredMaintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.kmsKeyArn,
        performanceInsightsRetentionPeriod: checked.piRetention,
        monitoringInterval: checked.monitoringInterval,
        monitoringRoleArn: args.monitoringRoleArn,
        tags: args.tags,
    };
}
