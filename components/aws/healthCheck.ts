import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type DatabaseVpcFunction, databaseVpc } from "./support/databaseVpc";
import type { LambdaCode } from "./support/lambdaArchive";
import { VpcFunction } from "./vpcFunction";

/** The repository files the health check function is built from (index.ts reads them into HealthCheckArgs.code). */
export const HEALTH_CHECK_SOURCES = [
    "components/aws/lambda/healthCheckHandler.ts",
    "postgres/health/checks.ts",
    "postgres/health/restoreValidation.ts",
] as const;

export interface HealthCheckArgs extends DatabaseVpcFunction {
    /** RDS instance identifier: the metrics' DBInstanceIdentifier dimension, and what the function describes. */
    readonly instanceId: string;
    /**
     * An Aurora cluster's identifier, in place of the instance's: the metrics' DBClusterIdentifier dimension, and the
     * cluster whose latest restorable time is the RPO (its instances have none). Omit for an RDS instance.
     */
    readonly clusterId?: string;
    /** The function's code: HEALTH_CHECK_SOURCES and LAMBDA_PACKAGES, as index.ts read them. */
    readonly code: LambdaCode;
    /** EventBridge schedule expression. Default `rate(5 minutes)`, which the missing-data alarms assume. */
    readonly schedule?: string;
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * `npm run health`'s checks on a schedule in prod, publishing custom metrics for the dashboard and alarms. It logs in
 * as the monitor role: `secretArn` is that role's secret.
 */
export class HealthCheck extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;

    constructor(name: string, args: HealthCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:HealthCheck", name, {}, opts);
        const child = { parent: this };
        this.function = new VpcFunction(
            `${name}-fn`,
            {
                ...databaseVpc(args),
                secretArn: args.secretArn,
                description: "Scheduled database health check: publishes MetaCortex/Database metrics",
                code: args.code,
                handler: "components/aws/lambda/healthCheckHandler.handler",
                statements: [
                    {
                        Effect: "Allow",
                        Action: "cloudwatch:PutMetricData",
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": "MetaCortex/Database" } },
                    },
                    {
                        Effect: "Allow",
                        Action: args.clusterId ? "rds:DescribeDBClusters" : "rds:DescribeDBInstances",
                        Resource: "*",
                    },
                ],
                environment: {
                    MONITOR_SECRET_ARN: args.secretArn,
                    ...(args.clusterId ? { DB_CLUSTER_ID: args.clusterId } : { DB_INSTANCE_ID: args.instanceId }),
                },
                timeoutSeconds: 60,
                tags: args.tags,
            },
            child,
        ).function;
        const schedule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            {
                description: "Run the database health check",
                scheduleExpression: args.schedule ?? "rate(5 minutes)",
                tags: args.tags,
            },
            child,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-schedule-target`,
            { rule: schedule.name, arn: this.function.arn },
            child,
        );
        new aws.lambda.Permission(
            `${name}-schedule-invoke`,
            {
                action: "lambda:InvokeFunction",
                function: this.function.name,
                principal: "events.amazonaws.com",
                sourceArn: schedule.arn,
            },
            child,
        );
        this.registerOutputs({ functionArn: this.function.arn });
    }
}
