import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceAssumeRolePolicy } from "./support/assumeRole";

export interface MonitoringRoleArgs {
    /** Tags for the role. */
    readonly tags: Readonly<Record<string, string>>;
}

/** The IAM role RDS Enhanced Monitoring assumes to publish OS metrics to CloudWatch Logs (RDSOSMetrics). */
export class MonitoringRole extends pulumi.ComponentResource {
    readonly role: aws.iam.Role;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: MonitoringRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:MonitoringRole", name, {}, opts);
        const partition = aws.getPartitionOutput({}, { parent: this });
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                description: "RDS Enhanced Monitoring for the MetaCortex database",
                // Confused-deputy guard: only RDS acting for this account may assume the role.
                assumeRolePolicy: identity.accountId.apply((account) =>
                    serviceAssumeRolePolicy("monitoring.rds.amazonaws.com", {
                        StringEquals: { "aws:SourceAccount": account },
                    }),
                ),
                tags: args.tags,
            },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-policy`,
            {
                role: this.role.name,
                policyArn: pulumi.interpolate`arn:${partition.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
            },
            { parent: this },
        );
        this.arn = this.role.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
