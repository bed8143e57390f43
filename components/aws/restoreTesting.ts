import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaArchive } from "./lambdaArchive";

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

export const RESTORE_VALIDATION_SOURCES = ["components/aws/restoreValidationHandler.ts", "components/postgres/restoreValidation.ts"] as const;

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
                    VpcSecurityGroupIds: pulumi.output(args.databaseSecurityGroupId).apply((sg) => JSON.stringify([sg])),
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
        const partition = aws.getPartitionOutput({}, child);
        const sg = new aws.ec2.SecurityGroup(
            `${name}-validator-sg`,
            {
                description: "Restore validation function: PostgreSQL to the database subnets, HTTPS to AWS APIs",
                vpcId: args.vpcId,
                ingress: [],
                egress: [
                    { protocol: "tcp", fromPort: args.port, toPort: args.port, securityGroups: [args.databaseSecurityGroupId], description: "PostgreSQL" },
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs (Backup, RDS, Secrets Manager)" },
                ],
                tags: args.tags,
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-validator-to-db`,
            { securityGroupId: args.databaseSecurityGroupId, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: args.port, toPort: args.port, description: "restore validation function", tags: args.tags },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-validator-role`,
            {
                description: "Restore validation function",
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
                tags: args.tags,
            },
            child,
        );
        new aws.iam.RolePolicyAttachment(`${name}-validator-vpc`, { role: role.name, policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole` }, child);
        new aws.iam.RolePolicy(
            `${name}-validator-policy`,
            {
                role: role.id,
                policy: pulumi.all([args.validationSecretArn!, args.kmsKeyArn]).apply(([secret, key]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: ["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult", "rds:DescribeDBInstances"], Resource: "*" },
                            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret },
                            { Effect: "Allow", Action: "kms:Decrypt", Resource: key },
                        ],
                    }),
                ),
            },
            child,
        );
        const logs = new aws.cloudwatch.LogGroup(`${name}-validator-logs`, { retentionInDays: 90, tags: args.tags }, child);
        const fn = new aws.lambda.Function(
            `${name}-validator`,
            {
                description: "Checks restored MetaCortex databases (schema, counts, recovery point) and reports to AWS Backup",
                runtime: "nodejs20.x",
                architectures: ["arm64"],
                handler: "aws/restoreValidationHandler.handler",
                code: lambdaArchive(RESTORE_VALIDATION_SOURCES, ["pg"]),
                role: role.arn,
                timeout: 300,
                memorySize: 512,
                kmsKeyArn: args.kmsKeyArn,
                vpcConfig: { subnetIds: [...args.subnetIds], securityGroupIds: [sg.id] },
                environment: { variables: { VALIDATION_SECRET_ARN: args.validationSecretArn!, NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem", MAX_LAG_SECONDS: String(26 * 3600) } },
                loggingConfig: { logFormat: "JSON", logGroup: logs.name },
                tags: args.tags,
            },
            child,
        );
        const rule = new aws.cloudwatch.EventRule(
            `${name}-restore-completed`,
            {
                description: "AWS Backup restore jobs of the database that completed: validate them",
                eventPattern: JSON.stringify({ source: ["aws.backup"], "detail-type": ["Restore Job State Change"], detail: { status: ["COMPLETED"], resourceType: ["RDS"] } }),
                tags: args.tags,
            },
            child,
        );
        new aws.cloudwatch.EventTarget(`${name}-restore-completed-target`, { rule: rule.name, arn: fn.arn }, child);
        new aws.lambda.Permission(`${name}-restore-completed-invoke`, { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: rule.arn }, child);
        return fn;
    }
}
