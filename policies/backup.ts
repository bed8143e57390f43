/**
 * Backup policies: the vault is encrypted with a customer-managed key, every RDS instance is in a backup plan whose
 * rules keep recovery points long enough, and (in prod) restores are tested on a schedule. A read replica holds its
 * source's data: the source's backups and restore tests cover it.
 */
import * as aws from "@pulumi/aws";
import {
    type PolicyResource,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { isKeyArn, isReadReplica } from "./lib";

export const backupVaultEncrypted: ResourceValidationPolicy = {
    name: "backup-vault-encrypted",
    description: "Backup vaults are encrypted with a customer-managed KMS key.",
    severity: "critical",
    validateResource: validateResourceOfType(aws.backup.Vault, (vault, _args, report) => {
        if (!isKeyArn(vault.kmsKeyArn))
            report(
                `kmsKeyArn must be a customer-managed KMS key ARN, got ${vault.kmsKeyArn ?? "none (the AWS-managed backup key)"}.`,
            );
        if (vault.forceDestroy === true)
            report("forceDestroy must be false: deleting the vault must not delete its recovery points.");
    }),
};

export const backupPlanRetention: ResourceValidationPolicy = {
    name: "backup-plan-retention",
    description:
        "Every backup rule, and every copy it makes, keeps recovery points at least the configured number of days.",
    severity: "high",
    configSchema: { properties: { minDays: { type: "integer", minimum: 1, default: 7 } } },
    validateResource: validateResourceOfType(aws.backup.Plan, (plan, args, report) => {
        const { minDays } = args.getConfig<{ minDays: number }>();
        for (const rule of plan.rules ?? []) {
            const days = rule.lifecycle?.deleteAfter;
            if (days === undefined || days < minDays)
                report(
                    `rule ${rule.ruleName} keeps recovery points ${days ?? "unset"} days; at least ${minDays} required.`,
                );
            for (const copy of rule.copyActions ?? []) {
                const copyDays = copy.lifecycle?.deleteAfter;
                if (copyDays === undefined || copyDays < minDays)
                    report(
                        `rule ${rule.ruleName} copies to ${copy.destinationVaultArn} for ${copyDays ?? "unset"} days; at least ${minDays} required.`,
                    );
            }
        }
    }),
};

/** The RDS instances that hold data of their own: every one but the read replicas. */
function sources(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => r.isType(aws.rds.Instance) && !isReadReplica(r.props));
}

export const backupDatabaseInPlan: StackValidationPolicy = {
    name: "backup-database-in-plan",
    description:
        "Every RDS instance but a read replica (whose source's backups cover it) is selected by an AWS Backup plan.",
    severity: "critical",
    validateStack: (args, report) => {
        if (!args.resources.some((r) => r.isType(aws.rds.Instance)))
            args.notApplicable("no RDS instance in this stack");
        const selected = args.resources
            .filter((r) => r.isType(aws.backup.Selection))
            .flatMap((s) => (s.props.resources ?? []) as string[]);
        for (const db of sources(args.resources)) {
            if (!selected.includes(db.props.arn)) report(`RDS instance ${db.name} is in no backup selection.`, db.urn);
        }
    },
};

export const backupRestoreTesting: StackValidationPolicy = {
    name: "backup-restore-testing",
    description:
        "Every RDS instance's recovery points (a read replica's are its source's) are restored and validated on a schedule by AWS Backup restore testing.",
    severity: "high",
    configSchema: { properties: { required: { type: "boolean", default: true } } },
    validateStack: (args, report) => {
        if (!args.getConfig<{ required: boolean }>().required)
            args.notApplicable("restore testing is not required for this stack");
        if (!args.resources.some((r) => r.isType(aws.rds.Instance)))
            args.notApplicable("no RDS instance in this stack");
        const plans = args.resources.filter((r) => r.isType(aws.backup.RestoreTestingPlan));
        const selections = args.resources.filter((r) => r.isType(aws.backup.RestoreTestingSelection));
        for (const db of sources(args.resources)) {
            if (plans.length === 0) report(`RDS instance ${db.name} has no restore testing plan.`, db.urn);
            else if (
                !selections.some(
                    (s) =>
                        s.props.protectedResourceType === "RDS" &&
                        (s.props.protectedResourceArns ?? []).includes(db.props.arn),
                )
            ) {
                report(`RDS instance ${db.name} is in no restore testing selection.`, db.urn);
            }
        }
    },
};

export const backupPolicies = [backupVaultEncrypted, backupPlanRetention, backupDatabaseInPlan, backupRestoreTesting];
