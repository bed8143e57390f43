/**
 * RDS Proxy, the managed alternative to PgBouncer (`pooler: rds-proxy`): TLS required from clients, IAM
 * authentication required (clients present a token from `rds generate-db-auth-token`, never a password), and the
 * proxy logs in to PostgreSQL with the roles' Secrets Manager credentials, which it may read and nothing else.
 *
 * Pinning caveat (docs/pooling.md): the proxy pins a client to one server connection for the rest of its session
 * when it sees session state it cannot track. Our tenant call is `SELECT app.set_tenant($1)`, a function that sets
 * transaction-scoped settings, which does not pin; `SET` statements are excluded from pinning by the
 * EXCLUDE_VARIABLE_SETS filter only because the backend sets nothing at session level. Server-side prepared
 * statements with some parameter types, temporary tables, advisory locks and `LISTEN` still pin.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import type { ProxyPool } from "../../postgres/pooling/proxySizing";
import { serviceAssumeRolePolicy } from "./support/assumeRole";
import type { DatabaseVpc } from "./support/databaseVpc";

/** The proxy sits in the database's subnets (DatabaseVpc) and reads secrets encrypted with its `kmsKeyArn`. */
export interface RdsProxyArgs extends DatabaseVpc {
    /** The RDS instance identifier the proxy fronts; omit when it fronts an Aurora cluster. */
    readonly instanceIdentifier?: pulumi.Input<string>;
    /** The Aurora cluster identifier the proxy fronts (its writer); omit when it fronts an RDS instance. */
    readonly clusterIdentifier?: pulumi.Input<string>;
    /**
     * The database resources the identifier names: the target waits for them, because RDS refuses to register a
     * target that is not available yet (an Aurora cluster without its writer instance, for one). Omit when it exists.
     */
    readonly sources?: readonly pulumi.Resource[];
    /**
     * Security groups of the app allowed to reach the proxy's endpoint, on PostgreSQL's default port (POSTGRES_PORT).
     * No CIDRs: nothing from 0.0.0.0/0.
     */
    readonly allowedSecurityGroupIds: readonly string[];
    /** Secrets Manager ARNs, by role key, of the roles clients may log in as (RoleSecrets' username + password JSON). */
    readonly secretArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** The pool's share of max_connections, from the connection budget (proxyPool in postgres/pooling). */
    readonly pool: ProxyPool;
    /** Seconds a client connection may idle before the proxy closes it. Default 1800. */
    readonly idleClientTimeoutSeconds?: number;
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/** RDS Proxy in front of the instance: the pool, its role, its security group and the database's rule admitting it. */
export class RdsProxy extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;

    constructor(name: string, args: RdsProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:RdsProxy", name, {}, opts);
        if ((args.instanceIdentifier === undefined) === (args.clusterIdentifier === undefined))
            throw new pulumi.ResourceError(
                `RdsProxy ${name}: give instanceIdentifier or clusterIdentifier, exactly one, got ${args.instanceIdentifier === undefined ? "neither" : "both"}`,
                this,
            );
        const child = { parent: this };
        const role = secretsReader(name, args, this);
        const sg = proxySecurityGroup(name, args, this);
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
            {
                dbProxyName: proxy.name,
                targetGroupName: group.name,
                dbInstanceIdentifier: args.instanceIdentifier,
                dbClusterIdentifier: args.clusterIdentifier,
            },
            { ...child, dependsOn: args.sources ? [...args.sources] : undefined },
        );
        this.endpoint = proxy.endpoint;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}

/** The role the proxy assumes: it reads the role secrets, and decrypts them through Secrets Manager only. */
function secretsReader(name: string, args: RdsProxyArgs, parent: pulumi.Resource): aws.iam.Role {
    const region = aws.getRegionOutput({}, { parent });
    const role = new aws.iam.Role(
        `${name}-role`,
        {
            description: "RDS Proxy: reads the MetaCortex role secrets to log in to PostgreSQL",
            assumeRolePolicy: serviceAssumeRolePolicy("rds.amazonaws.com"),
            tags: args.tags,
        },
        { parent },
    );
    new aws.iam.RolePolicy(
        `${name}-secrets`,
        {
            role: role.id,
            policy: pulumi
                .all([pulumi.all(Object.values(args.secretArns)), args.kmsKeyArn, region.name])
                .apply(([arns, key, regionName]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns },
                            {
                                Effect: "Allow",
                                Action: ["kms:Decrypt"],
                                Resource: key,
                                Condition: {
                                    StringEquals: { "kms:ViaService": `secretsmanager.${regionName}.amazonaws.com` },
                                },
                            },
                        ],
                    }),
                ),
        },
        { parent },
    );
    return role;
}

/** The proxy's security group (the app's groups in, the database out) and the database's rule admitting it. */
function proxySecurityGroup(name: string, args: RdsProxyArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const sg = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            vpcId: args.vpcId,
            description: "RDS Proxy for MetaCortex: PostgreSQL from the app's security groups, to the database only",
            ingress: args.allowedSecurityGroupIds.map((id) => ({
                protocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                securityGroups: [id],
                description: `PostgreSQL from ${id}`,
            })),
            egress: [
                {
                    protocol: "tcp",
                    fromPort: args.port,
                    toPort: args.port,
                    securityGroups: [args.databaseSecurityGroupId],
                    description: "PostgreSQL to the database",
                },
            ],
            revokeRulesOnDelete: true,
            tags: args.tags,
        },
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-to-db`,
        {
            securityGroupId: args.databaseSecurityGroupId,
            referencedSecurityGroupId: sg.id,
            ipProtocol: "tcp",
            fromPort: args.port,
            toPort: args.port,
            description: "PostgreSQL from RDS Proxy",
            tags: args.tags,
        },
        { parent },
    );
    return sg;
}
