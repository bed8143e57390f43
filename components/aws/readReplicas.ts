import * as pulumi from "@pulumi/pulumi";
import type { RdsParameter } from "../../postgres/settings/render";
import { ParameterGroup } from "./parameterGroup";
import { ReadReplica, type ReadReplicaArgs } from "./readReplica";

/** RDS for PostgreSQL's own limit is 15 replicas per source; the platform sizes, routes and watches up to 5. */
export const MAX_READ_REPLICAS = 5;

export interface ReadReplicasArgs
    extends Pick<
        ReadReplicaArgs,
        | "instanceClass"
        | "port"
        | "maxAllocatedStorageGiB"
        | "kmsKeyArn"
        | "securityGroupIds"
        | "monitoringRoleArn"
        | "deletionProtection"
        | "maintenanceWindow"
        | "tags"
    > {
    /** The source's DB instance identifier, known before deployment: replicas are `<it>-replica-<n>`. */
    readonly sourceIdentifier: string;
    /** The source's identifier as the provider reports it, so each replica waits for its source to exist. */
    readonly source: pulumi.Input<string>;
    /** How many replicas, 1 to MAX_READ_REPLICAS (5). */
    readonly count: number;
    /** Their parameter group's contents: the standby settings for their class (postgres/settings/standby.ts). */
    readonly parameters: readonly RdsParameter[];
}

/**
 * Read replicas beside the source, in its region, subnets and security group, under its CMK, with a parameter group
 * of their own: the standby rows, and the hot-standby floors at the source's values.
 */
export class ReadReplicas extends pulumi.ComponentResource {
    readonly parameterGroup: ParameterGroup;
    readonly replicas: ReadReplica[];

    constructor(name: string, args: ReadReplicasArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:ReadReplicas", name, {}, opts);
        if (!Number.isInteger(args.count) || args.count < 1 || args.count > MAX_READ_REPLICAS)
            throw new pulumi.ResourceError(
                `ReadReplicas ${name}: count must be 1 to ${MAX_READ_REPLICAS}, got ${args.count}`,
                this,
            );
        this.parameterGroup = new ParameterGroup(
            `${name}-params`,
            { family: "postgres15", parameters: args.parameters, tags: args.tags },
            { parent: this },
        );
        const { sourceIdentifier, source, count, parameters, ...shared } = args;
        this.replicas = Array.from(
            { length: count },
            (_, i) =>
                new ReadReplica(
                    `${name}-${i + 1}`,
                    {
                        ...shared,
                        identifier: `${sourceIdentifier}-replica-${i + 1}`,
                        source,
                        parameterGroupName: this.parameterGroup.name,
                    },
                    { parent: this },
                ),
        );
        this.registerOutputs({ identifiers: this.replicas.map((r) => r.identifier) });
    }
}
