/** The network section: where the database is reachable from (target aws). */
import * as c from "../checks";
import type { Reader } from "../read";
import { list, row, text } from "../schema";
import type { NetworkConfig } from "../types";

export const NETWORK_KEYS = {
    vpcId: row({
        doc: "VPC of the database",
        type: text(c.VPC_ID),
        default: { unset: "none" },
        rules: { aws: "required for target aws" },
    }),
    subnetIds: row({
        doc: "DB subnet group",
        type: list("a list of subnet ids", c.SUBNET_ID),
        default: [],
        rules: { aws: "at least two private subnets in different AZs for target aws" },
    }),
    allowedCidrs: row({
        doc: "clients admitted to the database port",
        type: list("a list of CIDRs", c.CLIENT_CIDR),
        default: [],
    }),
    allowedSecurityGroupIds: row({
        doc: "app security groups admitted to the database port",
        type: list("a list of security group ids", c.SECURITY_GROUP_ID),
        default: [],
        rules: { aws: "at least one app security group or allowedCidrs entry for target aws, or nothing can connect" },
    }),
};

/** The VPC, subnets and admitted clients; target aws needs a VPC, two subnets and at least one admitted client. */
export function readNetwork(r: Reader<typeof NETWORK_KEYS>): NetworkConfig {
    const vpcId = r.read("vpcId");
    const subnetIds = r.read("subnetIds");
    const allowedCidrs = r.read("allowedCidrs");
    const allowedSecurityGroupIds = r.read("allowedSecurityGroupIds");
    if (r.target === "aws") {
        if (vpcId === undefined) r.breaks("vpcId", "aws", undefined);
        if (subnetIds.length < 2) r.breaks("subnetIds", "aws", subnetIds);
        if (allowedCidrs.length + allowedSecurityGroupIds.length === 0) r.breaks("allowedSecurityGroupIds", "aws", []);
    }
    return { vpcId, subnetIds, allowedCidrs, allowedSecurityGroupIds };
}
