import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceAssumeRolePolicy } from "./support/assumeRole";

export interface BackupPlanArgs {
    /** ARN of the RDS instance or Aurora cluster to protect (the plan's only selected resource). */
    readonly resourceArn: pulumi.Input<string>;
    /** Name of the vault in the stack's region that both rules write to. */
    readonly vaultName: pulumi.Input<string>;
    /** ARN of the vault in the DR region that daily snapshots are copied to (continuous backups are not copied). */
    readonly drVaultArn: pulumi.Input<string>;
    /** Days of continuous backup (point-in-time restore through AWS Backup), 1 to 35 (the AWS Backup maximum). */
    readonly continuousRetentionDays: number;
    /** Days daily snapshots are kept, in the vault and in the DR copy alike. */
    readonly snapshotRetentionDays: number;
    /** Daily snapshot schedule, cron in UTC. Default `cron(0 5 ? * * *)`: 05:00, after the RDS backup window. */
    readonly snapshotSchedule?: string;
    /** Tags for the role and the plan (the selection and policy attachments take none). */
    readonly tags: Readonly<Record<string, string>>;
}

/** The AWS-managed policies AWS Backup's service role needs to back up and to restore. */
const SERVICE_POLICIES = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"];

/**
 * The AWS Backup plan for the instance: continuous backup (PITR) and a daily snapshot copied to another region, a
 * selection that covers the instance, and the service role AWS Backup acts with. This sits beside RDS's own automated
 * backups: AWS Backup adds the vault (lockable), the cross-region copy and restore testing.
 */
export class BackupPlan extends pulumi.ComponentResource {
    readonly plan: aws.backup.Plan;
    readonly role: aws.iam.Role;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:BackupPlan", name, {}, opts);
        if (args.continuousRetentionDays < 1 || args.continuousRetentionDays > 35)
            throw new pulumi.ResourceError(
                `BackupPlan ${name}: continuousRetentionDays must be 1 to 35 days, got ${args.continuousRetentionDays}`,
                this,
            );
        this.role = serviceRole(name, args, this);
        this.plan = new aws.backup.Plan(`${name}-plan`, { rules: planRules(args), tags: args.tags }, { parent: this });
        new aws.backup.Selection(
            `${name}-selection`,
            { planId: this.plan.id, iamRoleArn: this.role.arn, resources: [args.resourceArn] },
            { parent: this },
        );
        this.registerOutputs({ planArn: this.plan.arn });
    }
}

/** The role AWS Backup assumes, with the managed backup and restore policies. */
function serviceRole(name: string, args: BackupPlanArgs, parent: pulumi.Resource): aws.iam.Role {
    const partition = aws.getPartitionOutput({}, { parent });
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: "AWS Backup: back up and restore the MetaCortex database",
            assumeRolePolicy: serviceAssumeRolePolicy("backup.amazonaws.com"),
            tags: args.tags,
        },
        { parent },
    );
    for (const policy of SERVICE_POLICIES) {
        new aws.iam.RolePolicyAttachment(
            `${name}-${policy}`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/${policy}`,
            },
            { parent },
        );
    }
    return role;
}

/** Pure: the plan's rules: hourly continuous backup, and a daily snapshot copied to the DR vault. */
function planRules(args: BackupPlanArgs): aws.types.input.backup.PlanRule[] {
    return [
        {
            ruleName: "continuous-pitr",
            targetVaultName: args.vaultName,
            enableContinuousBackup: true,
            schedule: "cron(0 * ? * * *)",
            startWindow: 60,
            completionWindow: 180,
            lifecycle: { deleteAfter: args.continuousRetentionDays },
        },
        {
            ruleName: "daily-snapshot",
            targetVaultName: args.vaultName,
            schedule: args.snapshotSchedule ?? "cron(0 5 ? * * *)",
            startWindow: 60,
            completionWindow: 360,
            lifecycle: { deleteAfter: args.snapshotRetentionDays },
            copyActions: [
                { destinationVaultArn: args.drVaultArn, lifecycle: { deleteAfter: args.snapshotRetentionDays } },
            ],
        },
    ];
}
