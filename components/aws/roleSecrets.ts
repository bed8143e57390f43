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
    /** Tags for the secrets (their versions take none). */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * One Secrets Manager secret per login role, encrypted with the CMK, in the shape RDS's own secrets use
 * (engine, host, port, dbname, username, password), so the app and PgBouncer read credentials from AWS and nothing
 * holds them in plain text. Deleted secrets stay recoverable for 30 days.
 */
export class RoleSecrets extends pulumi.ComponentResource {
    /** Secret ARN per role key. */
    readonly arns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: RoleSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:RoleSecrets", name, {}, opts);
        this.arns = {};
        for (const [key, cred] of Object.entries(args.credentials)) {
            const secret = new aws.secretsmanager.Secret(
                `${name}-${key}`,
                {
                    name: `${args.namePrefix}/${key}`,
                    description: `PostgreSQL credentials of ${cred.username}`,
                    kmsKeyId: args.kmsKeyArn,
                    recoveryWindowInDays: 30,
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
        }
        this.registerOutputs({ arns: this.arns });
    }
}
