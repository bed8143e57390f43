import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROLE } from "../../postgres/roles/model";
import { ENGINE_VERSION } from "../../postgres/versions";

/** The certificate authority the instance presents; clients verify against its bundle with sslmode=verify-full. */
export const RDS_CA_IDENTIFIER = "rds-ca-rsa2048-g1";
/** The regional RDS CA bundle clients download (global bundle covers every region). */
export const RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem";
/** Log types exported to CloudWatch Logs. */
export const LOG_EXPORTS = ["postgresql", "upgrade"] as const;

export interface RdsInstanceArgs {
    /** RDS identifier, e.g. `metacortex-prod`; also the prefix of the final snapshot's name. */
    readonly identifier: string;
    /** Instance class, e.g. `db.r6g.large`. */
    readonly instanceClass: string;
    /** `15` or `15.N`. With `15`, RDS applies minor upgrades and Pulumi never tries to "downgrade" back. */
    readonly engineVersion: string;
    /** Initial gp3 storage in GiB (20 to 65536). */
    readonly allocatedStorageGiB: number;
    /** Storage autoscaling ceiling in GiB; above `allocatedStorageGiB`. */
    readonly maxAllocatedStorageGiB: number;
    /** Initial database name. */
    readonly databaseName: string;
    /** Master user name. Default ADMIN_ROLE (postgres/roles/model.ts); never used by the app. */
    readonly masterUsername?: string;
    /** PostgreSQL port (TCP) the instance listens on. */
    readonly port: number;
    /** Synchronous standby in a second AZ. */
    readonly multiAz: boolean;
    /** Refuse API deletes. */
    readonly deletionProtection: boolean;
    /** Automated backup retention in days (1 to 35); PITR covers this period. */
    readonly backupRetentionDays: number;
    /** Daily backup window, `hh24:mi-hh24:mi` UTC. */
    readonly backupWindow: string;
    /** Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, not overlapping the backup window. */
    readonly maintenanceWindow: string;
    /** CMK for storage, the master secret and Performance Insights. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** The DB parameter group (rendered from the settings source). */
    readonly parameterGroupName: pulumi.Input<string>;
    /** The DB subnet group: private subnets only, the instance is never publicly accessible. */
    readonly subnetGroupName: pulumi.Input<string>;
    /** Security groups of the instance (DatabaseNetwork's): they alone decide who reaches the port. */
    readonly securityGroupIds: pulumi.Input<string>[];
    /** Role for Enhanced Monitoring. */
    readonly monitoringRoleArn: pulumi.Input<string>;
    /** Enhanced Monitoring granularity in seconds: 1, 5, 10, 15, 30 or 60. Default 15. */
    readonly monitoringIntervalSeconds?: number;
    /** Performance Insights retention in days: 7 (free tier), 31 to 713 in steps of 31 (months), or 731. Default 7. */
    readonly performanceInsightsRetentionDays?: number;
    /**
     * Apply modifications now instead of in the maintenance window. Default false: a reviewed `pulumi up` in prod
     * then never restarts the database in business hours.
     */
    readonly applyImmediately?: boolean;
    /** Create the instance by point-in-time restore from another instance. Omit for an empty instance. */
    readonly restoreToPointInTime?: aws.types.input.rds.InstanceRestoreToPointInTime;
    /** Tags, copied to snapshots. */
    readonly tags: Readonly<Record<string, string>>;
}

/** Enhanced Monitoring intervals RDS accepts, in seconds. */
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/** An RDS for PostgreSQL 15 instance with the platform's non-negotiables: encrypted, private, SSL, IAM auth. */
export class RdsInstance extends pulumi.ComponentResource {
    readonly instance: aws.rds.Instance;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** ARN of the Secrets Manager secret RDS manages for the master user. */
    readonly masterSecretArn: pulumi.Output<string>;

    constructor(name: string, args: RdsInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:RdsInstance", name, {}, opts);
        this.instance = new aws.rds.Instance(
            `${name}-instance`,
            instanceArgs(args, checkedSettings(`RdsInstance ${name}`, args, this)),
            { parent: this },
        );
        this.address = this.instance.address;
        this.port = this.instance.port;
        this.masterSecretArn = this.instance.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
        this.registerOutputs({ address: this.address, port: this.port, masterSecretArn: this.masterSecretArn });
    }
}

