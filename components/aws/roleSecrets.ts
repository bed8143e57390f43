import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RoleSecretsArgs {
    /** Prefix of each secret's name, e.g. `metacortex-prod/db`. */
    readonly namePrefix: string;
    /** Login role key to its credentials (password is a secret). */
    readonly credentials: Readonly<
        Record<string, { readonly username: string; readonly password: pulumi.Input<string> }>
    >;
    /** Host clients connect to (the RDS endpoint), written into each secret. */
    readonly host: pulumi.Input<string>;
    /** Port (TCP) clients connect to, written into each secret. */
    readonly port: pulumi.Input<number>;
    /** Database name, written into each secret as `dbname`. */
    readonly database: string;
    /** ARN of the CMK the secrets are encrypted with. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Another region each secret is replicated to by Secrets Manager (the DR replica's), so the credentials outlive
     * the loss of this one. Omit for none. The replicas are read-only copies until `stop-replication-to-replica`
     * promotes them (docs/runbooks/region-loss.md).
     */
    readonly replica?: {
        /** The region, e.g. `eu-central-1`; never the secrets' own (Secrets Manager refuses it). */
        readonly region: string;
        /**
         * ARN of a customer-managed key of that region the replicas are encrypted with (the DR replica's). Its key
         * policy must let the account's IAM principals use it: Secrets Manager encrypts and decrypts with the
         * caller's permissions (`kms:ViaService`), not as a service principal of its own.
         */
        readonly kmsKeyArn: pulumi.Input<string>;
    };
    /** Tags for the secrets (their versions take none; replicas carry the same). */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Pure: the ARN of a secret's replica in `region`. Secrets Manager gives a replica the primary's ARN with only the
 * region changed (same name, same random suffix), and the provider reports none, so it is computed.
 */
export function replicaSecretArn(arn: string, region: string): string {
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn" || parts[2] !== "secretsmanager")
        throw new Error(
            `replicaSecretArn: ${arn} is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:...)`,
        );
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region))
        throw new Error(`replicaSecretArn: region must be an AWS region code such as eu-central-1, got ${region}`);
    parts[3] = region;
    return parts.join(":");
}

/**
 * One Secrets Manager secret per login role, encrypted with the CMK, in the shape RDS's own secrets use
 * (engine, host, port, dbname, username, password), so the app and PgBouncer read credentials from AWS and nothing
 * holds them in plain text. Deleted secrets stay recoverable for 30 days. With `replica`, each is replicated to that
 * region under that region's key.
 */
export class RoleSecrets extends pulumi.ComponentResource {
    /** Secret ARN per role key. */
    readonly arns: Record<string, pulumi.Output<string>>;
    /** The replica's ARN in `replica.region` per role key; undefined without `replica`. */
    readonly replicaArns?: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: RoleSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:RoleSecrets", name, {}, opts);
        this.arns = {};
        const replicaArns: Record<string, pulumi.Output<string>> = {};
        const replica = args.replica;
        for (const [key, cred] of Object.entries(args.credentials)) {
            const secret = new aws.secretsmanager.Secret(
                `${name}-${key}`,
                {
                    name: `${args.namePrefix}/${key}`,
                    description: `PostgreSQL credentials of ${cred.username}`,
                    kmsKeyId: args.kmsKeyArn,
                    recoveryWindowInDays: 30,
                    replicas: replica && [{ region: replica.region, kmsKeyId: replica.kmsKeyArn }],
                    tags: args.tags,
                },
                { parent: this },
            );
            new aws.secretsmanager.SecretVersion(
                `${name}-${key}-version`,
                {
                    secretId: secret.id,
                    secretString: pulumi.secret(
                        pulumi.all([args.host, args.port, cred.password]).apply(([host, port, password]) =>
                            JSON.stringify({
                                engine: "postgres",
                                host,
                                port,
                                dbname: args.database,
                                username: cred.username,
                                password,
                            }),
                        ),
                    ),
                },
                { parent: this },
            );
            this.arns[key] = secret.arn;
            if (replica) replicaArns[key] = secret.arn.apply((arn) => replicaSecretArn(arn, replica.region));
        }
        this.replicaArns = replica ? replicaArns : undefined;
        this.registerOutputs({ arns: this.arns, replicaArns: this.replicaArns });
    }
}
