import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VpcFunction } from "./vpcFunction";

export interface RestoreTestingArgs {
    /** `<environment>` in plan names (AWS allows letters, digits and _ only). */
    readonly environment: string;
    readonly instanceArn: pulumi.Input<string>;
    readonly vaultArn: pulumi.Input<string>;
    /** Role AWS Backup restores with (the backup plan's service role). */
    readonly backupRoleArn: pulumi.Input<string>;
    /** Where restored instances and the validation function run. */
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly string[];
    readonly subnetGroupName: pulumi.Input<string>;
    /** The database's security group: restored instances get it, and the function is admitted to it. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    readonly port: number;
    /** Secrets Manager secret (the migrator's) the function connects with. Undefined: no validation function. */
    readonly validationSecretArn?: pulumi.Input<string>;
    /** CMK of that secret (kms:Decrypt) and of the function's environment. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Restore test schedule. Default weekly, Monday 06:00 UTC. */
    readonly schedule?: string;
    /** Hours the restored instance is kept for validation before AWS Backup deletes it. Default 4. */
    readonly validationWindowHours?: number;
    readonly tags: Readonly<Record<string, string>>;
}

export const RESTORE_VALIDATION_SOURCES = [
    "components/aws/lambda/restoreValidationHandler.ts",
    "postgres/health/restoreValidation.ts",
] as const;

/**
 * AWS Backup restore testing: a scheduled restore of the latest recovery point (continuous or snapshot) into a
 * throwaway instance, and a function that checks the restored data (the same checks as the local PITR drill) and
 * reports the verdict to AWS Backup. A backup counts only when a restore of it has been shown to hold the data.
 */
export class RestoreTesting extends pulumi.ComponentResource {
    readonly plan: aws.backup.RestoreTestingPlan;
    readonly validator?: aws.lambda.Function;

    constructor(name: string, args: RestoreTestingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:RestoreTesting", name, {}, opts);
        const id = `metacortex_${args.environment}`.replace(/[^A-Za-z0-9_]/g, "_");
        this.plan = new aws.backup.RestoreTestingPlan(
            `${name}-plan`,
            {
                name: `${id}_restore_test`,
                scheduleExpression: args.schedule ?? "cron(0 6 ? * MON *)",
                scheduleExpressionTimezone: "Etc/UTC",
                startWindowHours: 4,
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [args.vaultArn],
                    recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
                    selectionWindowDays: 7,
                },
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.backup.RestoreTestingSelection(
            `${name}-selection`,
            {
                name: `${id}_database`,
                restoreTestingPlanName: this.plan.name,
                protectedResourceType: "RDS",
                protectedResourceArns: [args.instanceArn],
                iamRoleArn: args.backupRoleArn,
                validationWindowHours: args.validationWindowHours ?? 4,
                // The restored copy: small, private, single-AZ, in the database's subnets and security group.
                restoreMetadataOverrides: {
                    DBInstanceClass: "db.t4g.medium",
                    DBSubnetGroupName: args.subnetGroupName,
                    VpcSecurityGroupIds: pulumi
                        .output(args.databaseSecurityGroupId)
                        .apply((sg) => JSON.stringify([sg])),
                    MultiAZ: "false",
                    PubliclyAccessible: "false",
                },
            },
            { parent: this },
        );
        if (args.validationSecretArn !== undefined) this.validator = this.validationFunction(name, args);
        this.registerOutputs({ planArn: this.plan.arn });
    }

    private validationFunction(name: string, args: RestoreTestingArgs): aws.lambda.Function {
        const child = { parent: this };
        const fn = new VpcFunction(
            `${name}-validator`,
            {
                description:
                    "Restore validation: checks restored MetaCortex databases (schema, counts, recovery point) and reports to AWS Backup",
                sources: RESTORE_VALIDATION_SOURCES,
                handler: "components/aws/lambda/restoreValidationHandler.handler",
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                databaseSecurityGroupId: args.databaseSecurityGroupId,
                port: args.port,
                secretArn: args.validationSecretArn!,
                kmsKeyArn: args.kmsKeyArn,
                statements: [
                    {
                        Effect: "Allow",
                        Action: [
                            "backup:DescribeRestoreJob",
                            "backup:PutRestoreValidationResult",
                            "rds:DescribeDBInstances",
                        ],
                        Resource: "*",
                    },
                ],
                environment: { VALIDATION_SECRET_ARN: args.validationSecretArn!, MAX_LAG_SECONDS: String(26 * 3600) },
                tags: args.tags,
            },
            child,
        ).function;
        const rule = new aws.cloudwatch.EventRule(
            `${name}-restore-completed`,
            {
                description: "AWS Backup restore jobs of the database that completed: validate them",
                eventPattern: JSON.stringify({
                    source: ["aws.backup"],
                    "detail-type": ["Restore Job State Change"],
                    detail: { status: ["COMPLETED"], resourceType: ["RDS"] },
                }),
                tags: args.tags,
            },
            child,
        );
        new aws.cloudwatch.EventTarget(`${name}-restore-completed-target`, { rule: rule.name, arn: fn.arn }, child);
        new aws.lambda.Permission(
            `${name}-restore-completed-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: fn.name,
                principal: "events.amazonaws.com",
                sourceArn: rule.arn,
            },
            child,
        );
        return fn;
    }
}
