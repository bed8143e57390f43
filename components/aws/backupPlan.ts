import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceAssumeRolePolicy } from "./support/assumeRole";

export interface BackupPlanArgs {
    /** The instance to protect. */
    readonly resourceArn: pulumi.Input<string>;
    readonly vaultName: pulumi.Input<string>;
    /** Vault in the DR region that daily snapshots are copied to. */
    readonly drVaultArn: pulumi.Input<string>;
    /** Days of continuous backup (point-in-time restore through AWS Backup), 1 to 35. */
    readonly continuousRetentionDays: number;
    /** Days daily snapshots and their DR copies are kept. */
    readonly snapshotRetentionDays: number;
    /** Daily snapshot time, cron in UTC. Default 05:00, after the RDS backup window. */
    readonly snapshotSchedule?: string;
    readonly tags: Readonly<Record<string, string>>;
}

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
            throw new Error(`BackupPlan ${name}: continuous backup retention is 1 to 35 days`);
        const partition = aws.getPartitionOutput({}, { parent: this });
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "AWS Backup: back up and restore the MetaCortex database",
                assumeRolePolicy: serviceAssumeRolePolicy("backup.amazonaws.com"),
                tags: args.tags,
            },
            { parent: this },
        );
        for (const policy of ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]) {
            new aws.iam.RolePolicyAttachment(
                `${name}-${policy}`,
                {
                    role: this.role.name,
                    policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/${policy}`,
                },
                { parent: this },
            );
        }
        this.plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                rules: [
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
                            {
                                destinationVaultArn: args.drVaultArn,
                                lifecycle: { deleteAfter: args.snapshotRetentionDays },
                            },
                        ],
                    },
                ],
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.backup.Selection(
            `${name}-selection`,
            { planId: this.plan.id, iamRoleArn: this.role.arn, resources: [args.resourceArn] },
            { parent: this },
        );
        this.registerOutputs({ planArn: this.plan.arn });
    }
}
