import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "./backupPlan";
import { BackupVault } from "./backupVault";
import { KmsKey } from "./kmsKey";
import { RestoreTesting } from "./restoreTesting";

export interface AwsBackupArgs {
    readonly identifier: string;
    readonly environment: "dev" | "prod";
    readonly instanceArn: pulumi.Input<string>;
    /** CMK of the primary region (the database's key). */
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly drRegion: string;
    readonly vaultLock: "none" | "governance" | "compliance";
    readonly snapshotRetentionDays: number;
    readonly continuousRetentionDays: number;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly string[];
    readonly subnetGroupName: pulumi.Input<string>;
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    readonly port: number;
    /** The migrator's secret, for the restore validation function. */
    readonly validationSecretArn?: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/** AWS Backup for the database: locked vault, plan with continuous + daily, DR-region copy with its own key, restore tests. */
export class AwsBackup extends pulumi.ComponentResource {
    readonly vault: BackupVault;
    readonly drVault: BackupVault;
    readonly drKey: KmsKey;
    readonly restoreTesting: RestoreTesting;

    constructor(name: string, args: AwsBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AwsBackup", name, {}, opts);
        const longest = Math.max(args.snapshotRetentionDays, args.continuousRetentionDays);
        const lock = {
            lock: args.vaultLock,
            minRetentionDays: Math.min(7, args.continuousRetentionDays),
            maxRetentionDays: Math.max(longest, 35),
        };
        this.vault = new BackupVault(
            `${name}-vault`,
            { kmsKeyArn: args.kmsKeyArn, ...lock, tags: args.tags },
            { parent: this },
        );
        // Region loss: copies go to a vault in another region, encrypted with a key that lives there.
        const dr = new aws.Provider(`${name}-dr-region`, { region: args.drRegion }, { parent: this });
        this.drKey = new KmsKey(
            `${name}-dr-kms`,
            {
                description: `${args.identifier} backups (DR copies, ${args.drRegion})`,
                alias: `${args.identifier}/backup-dr`,
                tags: args.tags,
            },
            { parent: this, providers: [dr] },
        );
        this.drVault = new BackupVault(
            `${name}-dr-vault`,
            { kmsKeyArn: this.drKey.arn, ...lock, tags: args.tags },
            { parent: this, providers: [dr] },
        );
        const plan = new BackupPlan(
            `${name}-plan`,
            {
                resourceArn: args.instanceArn,
                vaultName: this.vault.name,
                drVaultArn: this.drVault.arn,
                continuousRetentionDays: args.continuousRetentionDays,
                snapshotRetentionDays: args.snapshotRetentionDays,
                tags: args.tags,
            },
            { parent: this },
        );
        this.restoreTesting = new RestoreTesting(
            `${name}-restore-test`,
            {
                environment: args.environment,
                instanceArn: args.instanceArn,
                vaultArn: this.vault.arn,
                backupRoleArn: plan.role.arn,
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                subnetGroupName: args.subnetGroupName,
                databaseSecurityGroupId: args.databaseSecurityGroupId,
                port: args.port,
                validationSecretArn: args.validationSecretArn,
                kmsKeyArn: args.kmsKeyArn,
                tags: args.tags,
            },
            { parent: this },
        );
        this.registerOutputs({ vaultArn: this.vault.arn, drVaultArn: this.drVault.arn });
    }
}
