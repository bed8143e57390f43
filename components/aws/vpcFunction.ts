import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaArchive } from "./support/lambdaArchive";
import { serviceAssumeRolePolicy } from "./support/assumeRole";

export interface VpcFunctionArgs {
    readonly description: string;
    /** Repository-relative TypeScript sources packaged into the function. */
    readonly sources: readonly string[];
    /** `path/file.export` inside the archive, e.g. `components/aws/lambda/healthCheckHandler.handler`. */
    readonly handler: string;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly string[];
    /** The database's security group: the function is admitted to it on `port`. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    readonly port: number;
    /** The Secrets Manager secret the function connects with (the only one it may read). */
    readonly secretArn: pulumi.Input<string>;
    /** CMK of that secret and of the function's environment. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Further IAM statements the function needs. */
    readonly statements: readonly object[];
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    readonly timeoutSeconds?: number;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * A Node.js Lambda in the database's VPC, built from this repository's TypeScript (with node-postgres), that reaches
 * PostgreSQL through its own security group and reads exactly one secret. The restore validator and the scheduled
 * health check are both this.
 */
export class VpcFunction extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly securityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: VpcFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:VpcFunction", name, {}, opts);
        const child = { parent: this };
        const partition = aws.getPartitionOutput({}, child);
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                description: `${args.description}: PostgreSQL to the database, HTTPS to AWS APIs`,
                vpcId: args.vpcId,
                ingress: [],
                egress: [
                    {
                        protocol: "tcp",
                        fromPort: args.port,
                        toPort: args.port,
                        securityGroups: [args.databaseSecurityGroupId],
                        description: "PostgreSQL",
                    },
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs" },
                ],
                tags: args.tags,
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-to-db`,
            {
                securityGroupId: args.databaseSecurityGroupId,
                referencedSecurityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: args.port,
                toPort: args.port,
                description: args.description,
                tags: args.tags,
            },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: args.description,
                assumeRolePolicy: serviceAssumeRolePolicy("lambda.amazonaws.com"),
                tags: args.tags,
            },
            child,
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-vpc`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: pulumi.all([args.secretArn, args.kmsKeyArn]).apply(([secret, key]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            ...args.statements,
                            { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secret },
                            { Effect: "Allow", Action: "kms:Decrypt", Resource: key },
                        ],
                    }),
                ),
            },
            child,
        );
        const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: 90, tags: args.tags }, child);
        this.function = new aws.lambda.Function(
            `${name}`,
            {
                description: args.description,
                runtime: "nodejs20.x",
                architectures: ["arm64"],
                handler: args.handler,
                code: lambdaArchive(args.sources, ["pg"]),
                role: role.arn,
                timeout: args.timeoutSeconds ?? 300,
                memorySize: 512,
                kmsKeyArn: args.kmsKeyArn,
                vpcConfig: { subnetIds: [...args.subnetIds], securityGroupIds: [this.securityGroup.id] },
                // NODE_EXTRA_CA_CERTS adds the RDS CAs that the Node.js 20 runtime ships, for verify-full.
                environment: { variables: { NODE_EXTRA_CA_CERTS: "/var/runtime/ca-cert.pem", ...args.environment } },
                loggingConfig: { logFormat: "JSON", logGroup: logs.name },
                tags: args.tags,
            },
            child,
        );
        this.registerOutputs({ arn: this.function.arn });
    }
}
