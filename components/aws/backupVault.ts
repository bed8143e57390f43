import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface BackupVaultArgs {
    /** ARN of the CMK the vault encrypts recovery points with (a key in the vault's own region). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Vault Lock. `governance`: retention limits enforced, but IAM principals with backup:DeleteBackupVaultLockConfiguration
     * can lift the lock (use until the retention policy has settled). `compliance`: after a 3-day grace period nobody,
     * not even the root user, can shorten retention or delete recovery points early. `none`: no lock (dev).
     */
    readonly lock: "none" | "governance" | "compliance";
    /**
     * Shortest retention the lock allows, in days (at least 1): no recovery point in the vault may be deleted sooner.
     * Unused when `lock` is `none`, but still checked.
     */
    readonly minRetentionDays: number;
    /** Longest retention the lock allows, in days (at least `minRetentionDays`). Unused when `lock` is `none`. */
    readonly maxRetentionDays: number;
    /** Tags for the vault (the lock configuration takes none). */
    readonly tags: Readonly<Record<string, string>>;
}

/** An AWS Backup vault encrypted with a CMK, locked in prod. */
export class BackupVault extends pulumi.ComponentResource {
    readonly vault: aws.backup.Vault;
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:BackupVault", name, {}, opts);
        if (args.minRetentionDays < 1 || args.maxRetentionDays < args.minRetentionDays) {
            throw new pulumi.ResourceError(
                `BackupVault ${name}: need 1 <= minRetentionDays (${args.minRetentionDays}) ` +
                    `<= maxRetentionDays (${args.maxRetentionDays})`,
                this,
            );
        }
        this.vault = new aws.backup.Vault(
            `${name}-vault`,
            { kmsKeyArn: args.kmsKeyArn, forceDestroy: false, tags: args.tags },
            { parent: this },
        );
        if (args.lock !== "none") {
            new aws.backup.VaultLockConfiguration(
                `${name}-lock`,
                {
                    backupVaultName: this.vault.name,
                    minRetentionDays: args.minRetentionDays,
                    maxRetentionDays: args.maxRetentionDays,
                    // Compliance mode: the lock becomes immutable after this grace period (minimum 3 days).
                    changeableForDays: args.lock === "compliance" ? 3 : undefined,
                },
                { parent: this },
            );
        }
        this.name = this.vault.name;
        this.arn = this.vault.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
