import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VpcFunction } from "./vpcFunction";

export const HEALTH_CHECK_SOURCES = [
    "components/aws/lambda/healthCheckHandler.ts",
    "postgres/health/checks.ts",
    "postgres/health/restoreValidation.ts",
] as const;

export interface HealthCheckArgs {
    readonly instanceId: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly string[];
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    readonly port: number;
    /** The monitor role's secret. */
    readonly monitorSecretArn: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Default every 5 minutes. */
    readonly schedule?: string;
    readonly tags: Readonly<Record<string, string>>;
}

/** `npm run health`'s checks on a schedule in prod, publishing custom metrics for the dashboard and alarms. */
export class HealthCheck extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;

    constructor(name: string, args: HealthCheckArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:HealthCheck", name, {}, opts);
        const child = { parent: this };
        this.function = new VpcFunction(
            `${name}-fn`,
            {
                description: "Scheduled database health check: publishes MetaCortex/Database metrics",
                sources: HEALTH_CHECK_SOURCES,
                handler: "components/aws/lambda/healthCheckHandler.handler",
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                databaseSecurityGroupId: args.databaseSecurityGroupId,
                port: args.port,
                secretArn: args.monitorSecretArn,
                kmsKeyArn: args.kmsKeyArn,
                statements: [
                    {
                        Effect: "Allow",
                        Action: "cloudwatch:PutMetricData",
                        Resource: "*",
                        Condition: { StringEquals: { "cloudwatch:namespace": "MetaCortex/Database" } },
                    },
                    { Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: "*" },
                ],
                environment: { MONITOR_SECRET_ARN: args.monitorSecretArn, DB_INSTANCE_ID: args.instanceId },
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
