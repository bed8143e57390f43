/**
 * RDS instance policies: every RDS rule Checkov (CKV_AWS_16/17/118/129/133/157/161/226/293), cdk-nag (RDS2/3/6/10/11,
 * AwsSolutions-RDS*) and Trivy (AVD-AWS-0077/0080/0133/0176/0177/0343) apply to a PostgreSQL instance, plus the
 * ones they lack (current CA, managed master password, engine major version, log exports for PostgreSQL). They judge read
 * replicas too; where a rule concerns the source alone (backups, Multi-AZ, the master password, the version), a
 * replica is exempt, and a replica must skip its final snapshot, because RDS refuses one.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isKeyArn, isReadReplica } from "./lib";

export const rdsEncryptedWithCmk: ResourceValidationPolicy = {
    name: "rds-encrypted-with-cmk",
    description: "RDS storage is encrypted with a customer-managed KMS key, referenced by key ARN.",
    severity: "critical",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.storageEncrypted !== true) report("storageEncrypted must be true.");
        if (!isKeyArn(db.kmsKeyId))
            report(
                `kmsKeyId must be a customer-managed KMS key ARN, got ${db.kmsKeyId ?? "none (the AWS-managed aws/rds key)"}.`,
            );
    }),
};

export const rdsNotPublic: ResourceValidationPolicy = {
    name: "rds-not-public",
    description: "RDS instances are not publicly accessible.",
    severity: "critical",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.publiclyAccessible === true) report("publiclyAccessible must be false.");
    }),
};

export const rdsBackupRetention: ResourceValidationPolicy = {
    name: "rds-backup-retention",
    description: "Automated backups (point-in-time recovery) are kept at least the configured number of days.",
    severity: "high",
    configSchema: { properties: { minDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } } },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        if (isReadReplica(db)) args.notApplicable("a read replica is recovered from its source's backups");
        const { minDays } = args.getConfig<{ minDays: number }>();
        const days = db.backupRetentionPeriod ?? 0;
        if (days < minDays) report(`backupRetentionPeriod is ${days} days; at least ${minDays} required.`);
    }),
};

export const rdsMultiAz: ResourceValidationPolicy = {
    name: "rds-multi-az",
    description: "The instance runs Multi-AZ, with a synchronous standby in another zone.",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        if (isReadReplica(db)) args.notApplicable("a read replica is not the writer; the source is Multi-AZ");
        if (db.multiAz !== true) report("multiAz must be true.");
    }),
};

export const rdsDeletionProtection: ResourceValidationPolicy = {
    name: "rds-deletion-protection",
    description: "Deletion protection is on, so neither a console click nor a stack destroy removes the database.",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.deletionProtection !== true) report("deletionProtection must be true.");
    }),
};

export const rdsIamAuth: ResourceValidationPolicy = {
    name: "rds-iam-auth",
    description: "IAM database authentication is enabled (short-lived tokens for people and tools).",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.iamDatabaseAuthenticationEnabled !== true) report("iamDatabaseAuthenticationEnabled must be true.");
    }),
};

export const rdsEnhancedMonitoring: ResourceValidationPolicy = {
    name: "rds-enhanced-monitoring",
    description:
        "Enhanced Monitoring reports OS metrics at least every configured interval, through a monitoring role.",
    severity: "medium",
    configSchema: {
        properties: { maxIntervalSeconds: { type: "integer", enum: [1, 5, 10, 15, 30, 60], default: 60 } },
    },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const { maxIntervalSeconds } = args.getConfig<{ maxIntervalSeconds: number }>();
        const interval = db.monitoringInterval ?? 0;
        if (interval <= 0 || interval > maxIntervalSeconds)
            report(`monitoringInterval is ${interval}; between 1 and ${maxIntervalSeconds} seconds required.`);
        if (!db.monitoringRoleArn) report("monitoringRoleArn must be set.");
    }),
};

export const rdsPerformanceInsights: ResourceValidationPolicy = {
    name: "rds-performance-insights",
    description: "Performance Insights is on and encrypted with a customer-managed KMS key.",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.performanceInsightsEnabled !== true) report("performanceInsightsEnabled must be true.");
        else if (!isKeyArn(db.performanceInsightsKmsKeyId))
            report(
                `performanceInsightsKmsKeyId must be a customer-managed KMS key ARN, got ${db.performanceInsightsKmsKeyId ?? "none"}.`,
            );
    }),
};

export const rdsLogExports: ResourceValidationPolicy = {
    name: "rds-log-exports",
    description: "The PostgreSQL and upgrade logs are exported to CloudWatch Logs.",
    severity: "medium",
    configSchema: {
        properties: {
            required: {
                type: "array",
                items: { type: "string", enum: ["postgresql", "upgrade", "iam-db-auth-error"] },
                default: ["postgresql", "upgrade"],
            },
        },
    },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const { required } = args.getConfig<{ required: string[] }>();
        const missing = required.filter((l) => !(db.enabledCloudwatchLogsExports ?? []).includes(l));
        if (missing.length > 0) report(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}.`);
    }),
};

export const rdsAutoMinorUpgrade: ResourceValidationPolicy = {
    name: "rds-auto-minor-upgrade",
    description: "Minor versions (security fixes) are applied automatically in the maintenance window.",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.autoMinorVersionUpgrade === false) report("autoMinorVersionUpgrade must be true.");
        if (db.allowMajorVersionUpgrade === true)
            report("allowMajorVersionUpgrade must be false: a major upgrade is a planned change, not a side effect.");
    }),
};

export const rdsCurrentCa: ResourceValidationPolicy = {
    name: "rds-current-ca",
    description: "The server certificate comes from a current RDS certificate authority.",
    severity: "high",
    configSchema: {
        properties: {
            allowed: {
                type: "array",
                items: { type: "string" },
                default: ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"],
            },
        },
    },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const { allowed } = args.getConfig<{ allowed: string[] }>();
        if (!allowed.includes(db.caCertIdentifier ?? ""))
            report(
                `caCertIdentifier is ${db.caCertIdentifier ?? "unset (the region default)"}; one of ${allowed.join(", ")} required.`,
            );
    }),
};

export const rdsCopyTagsToSnapshot: ResourceValidationPolicy = {
    name: "rds-copy-tags-to-snapshot",
    description: "Snapshots carry the instance's tags (cost allocation, ownership, backup selection).",
    severity: "low",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.copyTagsToSnapshot !== true) report("copyTagsToSnapshot must be true.");
    }),
};

export const rdsFinalSnapshot: ResourceValidationPolicy = {
    name: "rds-final-snapshot",
    description:
        "Deleting the instance takes a final snapshot first; a read replica skips it, because RDS refuses to take one.",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (isReadReplica(db)) {
            if (db.skipFinalSnapshot !== true || db.finalSnapshotIdentifier)
                report(
                    "a read replica must set skipFinalSnapshot and no finalSnapshotIdentifier: RDS refuses to delete it otherwise.",
                );
            return;
        }
        if (db.skipFinalSnapshot === true) report("skipFinalSnapshot must be false.");
        else if (!db.finalSnapshotIdentifier) report("finalSnapshotIdentifier must be set.");
    }),
};

export const rdsManagedMasterPassword: ResourceValidationPolicy = {
    name: "rds-managed-master-password",
    description: "RDS manages and rotates the master password in Secrets Manager; none is passed in.",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        if (isReadReplica(db)) args.notApplicable("a read replica has its source's master user");
        if (db.manageMasterUserPassword !== true) report("manageMasterUserPassword must be true.");
        if (db.password !== undefined)
            report("password must not be set: RDS generates and stores the master password.");
    }),
};

export const rdsEngineVersion: ResourceValidationPolicy = {
    name: "rds-engine-version",
    description: "The engine is PostgreSQL of the supported major version.",
    severity: "high",
    configSchema: { properties: { major: { type: "string", default: "15" } } },
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const { major } = args.getConfig<{ major: string }>();
        if (db.engine !== "postgres") report(`engine is ${db.engine ?? "unset"}; postgres required.`);
        // A read replica runs its source's version; it may leave it unset, never name another.
        if (isReadReplica(db) && db.engineVersion === undefined) return;
        if (String(db.engineVersion ?? "").split(".")[0] !== major)
            report(`engineVersion is ${db.engineVersion ?? "unset"}; PostgreSQL ${major}.x required.`);
    }),
};

export const rdsProxyTlsIam: ResourceValidationPolicy = {
    name: "rds-proxy-tls-iam",
    description: "RDS Proxy requires TLS from clients and IAM authentication for every login it accepts.",
    severity: "critical",
    validateResource: validateResourceOfType(aws.rds.Proxy, (proxy, _args, report) => {
        if (proxy.requireTls !== true) report("requireTls must be true.");
        for (const auth of proxy.auths ?? []) {
            if (auth.iamAuth !== "REQUIRED")
                report(
                    `auth ${auth.description ?? auth.secretArn} has iamAuth ${auth.iamAuth ?? "DISABLED"}; REQUIRED required.`,
                );
        }
    }),
};

export const rdsPolicies = [
    rdsEncryptedWithCmk,
    rdsNotPublic,
    rdsBackupRetention,
    rdsMultiAz,
    rdsDeletionProtection,
    rdsIamAuth,
    rdsEnhancedMonitoring,
    rdsPerformanceInsights,
    rdsLogExports,
    rdsAutoMinorUpgrade,
    rdsCurrentCa,
    rdsCopyTagsToSnapshot,
    rdsFinalSnapshot,
    rdsManagedMasterPassword,
    rdsEngineVersion,
    rdsProxyTlsIam,
];
