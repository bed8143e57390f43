/**
 * RDS Proxy, the managed alternative to PgBouncer (`pooler: rds-proxy`): TLS required from clients, IAM
 * authentication required (clients present a token from `rds generate-db-auth-token`, never a password), and the
 * proxy logs in to PostgreSQL with the roles' Secrets Manager credentials, which it may read and nothing else.
 *
 * Pinning caveat (docs/pooling.md): the proxy pins a client to one server connection for the rest of its session
 * when it sees session state it cannot track. Our tenant setting is `set_config('app.user_id', ..., true)`, a
 * function call scoped to the transaction, which does not pin; `SET` statements are excluded from pinning by the
 * EXCLUDE_VARIABLE_SETS filter only because the backend sets nothing at session level. Server-side prepared
 * statements with some parameter types, temporary tables, advisory locks and `LISTEN` still pin.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProxyPool } from "../../postgres/pooling/proxySizing";
import { serviceAssumeRolePolicy } from "./support/assumeRole";

export interface RdsProxyArgs {
    /** The RDS instance identifier the proxy fronts. */
    readonly instanceIdentifier: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly string[];
    /** The database's security group: it gets an ingress rule from the proxy's. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    /** Security groups of the app allowed to reach the proxy on 5432. No CIDRs: nothing from 0.0.0.0/0. */
    readonly allowedSecurityGroupIds: readonly string[];
    /** Secrets Manager ARNs of the roles clients may log in as (username + password JSON, as RoleSecrets writes). */
    readonly secretArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** The CMK that encrypts those secrets. */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly pool: ProxyPool;
    /** Seconds a client connection may idle before the proxy closes it. Default 1800. */
    readonly idleClientTimeoutSeconds?: number;
    readonly tags: Readonly<Record<string, string>>;
}

export class RdsProxy extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: RdsProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:RdsProxy", name, {}, opts);
        const child = { parent: this };
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "RDS Proxy: reads the MetaCortex role secrets to log in to PostgreSQL",
                assumeRolePolicy: serviceAssumeRolePolicy("rds.amazonaws.com"),
                tags: args.tags,
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-secrets`,
            {
                role: role.id,
                policy: pulumi.all([pulumi.all(Object.values(args.secretArns)), args.kmsKeyArn]).apply(([arns, key]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns },
                            {
                                Effect: "Allow",
                                Action: ["kms:Decrypt"],
                                Resource: key,
                                Condition: {
                                    StringEquals: {
                                        "kms:ViaService": `secretsmanager.${aws.config.region ?? "*"}.amazonaws.com`,
                                    },
                                },
                            },
                        ],
                    }),
                ),
            },
            child,
        );
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description:
                    "RDS Proxy for MetaCortex: PostgreSQL from the app's security groups, to the database only",
                ingress: args.allowedSecurityGroupIds.map((id) => ({
                    protocol: "tcp",
                    fromPort: 5432,
                    toPort: 5432,
                    securityGroups: [id],
                    description: `PostgreSQL from ${id}`,
                })),
                egress: [
                    {
                        protocol: "tcp",
                        fromPort: 5432,
                        toPort: 5432,
                        securityGroups: [args.databaseSecurityGroupId],
                        description: "PostgreSQL to the database",
                    },
                ],
                revokeRulesOnDelete: true,
                tags: args.tags,
            },
            child,
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-to-db`,
            {
                securityGroupId: args.databaseSecurityGroupId,
                referencedSecurityGroupId: sg.id,
                ipProtocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                description: "PostgreSQL from RDS Proxy",
                tags: args.tags,
            },
            child,
        );
        const proxy = new aws.rds.Proxy(
            `${name}-proxy`,
            {
                engineFamily: "POSTGRESQL",
                requireTls: true,
                idleClientTimeout: args.idleClientTimeoutSeconds ?? 1800,
                roleArn: role.arn,
                vpcSubnetIds: [...args.subnetIds],
                vpcSecurityGroupIds: [sg.id],
                debugLogging: false,
                auths: Object.entries(args.secretArns).map(([key, secretArn]) => ({
                    authScheme: "SECRETS",
                    iamAuth: "REQUIRED",
                    secretArn,
                    clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                    description: `${key} role`,
                })),
                tags: args.tags,
            },
            child,
        );
        const group = new aws.rds.ProxyDefaultTargetGroup(
            `${name}-targets`,
            {
                dbProxyName: proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent: args.pool.maxConnectionsPercent,
                    maxIdleConnectionsPercent: args.pool.maxIdleConnectionsPercent,
                    connectionBorrowTimeout: 30,
                    sessionPinningFilters: ["EXCLUDE_VARIABLE_SETS"],
                },
            },
            child,
        );
        new aws.rds.ProxyTarget(
            `${name}-target`,
            { dbProxyName: proxy.name, targetGroupName: group.name, dbInstanceIdentifier: args.instanceIdentifier },
            child,
        );
        this.endpoint = proxy.endpoint;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
