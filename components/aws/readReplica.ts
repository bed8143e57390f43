import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_EXPORTS, RDS_CA_IDENTIFIER } from "./rdsInstance";

/** Enhanced Monitoring interval of every replica, seconds: the primary's default. */
export const REPLICA_MONITORING_INTERVAL_SECONDS = 15;
/** Performance Insights retention of every replica, days: the free tier, as the primary's default. */
export const REPLICA_PI_RETENTION_DAYS = 7;

export interface ReadReplicaArgs {
    /** DB instance identifier of the replica, e.g. `metacortex-prod-replica-1` (lower case, at most 63 characters). */
    readonly identifier: string;
    /**
     * The source instance: its identifier for a replica in the source's region, its ARN for one in another region
     * (RDS's rule for `replicateSourceDb`).
     */
    readonly source: pulumi.Input<string>;
    /**
     * The replica's region, when it is not the source's: recorded on the instance, so that reviewers and policies see
     * where it runs. The caller's provider must be of that region too. Omit for a replica beside its source.
     */
    readonly region?: string;
    /** Instance class, e.g. `db.r6g.large`; its parameter group is rendered for it. */
    readonly instanceClass: string;
    /** PostgreSQL port (TCP), the source's. */
    readonly port: number;
    /** Storage autoscaling ceiling in GiB; RDS copies the source's allocated storage at creation. */
    readonly maxAllocatedStorageGiB: number;
    /**
     * ARN of the customer-managed key for storage, Performance Insights and the exported logs: the source's CMK in its
     * region, a key of the replica's own region for a cross-region replica (RDS requires a key where the data is).
     */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The replica's DB parameter group (the standby settings for its class), in its region. */
    readonly parameterGroupName: pulumi.Input<string>;
    /** Security groups of the replica: the database's in the source's region, its own in another region. */
    readonly securityGroupIds: pulumi.Input<string>[];
    /**
     * DB subnet group in the replica's region, for a cross-region replica. Omit beside the source: RDS places the
     * replica in the source's subnet group, and refuses another one there.
     */
    readonly subnetGroupName?: pulumi.Input<string>;
    /** Role for Enhanced Monitoring (IAM is global: the source's role serves every region). */
    readonly monitoringRoleArn: pulumi.Input<string>;
    /** Refuse API deletes. */
    readonly deletionProtection: boolean;
    /** Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC (the source's, so both are patched together). */
    readonly maintenanceWindow: string;
    /** Days the exported postgresql and upgrade logs are kept in CloudWatch Logs. Default 90, as the source's. */
    readonly logRetentionDays?: number;
    /** Tags for the instance and its log groups (copied to the replica's snapshots). */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * A PostgreSQL read replica on RDS (`replicateSourceDb`), held to the source's standards: encrypted with a CMK, the
 * same CA and TLS, IAM auth, Performance Insights and Enhanced Monitoring, logs exported to encrypted log groups made
 * first, private, deletion-protected. RDS takes no final snapshot of a replica and refuses one, so none is asked for.
 */
export class ReadReplica extends pulumi.ComponentResource {
    readonly instance: aws.rds.Instance;
    /** Host name the replica answers on (its own certificate's name). */
    readonly address: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    /** The identifier, known before deployment: alarms, events and the dashboard name it. */
    readonly identifier: string;

    constructor(name: string, args: ReadReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:ReadReplica", name, {}, opts);
        if (!/^[a-z][a-z0-9-]{0,62}$/.test(args.identifier) || args.identifier.endsWith("-"))
            throw new pulumi.ResourceError(
                `ReadReplica ${name}: identifier must be lower-case letters, digits and hyphens, starting with a letter, at most 63, got ${args.identifier}`,
                this,
            );
        const logs = LOG_EXPORTS.map(
            (type) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-logs-${type}`,
                    {
                        name: `/aws/rds/instance/${args.identifier}/${type}`,
                        retentionInDays: args.logRetentionDays ?? 90,
                        kmsKeyId: args.kmsKeyArn,
                        tags: args.tags,
                    },
                    { parent: this },
                ),
        );
        this.identifier = args.identifier;
        this.instance = new aws.rds.Instance(`${name}-instance`, replicaInstanceArgs(args), {
            parent: this,
            dependsOn: logs,
        });
        this.address = this.instance.address;
        this.arn = this.instance.arn;
        this.registerOutputs({ address: this.address, arn: this.arn });
    }
}

/** Pure: the replica's instance arguments. What a replica inherits from its source (engine version, storage size, database, master user) is not set. */
export function replicaInstanceArgs(args: ReadReplicaArgs): aws.rds.InstanceArgs {
    return {
        identifier: args.identifier,
        replicateSourceDb: args.source,
        region: args.region,
        engine: "postgres",
        instanceClass: args.instanceClass,
        port: args.port,
        storageType: "gp3",
        maxAllocatedStorage: args.maxAllocatedStorageGiB,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbSubnetGroupName: args.subnetGroupName,
        vpcSecurityGroupIds: args.securityGroupIds,
        publiclyAccessible: false,
        multiAz: false,
        caCertIdentifier: RDS_CA_IDENTIFIER,
        iamDatabaseAuthenticationEnabled: true,
        parameterGroupName: args.parameterGroupName,
        // RDS for PostgreSQL allows no automated backups on a read replica ("you can't enable automatic backups"):
        // a replica is rebuilt from its source, and promotion turns backups on (`promote-read-replica
        // --backup-retention-period`, docs/runbooks/region-loss.md).
        backupRetentionPeriod: 0,
        maintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        // "Specify true when deleting a read replica": RDS refuses a final snapshot of one.
        skipFinalSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: args.deletionProtection,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        applyImmediately: false,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.kmsKeyArn,
        performanceInsightsRetentionPeriod: REPLICA_PI_RETENTION_DAYS,
        monitoringInterval: REPLICA_MONITORING_INTERVAL_SECONDS,
        monitoringRoleArn: args.monitoringRoleArn,
        enabledCloudwatchLogsExports: [...LOG_EXPORTS],
        tags: args.tags,
    };
}
