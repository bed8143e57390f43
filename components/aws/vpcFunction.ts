import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseVpcFunction } from "./support/databaseVpc";
import { handlerSource, type LambdaCode, lambdaArchive } from "./support/lambdaArchive";
import { serviceAssumeRolePolicy } from "./support/assumeRole";

export interface VpcFunctionArgs extends DatabaseVpcFunction {
    /** What the function does; also the description of its role, security group and ingress rule. */
    readonly description: string;
    /** The function's code (TypeScript sources and packages), read by index.ts. It must hold `handler`'s module. */
    readonly code: LambdaCode;
    /** `path/file.export` inside the archive, e.g. `components/aws/lambda/healthCheckHandler.handler`. */
    readonly handler: string;
    /** IAM statements the function needs beyond reading `secretArn` and decrypting with `kmsKeyArn` (always given). */
    readonly statements: readonly object[];
    /** Environment variables (values may be outputs). NODE_EXTRA_CA_CERTS is always set, for verify-full to RDS. */
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    /** Seconds a run may take before Lambda stops it, 1 to 900. Default 300. */
    readonly timeoutSeconds?: number;
    /** Tags for every resource that takes them. */
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
        const source = handlerSource(args.handler);
        if (!(source in args.code.sources))
            throw new pulumi.ResourceError(
                `VpcFunction ${name}: handler ${args.handler} needs ${source}, ` +
                    `which is not among the code's sources (${Object.keys(args.code.sources).join(", ")})`,
                this,
            );
        const child = { parent: this };
        this.securityGroup = databaseClientGroup(name, args, this);
        const role = functionRole(name, args, this);
        const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: 90, tags: args.tags }, child);
        this.function = new aws.lambda.Function(
            `${name}`,
            {
                description: args.description,
                runtime: "nodejs20.x",
                architectures: ["arm64"],
                handler: args.handler,
                code: lambdaArchive(args.code),
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

/** The function's security group (PostgreSQL to the database, HTTPS to AWS APIs), and the database's rule for it. */
function databaseClientGroup(name: string, args: VpcFunctionArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
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
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-to-db`,
        {
            securityGroupId: args.databaseSecurityGroupId,
            referencedSecurityGroupId: group.id,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: args.description,
            tags: args.tags,
        },
        { parent },
    );
    return group;
}

/** The function's role: VPC networking, its one secret and its key, and the statements it was given. */
function functionRole(name: string, args: VpcFunctionArgs, parent: pulumi.Resource): aws.iam.Role {
    const partition = aws.getPartitionOutput({}, { parent });
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: args.description,
            assumeRolePolicy: serviceAssumeRolePolicy("lambda.amazonaws.com"),
            tags: args.tags,
        },
        { parent },
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-vpc`,
        {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
        },
        { parent },
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
        { parent },
    );
    return role;
}
