import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface KmsKeyArgs {
    /** What the key protects, for the key description and alias; e.g. `metacortex-prod database`. */
    readonly description: string;
    /** Alias without the `alias/` prefix, e.g. `metacortex-prod/database`. */
    readonly alias: string;
    /**
     * AWS service principals allowed to use the key through the account's grants, beyond IAM principals of the
     * account (e.g. `logs.<region>.amazonaws.com` for an encrypted log group, `sns.amazonaws.com`).
     * Default: none; RDS, Performance Insights and Secrets Manager use the caller's grants and need no entry.
     */
    readonly servicePrincipals?: pulumi.Input<string>[];
    /** Days before a scheduled deletion completes, 7 to 30. Default 30: the longest undo window. */
    readonly deletionWindowInDays?: number;
    /** Tags for the key (the alias takes none). */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The key policy: the account administers the key through IAM (the AWS default, so that IAM policies decide), and
 * each listed service principal may encrypt and decrypt for resources of this account only.
 */
export function keyPolicy(accountId: string, partition: string, servicePrincipals: readonly string[]): string {
    const statements: object[] = [
        {
            Sid: "AccountAdministersThroughIam",
            Effect: "Allow",
            Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (servicePrincipals.length > 0) {
        statements.push({
            Sid: "ServicesEncryptForThisAccount",
            Effect: "Allow",
            Principal: { Service: [...servicePrincipals] },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** A customer-managed KMS key with yearly rotation and an alias. */
export class KmsKey extends pulumi.ComponentResource {
    readonly key: aws.kms.Key;
    readonly alias: aws.kms.Alias;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: KmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:KmsKey", name, {}, opts);
        const deletionWindowInDays = args.deletionWindowInDays ?? 30;
        if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
            throw new pulumi.ResourceError(
                `KmsKey ${name}: deletionWindowInDays must be 7 to 30 days, got ${deletionWindowInDays}`,
                this,
            );
        }
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: args.description,
                enableKeyRotation: true,
                rotationPeriodInDays: 365,
                deletionWindowInDays,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                policy: pulumi
                    .all([identity.accountId, partition.partition, pulumi.all(args.servicePrincipals ?? [])])
                    .apply(([account, part, principals]) => keyPolicy(account, part, principals)),
                tags: args.tags,
            },
            { parent: this },
        );
        this.alias = new aws.kms.Alias(
            `${name}-alias`,
            { name: `alias/${args.alias}`, targetKeyId: this.key.keyId },
            { parent: this },
        );
        this.arn = this.key.arn;
        this.registerOutputs({ arn: this.arn, alias: this.alias.name });
    }
}
