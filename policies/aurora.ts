/**
 * Aurora PostgreSQL cluster and instance policies: the rules Checkov (CKV_AWS_17/96/118/133/139/162/226/313/324/327/
 * 353/354), cdk-nag (AwsSolutions-RDS2/6/10, HIPAA.Security-RDSLoggingEnabled and -RDSEnhancedMonitoringEnabled) and
 * Trivy (AVD-AWS-0077/0078/0079/0133/0180/0343) apply to an Aurora cluster or its instances, plus the ones the RDS
 * instance has that they lack (managed master password, final snapshot, engine major version, current CA). The
 * instance's rules are in rds.ts; the stack-wide ones (AZs, backup plan, restore tests, monitoring) in auroraStack.ts.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isKeyArn } from "./lib";

export const auroraEncryptedWithCmk: ResourceValidationPolicy = {
    name: "aurora-encrypted-with-cmk",
    description:
        "Aurora cluster storage is encrypted with a customer-managed KMS key, referenced by key ARN (CKV_AWS_96, CKV_AWS_327, AwsSolutions-RDS2, AVD-AWS-0079).",
    severity: "critical",
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, _args, report) => {
        if (c.storageEncrypted !== true) report("storageEncrypted must be true.");
        if (!isKeyArn(c.kmsKeyId))
            report(
                `kmsKeyId must be a customer-managed KMS key ARN, got ${c.kmsKeyId ?? "none (the AWS-managed aws/rds key)"}.`,
            );
    }),
};

export const auroraIamAuth: ResourceValidationPolicy = {
    name: "aurora-iam-auth",
    description: "IAM database authentication is enabled on the cluster (CKV_AWS_162, AwsSolutions-RDS6).",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, _args, report) => {
        if (c.iamDatabaseAuthenticationEnabled !== true) report("iamDatabaseAuthenticationEnabled must be true.");
    }),
};

export const auroraDeletionProtection: ResourceValidationPolicy = {
    name: "aurora-deletion-protection",
    description:
        "The cluster refuses deletes, and deleting it takes a final snapshot first (CKV_AWS_139, AwsSolutions-RDS10, AVD-AWS-0343).",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, _args, report) => {
        if (c.deletionProtection !== true) report("deletionProtection must be true.");
        if (c.skipFinalSnapshot === true) report("skipFinalSnapshot must be false.");
        else if (!c.finalSnapshotIdentifier) report("finalSnapshotIdentifier must be set.");
    }),
};

export const auroraBackupRetention: ResourceValidationPolicy = {
    name: "aurora-backup-retention",
    description:
        "Automated backups (point-in-time restore) are kept at least the configured number of days, and snapshots carry the cluster's tags (CKV_AWS_133, CKV_AWS_313, AVD-AWS-0077).",
    severity: "high",
    configSchema: { properties: { minDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } } },
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, args, report) => {
        const { minDays } = args.getConfig<{ minDays: number }>();
        const days = c.backupRetentionPeriod ?? 1;
        if (days < minDays) report(`backupRetentionPeriod is ${days} days; at least ${minDays} required.`);
        if (c.copyTagsToSnapshot !== true) report("copyTagsToSnapshot must be true.");
    }),
};

export const auroraLogExports: ResourceValidationPolicy = {
    name: "aurora-log-exports",
    description:
        "The cluster exports its PostgreSQL log to CloudWatch Logs (CKV_AWS_324, HIPAA.Security-RDSLoggingEnabled).",
    severity: "medium",
    configSchema: {
        properties: {
            required: {
                type: "array",
                items: { type: "string", enum: ["postgresql", "instance", "iam-db-auth-error"] },
                default: ["postgresql"],
            },
        },
    },
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, args, report) => {
        const { required } = args.getConfig<{ required: string[] }>();
        const missing = required.filter((l) => !(c.enabledCloudwatchLogsExports ?? []).includes(l));
        if (missing.length > 0) report(`enabledCloudwatchLogsExports lacks ${missing.join(", ")}.`);
    }),
};

export const auroraManagedMasterPassword: ResourceValidationPolicy = {
    name: "aurora-managed-master-password",
    description:
        "RDS manages and rotates the cluster's master password in Secrets Manager under a customer-managed key.",
    severity: "high",
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, _args, report) => {
        if (c.manageMasterUserPassword !== true) report("manageMasterUserPassword must be true.");
        if (c.masterPassword !== undefined)
            report("masterPassword must not be set: RDS generates and stores the master password.");
        if (!isKeyArn(c.masterUserSecretKmsKeyId))
            report(
                `masterUserSecretKmsKeyId must be a customer-managed KMS key ARN, got ${c.masterUserSecretKmsKeyId ?? "none"}.`,
            );
    }),
};

export const auroraEngineVersion: ResourceValidationPolicy = {
    name: "aurora-engine-version",
    description:
        "The cluster runs Aurora PostgreSQL of the supported major version, and never upgrades it as a side effect.",
    severity: "high",
    configSchema: { properties: { major: { type: "string", default: "15" } } },
    validateResource: validateResourceOfType(aws.rds.Cluster, (c, args, report) => {
        const { major } = args.getConfig<{ major: string }>();
        if (c.engine !== "aurora-postgresql") report(`engine is ${c.engine ?? "unset"}; aurora-postgresql required.`);
        if (String(c.engineVersion ?? "").split(".")[0] !== major)
            report(`engineVersion is ${c.engineVersion ?? "unset"}; Aurora PostgreSQL ${major}.x required.`);
        if (c.allowMajorVersionUpgrade === true)
            report("allowMajorVersionUpgrade must be false: a major upgrade is a planned change, not a side effect.");
    }),
};

export const auroraInstanceNotPublic: ResourceValidationPolicy = {
    name: "aurora-instance-not-public",
    description: "No Aurora instance is publicly accessible (CKV_AWS_17, AVD-AWS-0180).",
    severity: "critical",
    validateResource: validateResourceOfType(aws.rds.ClusterInstance, (i, _args, report) => {
        if (i.publiclyAccessible === true) report("publiclyAccessible must be false.");
    }),
};

export const auroraPerformanceInsights: ResourceValidationPolicy = {
    name: "aurora-performance-insights",
    description:
        "Every Aurora instance has Performance Insights on, encrypted with a customer-managed KMS key (CKV_AWS_353, CKV_AWS_354, AVD-AWS-0133, AVD-AWS-0078).",
    severity: "medium",
    validateResource: validateResourceOfType(aws.rds.ClusterInstance, (i, _args, report) => {
        if (i.performanceInsightsEnabled !== true) report("performanceInsightsEnabled must be true.");
        else if (!isKeyArn(i.performanceInsightsKmsKeyId))
            report(
                `performanceInsightsKmsKeyId must be a customer-managed KMS key ARN, got ${i.performanceInsightsKmsKeyId ?? "none"}.`,
            );
    }),
};

export const auroraEnhancedMonitoring: ResourceValidationPolicy = {
    name: "aurora-enhanced-monitoring",
    description:
        "Every Aurora instance reports OS metrics at least every configured interval, through a monitoring role (CKV_AWS_118, HIPAA.Security-RDSEnhancedMonitoringEnabled).",
    severity: "medium",
    configSchema: {
        properties: { maxIntervalSeconds: { type: "integer", enum: [1, 5, 10, 15, 30, 60], default: 60 } },
    },
    validateResource: validateResourceOfType(aws.rds.ClusterInstance, (i, args, report) => {
        const { maxIntervalSeconds } = args.getConfig<{ maxIntervalSeconds: number }>();
        const interval = i.monitoringInterval ?? 0;
        if (interval <= 0 || interval > maxIntervalSeconds)
            report(`monitoringInterval is ${interval}; between 1 and ${maxIntervalSeconds} seconds required.`);
        if (!i.monitoringRoleArn) report("monitoringRoleArn must be set.");
    }),
};

export const auroraInstanceMaintenance: ResourceValidationPolicy = {
    name: "aurora-instance-maintenance",
    description:
        "Every Aurora instance takes minor versions automatically and presents a current RDS certificate authority (CKV_AWS_226).",
    severity: "medium",
    configSchema: {
        properties: {
            allowedCas: {
                type: "array",
                items: { type: "string" },
                default: ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"],
            },
        },
    },
    validateResource: validateResourceOfType(aws.rds.ClusterInstance, (i, args, report) => {
        const { allowedCas } = args.getConfig<{ allowedCas: string[] }>();
        if (i.autoMinorVersionUpgrade === false) report("autoMinorVersionUpgrade must be true.");
        if (!allowedCas.includes(i.caCertIdentifier ?? ""))
            report(
                `caCertIdentifier is ${i.caCertIdentifier ?? "unset (the region default)"}; one of ${allowedCas.join(", ")} required.`,
            );
    }),
};

export const auroraPolicies = [
    auroraEncryptedWithCmk,
    auroraIamAuth,
    auroraDeletionProtection,
    auroraBackupRetention,
    auroraLogExports,
    auroraManagedMasterPassword,
    auroraEngineVersion,
    auroraInstanceNotPublic,
    auroraPerformanceInsights,
    auroraEnhancedMonitoring,
    auroraInstanceMaintenance,
];
