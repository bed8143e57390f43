import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type DatabaseVpc, databaseVpc } from "./support/databaseVpc";
import type { LambdaCode } from "./support/lambdaArchive";
import { VpcFunction } from "./vpcFunction";

export interface RestoreTestingArgs extends DatabaseVpc {
    /** The environment, in plan names (`metacortex_<environment>_…`; AWS allows letters, digits and _ only). */
    readonly environment: string;
    /** ARN of the RDS instance whose recovery points are restored. */
    readonly instanceArn: pulumi.Input<string>;
    /** ARN of the vault the recovery points are taken from (the stack region's vault, not the DR copy). */
    readonly vaultArn: pulumi.Input<string>;
    /** Role AWS Backup restores with (the backup plan's service role). */
    readonly backupRoleArn: pulumi.Input<string>;
    /** DB subnet group restored instances are placed in (the database's). */
    readonly subnetGroupName: pulumi.Input<string>;
    /**
     * Secrets Manager ARN of the migrator's credentials, which the validation function connects with. Omit for no
     * validation function: restores are then tested by AWS Backup alone (the instance starts), not checked.
     */
    readonly validationSecretArn?: pulumi.Input<string>;
    /** The validation function's code: RESTORE_VALIDATION_SOURCES and LAMBDA_PACKAGES, as index.ts read them. */
    readonly validatorCode: LambdaCode;
    /** Restore test schedule, a cron expression in UTC. Default `cron(0 6 ? * MON *)`: weekly, Monday 06:00. */
    readonly schedule?: string;
    /** Hours the restored instance is kept for validation before AWS Backup deletes it. Default 4. */
    readonly validationWindowHours?: number;
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/** The repository files the validation function is built from (index.ts reads them into `validatorCode`). */
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
        if (args.validationSecretArn !== undefined) {
            this.validator = validator(name, args, args.validationSecretArn, this);
            onRestoreCompleted(name, this.validator, args.tags, this);
        }
        this.registerOutputs({ planArn: this.plan.arn });
    }
}

/** The validation function: logs in as the migrator, checks the restored database, reports to AWS Backup. */
function validator(
    name: string,
    args: RestoreTestingArgs,
    secretArn: pulumi.Input<string>,
    parent: pulumi.Resource,
): aws.lambda.Function {
    return new VpcFunction(
        `${name}-validator`,
        {
            ...databaseVpc(args),
            secretArn,
            description:
                "Restore validation: checks restored MetaCortex databases (schema, counts, recovery point) and reports to AWS Backup",
            code: args.validatorCode,
            handler: "components/aws/lambda/restoreValidationHandler.handler",
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
            environment: { VALIDATION_SECRET_ARN: secretArn, MAX_LAG_SECONDS: String(26 * 3600) },
            tags: args.tags,
        },
        { parent },
    ).function;
}

/** Runs `fn` on every completed RDS restore job of AWS Backup. */
function onRestoreCompleted(
    name: string,
    fn: aws.lambda.Function,
    tags: Readonly<Record<string, string>>,
    parent: pulumi.Resource,
): void {
    const rule = new aws.cloudwatch.EventRule(
        `${name}-restore-completed`,
        {
            description: "AWS Backup restore jobs of the database that completed: validate them",
            eventPattern: JSON.stringify({
                source: ["aws.backup"],
                "detail-type": ["Restore Job State Change"],
                detail: { status: ["COMPLETED"], resourceType: ["RDS"] },
            }),
            tags,
        },
        { parent },
    );
    new aws.cloudwatch.EventTarget(`${name}-restore-completed-target`, { rule: rule.name, arn: fn.arn }, { parent });
    new aws.lambda.Permission(
        `${name}-restore-completed-invoke`,
        { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn },
        { parent },
    );
}
