import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RdsParameter } from "../../postgres/settings/render";

export interface ClusterParameterGroupArgs {
    /** Parameter group family, e.g. `aurora-postgresql15`; changing it creates a new group (see ParameterGroup). */
    readonly family: string;
    /** The cluster-level parameters, rendered from the settings source (renderAuroraParameters' `cluster`). */
    readonly parameters: readonly RdsParameter[];
    /** Tags for the group. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * An Aurora DB cluster parameter group: the values every instance of the cluster starts from (an instance's own DB
 * parameter group overrides them). Auto-named for the same reason as ParameterGroup: a family change creates the new
 * group before the old one, still attached, is deleted.
 */
export class ClusterParameterGroup extends pulumi.ComponentResource {
    readonly group: aws.rds.ClusterParameterGroup;
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: ClusterParameterGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:ClusterParameterGroup", name, {}, opts);
        const seen = new Set<string>();
        for (const p of args.parameters) {
            if (seen.has(p.name))
                throw new pulumi.ResourceError(
                    `ClusterParameterGroup ${name}: parameter ${p.name} is given twice`,
                    this,
                );
            seen.add(p.name);
        }
        this.group = new aws.rds.ClusterParameterGroup(
            `${name}-${args.family}`,
            {
                family: args.family,
                // ForceNew on RDS: kept constant so that a new parameter never replaces the group.
                description: `MetaCortex Aurora PostgreSQL cluster settings (${args.family}), rendered from postgres/settings`,
                // Sorted so that a reordering in the source never shows up as a diff.
                parameters: [...args.parameters].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ ...p })),
                tags: args.tags,
            },
            { parent: this },
        );
        this.name = this.group.name;
        this.registerOutputs({ name: this.name });
    }
}
