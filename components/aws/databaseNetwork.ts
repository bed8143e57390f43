import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkCidr } from "../../postgres/network/cidr";
import { withResource } from "../support/resourceError";

export interface DatabaseNetworkArgs {
    /** VPC that holds the database. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets for the DB subnet group; at least two, in different AZs (Multi-AZ needs both). */
    readonly subnetIds: readonly string[];
    /** The PostgreSQL port clients use (TCP); the only port the security group admits. */
    readonly port: number;
    /** Client CIDRs allowed to `port`. Each is checked again here: nothing wider than /8 or /32 (IPv6). */
    readonly allowedCidrs: readonly string[];
    /** Application security groups allowed to `port`. */
    readonly allowedSecurityGroupIds: readonly string[];
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/** One ingress rule to the database port, as registered. */
export interface IngressRule {
    /** Stable suffix for the resource name, derived from the source so adding a source never renames others. */
    readonly id: string;
    /** The rule's description: the port's purpose and its source. */
    readonly description: string;
    /** The IPv4 source range, for an IPv4 CIDR; absent for any other source. */
    readonly cidrIpv4?: string;
    /** The IPv6 source range, for an IPv6 CIDR; absent for any other source. */
    readonly cidrIpv6?: string;
    /** The source security group, for an app security group; absent for a CIDR. */
    readonly referencedSecurityGroupId?: string;
}

/** Pure: the ingress rules for the allowed sources; throws on a CIDR that would open the database too widely. */
export function ingressRules(
    allowedCidrs: readonly string[],
    allowedSecurityGroupIds: readonly string[],
): IngressRule[] {
    const fromCidrs = allowedCidrs.map((cidr): IngressRule => {
        const check = checkCidr(cidr);
        if (!check.ok) throw new Error(`refusing database ingress from ${cidr}: ${check.reason}`);
        const id = `cidr-${cidr.replace(/[^0-9a-fA-F]+/g, "-").replace(/-+$/, "")}`;
        const description = `PostgreSQL from ${cidr}`;
        return check.family === 4 ? { id, description, cidrIpv4: cidr } : { id, description, cidrIpv6: cidr };
    });
    const fromGroups = allowedSecurityGroupIds.map((sg) => ({
        id: sg,
        description: `PostgreSQL from ${sg}`,
        referencedSecurityGroupId: sg,
    }));
    return [...fromCidrs, ...fromGroups];
}

/**
 * Where the database lives on the network: a DB subnet group over private subnets, and a security group that admits
 * the PostgreSQL port from the configured app security groups and CIDRs only. It has no egress rule: RDS answers
 * connections and never needs to open one.
 */
export class DatabaseNetwork extends pulumi.ComponentResource {
    readonly subnetGroup: aws.rds.SubnetGroup;
    readonly securityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: DatabaseNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:DatabaseNetwork", name, {}, opts);
        if (args.subnetIds.length < 2)
            throw new pulumi.ResourceError(
                `DatabaseNetwork ${name}: subnetIds needs at least two subnets in different AZs, ` +
                    `got ${args.subnetIds.length} (${args.subnetIds.join(", ") || "none"})`,
                this,
            );
        const rules = withResource(this, () => ingressRules(args.allowedCidrs, args.allowedSecurityGroupIds));

        this.subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { description: `Private subnets for ${name}`, subnetIds: [...args.subnetIds], tags: args.tags },
            { parent: this },
        );
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                description: `PostgreSQL ${args.port} for ${name}: app security groups and listed CIDRs only`,
                vpcId: args.vpcId,
                // Empty lists make the provider remove AWS's default allow-all egress rule.
                egress: [],
                revokeRulesOnDelete: true,
                tags: args.tags,
            },
            { parent: this },
        );
        for (const rule of rules) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${rule.id}`,
                {
                    securityGroupId: this.securityGroup.id,
                    ipProtocol: "tcp",
                    fromPort: args.port,
                    toPort: args.port,
                    description: rule.description,
                    cidrIpv4: rule.cidrIpv4,
                    cidrIpv6: rule.cidrIpv6,
                    referencedSecurityGroupId: rule.referencedSecurityGroupId,
                    tags: args.tags,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ subnetGroupName: this.subnetGroup.name, securityGroupId: this.securityGroup.id });
    }
}
