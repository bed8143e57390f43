import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../postgres/environment";
import { BackupPlan } from "./backupPlan";
import { BackupVault, type BackupVaultArgs } from "./backupVault";
import { KmsKey } from "./kmsKey";
import { RestoreTesting } from "./restoreTesting";
import { type DatabaseVpc, databaseVpc } from "./support/databaseVpc";
import type { LambdaCode } from "./support/lambdaArchive";

/** Restore tests run in the database's VPC (DatabaseVpc), whose `kmsKeyArn` also encrypts the primary vault. */
export interface AwsBackupArgs extends DatabaseVpc {
    /** Name prefix of the DR key's alias and description, e.g. `metacortex-prod`. */
    readonly identifier: string;
    /** The environment, in the restore-testing plan's names. */
    readonly environment: Environment;
    /** ARN of the RDS instance, or of the Aurora cluster, to protect. */
    readonly instanceArn: pulumi.Input<string>;
    /** `RDS` for an instance, `Aurora` for a cluster: how restore tests restore and validate it. Default `RDS`. */
    readonly resourceType?: "RDS" | "Aurora";
    /** Region the daily snapshots are copied to, with a key of its own; never the stack's region (config checks). */
    readonly drRegion: string;
    /** Vault Lock on both vaults: `none`, `governance` or `compliance` (BackupVaultArgs.lock says what each allows). */
    readonly vaultLock: BackupVaultArgs["lock"];
    /** Days daily snapshots (and their DR copies) are kept. */
    readonly snapshotRetentionDays: number;
    /** Days of continuous backup (point-in-time restore through AWS Backup), 1 to 35. */
    readonly continuousRetentionDays: number;
    /** DB subnet group restore tests place restored instances in (the database's). */
    readonly subnetGroupName: pulumi.Input<string>;
    /** Secrets Manager ARN of the migrator's credentials, for the restore validation function. Omit for none. */
    readonly validationSecretArn?: pulumi.Input<string>;
    /** The restore validation function's code, as index.ts read it (RestoreTestingArgs.validatorCode). */
    readonly validatorCode: LambdaCode;
    /** Tags for every resource that takes them. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * AWS Backup for the database: locked vault, plan with continuous + daily, DR-region copy with its own key, restore
 * tests.
 */
export class AwsBackup extends pulumi.ComponentResource {
    readonly vault: BackupVault;
    readonly drVault: BackupVault;
    readonly drKey: KmsKey;
    readonly restoreTesting: RestoreTesting;

    constructor(name: string, args: AwsBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:AwsBackup", name, {}, opts);
        const lock = lockBounds(args);
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
                ...databaseVpc(args),
                environment: args.environment,
                instanceArn: args.instanceArn,
                resourceType: args.resourceType,
                vaultArn: this.vault.arn,
                backupRoleArn: plan.role.arn,
                subnetGroupName: args.subnetGroupName,
                validationSecretArn: args.validationSecretArn,
                validatorCode: args.validatorCode,
                tags: args.tags,
            },
            { parent: this },
        );
        this.registerOutputs({ vaultArn: this.vault.arn, drVaultArn: this.drVault.arn });
    }
}

/** Pure: the lock both vaults get: at least a week (or the continuous retention), at most the longest retention. */
function lockBounds(args: AwsBackupArgs): Pick<BackupVaultArgs, "lock" | "minRetentionDays" | "maxRetentionDays"> {
    const longest = Math.max(args.snapshotRetentionDays, args.continuousRetentionDays);
    return {
        lock: args.vaultLock,
        minRetentionDays: Math.min(7, args.continuousRetentionDays),
        maxRetentionDays: Math.max(longest, 35),
    };
}
