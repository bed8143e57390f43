import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RESTORE_JOB_TAG, VALIDATION_SUFFIX } from "./lambda/restoreValidationHandler";
import { type DatabaseVpc, databaseVpc } from "./support/databaseVpc";
import type { LambdaCode } from "./support/lambdaArchive";
import { VpcFunction } from "./vpcFunction";

export interface RestoreTestingArgs extends DatabaseVpc {
    /** The environment, in plan names (`metacortex_<environment>_…`; AWS allows letters, digits and _ only). */
    readonly environment: string;
    /** ARN of the RDS instance, or of the Aurora cluster, whose recovery points are restored. */
    readonly instanceArn: pulumi.Input<string>;
    /**
     * `RDS` (an instance) or `Aurora` (a cluster, which restores without an instance: the validation function adds
     * one, validates through it and deletes it). Default `RDS`.
     */
    readonly resourceType?: "RDS" | "Aurora";
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
                protectedResourceType: args.resourceType ?? "RDS",
                protectedResourceArns: [args.instanceArn],
                iamRoleArn: args.backupRoleArn,
                validationWindowHours: args.validationWindowHours ?? 4,
                restoreMetadataOverrides: restoreOverrides(args),
            },
            { parent: this },
        );
        if (args.validationSecretArn !== undefined) {
            this.validator = validator(name, args, args.validationSecretArn, this);
            onRestoreCompleted(name, this.validator, args.resourceType ?? "RDS", args.tags, this);
            if (args.resourceType === "Aurora") onValidationInstanceCreated(name, this.validator, args.tags, this);
        }
        this.registerOutputs({ planArn: this.plan.arn });
    }
}

/**
 * Pure: where the restored copy goes: the database's subnets and security group, private; an instance also small and
 * single-AZ (a cluster gets its one small instance from the validation function).
 */
function restoreOverrides(args: RestoreTestingArgs): Record<string, pulumi.Input<string>> {
    const network = {
        DBSubnetGroupName: args.subnetGroupName,
        VpcSecurityGroupIds: pulumi.output(args.databaseSecurityGroupId).apply((sg) => JSON.stringify([sg])),
    };
    if (args.resourceType === "Aurora") return network;
    return { DBInstanceClass: "db.t4g.medium", ...network, MultiAZ: "false", PubliclyAccessible: "false" };
}

/**
 * What the validation function may do with RDS: describe what it validates, and for an Aurora restore create a
 * tagged instance in the restored cluster and delete only instances that carry the tag.
 */
function rdsStatements(resourceType: RestoreTestingArgs["resourceType"]): object[] {
    const backup = ["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"];
    if (resourceType !== "Aurora")
        return [{ Effect: "Allow", Action: [...backup, "rds:DescribeDBInstances"], Resource: "*" }];
    return [
        { Effect: "Allow", Action: [...backup, "rds:DescribeDBInstances", "rds:DescribeDBClusters"], Resource: "*" },
        {
            Effect: "Allow",
            Action: ["rds:CreateDBInstance", "rds:AddTagsToResource"],
            Resource: "*",
            Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [RESTORE_JOB_TAG] } },
        },
        {
            Effect: "Allow",
            Action: "rds:DeleteDBInstance",
            Resource: "*",
            Condition: { Null: { [`aws:ResourceTag/${RESTORE_JOB_TAG}`]: "false" } },
        },
    ];
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
            statements: rdsStatements(args.resourceType),
            environment: { VALIDATION_SECRET_ARN: secretArn, MAX_LAG_SECONDS: String(26 * 3600) },
            tags: args.tags,
        },
        { parent },
    ).function;
}

/** Runs `fn` on every completed restore job of AWS Backup of the resource type. */
function onRestoreCompleted(
    name: string,
    fn: aws.lambda.Function,
    resourceType: "RDS" | "Aurora",
    tags: Readonly<Record<string, string>>,
    parent: pulumi.Resource,
): void {
    invokeOn(name, "restore-completed", fn, tags, parent, {
        description: "AWS Backup restore jobs of the database that completed: validate them",
        pattern: {
            source: ["aws.backup"],
            "detail-type": ["Restore Job State Change"],
            detail: { status: ["COMPLETED"], resourceType: [resourceType] },
        },
    });
}

/** Runs `fn` when RDS has created one of its validation instances (RDS-EVENT-0005, "DB instance created"). */
function onValidationInstanceCreated(
    name: string,
    fn: aws.lambda.Function,
    tags: Readonly<Record<string, string>>,
    parent: pulumi.Resource,
): void {
    invokeOn(name, "validation-instance", fn, tags, parent, {
        description: "A validation instance in a restored Aurora cluster is available: validate through it",
        pattern: {
            source: ["aws.rds"],
            "detail-type": ["RDS DB Instance Event"],
            detail: { EventID: ["RDS-EVENT-0005"], SourceIdentifier: [{ suffix: VALIDATION_SUFFIX }] },
        },
    });
}

/** An EventBridge rule `<name>-<id>` that invokes `fn`, with its target and permission. */
function invokeOn(
    name: string,
    id: string,
    fn: aws.lambda.Function,
    tags: Readonly<Record<string, string>>,
    parent: pulumi.Resource,
    rule: { description: string; pattern: object },
): void {
    const r = new aws.cloudwatch.EventRule(
        `${name}-${id}`,
        { description: rule.description, eventPattern: JSON.stringify(rule.pattern), tags },
        { parent },
    );
    new aws.cloudwatch.EventTarget(`${name}-${id}-target`, { rule: r.name, arn: fn.arn }, { parent });
    new aws.lambda.Permission(
        `${name}-${id}-invoke`,
        { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: r.arn },
        { parent },
    );
}