/**
 * Refuses what RDS or this platform would refuse (monitoring interval, Performance Insights retention, engine), in
 * an error that starts with `component` (e.g. `RdsInstance metacortex-prod-aws-rds`). Aurora's instances share it.
 */
export function checkedSettings(
    component: string,
    args: Pick<RdsInstanceArgs, "monitoringIntervalSeconds" | "performanceInsightsRetentionDays" | "engineVersion">,
    resource: pulumi.Resource,
): { monitoringInterval: number; piRetention: number } {
    const monitoringInterval = args.monitoringIntervalSeconds ?? 15;
    if (!MONITORING_INTERVALS.includes(monitoringInterval)) {
        throw new pulumi.ResourceError(
            `${component}: monitoringIntervalSeconds must be one of ${MONITORING_INTERVALS.join(", ")}, ` +
                `got ${monitoringInterval}`,
            resource,
        );
    }
    const piRetention = args.performanceInsightsRetentionDays ?? 7;
    if (
        !(
            piRetention === 7 ||
            piRetention === 731 ||
            (piRetention % 31 === 0 && piRetention >= 31 && piRetention <= 713)
        )
    ) {
        throw new pulumi.ResourceError(
            `${component}: performanceInsightsRetentionDays must be 7, 731 or a multiple of 31 up to 713, ` +
                `got ${piRetention}`,
            resource,
        );
    }
    if (!ENGINE_VERSION.pattern.test(args.engineVersion))
        throw new pulumi.ResourceError(
            `${component}: engineVersion must be PostgreSQL 15 (15 or 15.N), got ${args.engineVersion}`,
            resource,
        );
    return { monitoringInterval, piRetention };
}

/** Pure: the instance's arguments, from the component's and the checked settings. */
function instanceArgs(
    args: RdsInstanceArgs,
    checked: { monitoringInterval: number; piRetention: number },
): aws.rds.InstanceArgs {
    return {
        identifier: args.identifier,
        engine: "postgres",
        engineVersion: args.engineVersion,
        instanceClass: args.instanceClass,
        // A restored instance brings its databases with it; RDS refuses a database name on restore.
        dbName: args.restoreToPointInTime ? undefined : args.databaseName,
        username: args.masterUsername ?? ADMIN_ROLE,
        port: args.port,
        // Storage: gp3, encrypted with the CMK, autoscaling up to the ceiling.
        storageType: "gp3",
        allocatedStorage: args.allocatedStorageGiB,
        maxAllocatedStorage: args.maxAllocatedStorageGiB,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        // Network: private, behind the security group.
        dbSubnetGroupName: args.subnetGroupName,
        vpcSecurityGroupIds: args.securityGroupIds,
        publiclyAccessible: false,
        multiAz: args.multiAz,
        caCertIdentifier: RDS_CA_IDENTIFIER,
        // Credentials: RDS keeps the master password in Secrets Manager, encrypted with the CMK and rotated;
        // nothing in stack state or config holds it. People and apps use IAM or their own roles.
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: args.kmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        parameterGroupName: args.parameterGroupName,
        // Backups: PITR over the retention period; keep automated backups if the instance is deleted.
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: args.backupWindow,
        maintenanceWindow: args.maintenanceWindow,
        copyTagsToSnapshot: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${args.identifier}-final`,
        deleteAutomatedBackups: false,
        deletionProtection: args.deletionProtection,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        applyImmediately: args.applyImmediately ?? false,
        // Observability.
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.kmsKeyArn,
        performanceInsightsRetentionPeriod: checked.piRetention,
        monitoringInterval: checked.monitoringInterval,
        monitoringRoleArn: args.monitoringRoleArn,
        enabledCloudwatchLogsExports: [...LOG_EXPORTS],
        restoreToPointInTime: args.restoreToPointInTime,
        tags: args.tags,
    };
}
