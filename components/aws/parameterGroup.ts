import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { RdsParameter } from "../../postgres/settings/render";

export interface ParameterGroupArgs {
    /** Parameter group family, e.g. `postgres15`; changing it creates a new group (see the class). */
    readonly family: string;
    /** The parameters, rendered from the settings source (postgres/settings). */
    readonly parameters: readonly RdsParameter[];
    /** Tags for the group. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * A DB parameter group. Its physical name is auto-generated (`<name>-<random>`), not fixed: a change of family
 * (the major-upgrade path) then creates the new group before the old one is deleted, while the old one is still
 * attached to the instance. A fixed name would force delete-before-create, which RDS refuses for a group in use.
 */
export class ParameterGroup extends pulumi.ComponentResource {
    readonly group: aws.rds.ParameterGroup;
    readonly name: pulumi.Output<string>;

    constructor(name: string, args: ParameterGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:ParameterGroup", name, {}, opts);
        const seen = new Set<string>();
        for (const p of args.parameters) {
            if (seen.has(p.name))
                throw new pulumi.ResourceError(`ParameterGroup ${name}: parameter ${p.name} is given twice`, this);
            seen.add(p.name);
        }
        this.group = new aws.rds.ParameterGroup(
            `${name}-${args.family}`,
            {
                family: args.family,
                description: `MetaCortex PostgreSQL settings (${args.family}), rendered from components/postgres/settings`, // the description is ForceNew on RDS: kept verbatim so the group is not replaced
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
