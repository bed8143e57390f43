/** The backup section: AWS Backup's vault, copies and retention, and declarative point-in-time restore (target aws). */
import * as c from "../checks";
import type { Reader } from "../read";
import { integer, json, oneOf, perEnv, row, ruleWith, text } from "../schema";
import type { BackupConfig, RestoreConfig } from "../types";

export const BACKUP_KEYS = {
    backupDrRegion: row({
        doc: "where daily snapshots are copied (region loss), with a KMS key of that region",
        type: text(c.AWS_REGION),
        default: "eu-central-1",
        rules: {
            otherRegion: ruleWith(
                "a region other than the stack's `aws:region`",
                (region) => `a region other than the stack's (${region}): copies must survive the loss of a region`,
            ),
        },
    }),
    backupVaultLock: row({
        doc:
            "AWS Backup Vault Lock: governance is removable by privileged IAM, compliance is immutable after 3 days " +
            "(docs/runbooks/README.md explains the choice)",
        type: oneOf(["none", "governance", "compliance"]),
        default: perEnv("none", "governance"),
        rules: { prod: "governance or compliance in prod" },
    }),
    backupSnapshotRetentionDays: row({
        doc: "days daily snapshots and their DR copies are kept",
        type: integer(perEnv(1, 14), 3650, { unit: "days" }),
        default: perEnv(7, 35),
    }),
    backupContinuousRetentionDays: row({
        doc: "days of AWS Backup continuous backup (PITR through AWS Backup)",
        type: integer(1, 35, { unit: "days", note: "(the AWS Backup maximum for continuous backup is 35)" }),
        default: perEnv(7, 35),
    }),
    restore: row({
        doc:
            "declarative PITR: create the instance by restoring `sourceInstance` to that time, as " +
            "`<name>-pitr-<yyyymmddhhmm>` (docs/runbooks/deleted-rows.md)",
        type: json(
            'an object {"sourceInstance": "<db identifier>", "pointInTime": "<ISO 8601 UTC time> | latest"}',
            c.isRestore,
        ),
        default: { unset: "unset" },
        rules: {
            sourceInstance: "sourceInstance: an RDS instance identifier",
            pointInTime: "pointInTime: an ISO 8601 UTC time like 2026-11-24T09:30:00Z, or latest",
            aws: "only for target aws (locally, use pgBackRest: docs/runbooks)",
        },
    }),
};

type BackupReader = Reader<typeof BACKUP_KEYS>;

/** The DR region (never the stack's own), the vault lock (never none in prod) and the retention periods. */
export function readBackup(r: BackupReader): BackupConfig {
    const drRegion = r.read("backupDrRegion");
    const stackRegion = r.raw["aws:region"];
    if (!r.failed("backupDrRegion") && drRegion === stackRegion)
        r.breaks("backupDrRegion", "otherRegion", drRegion, stackRegion);
    // A refused lock is read as none, so prod also says which locks it accepts.
    const vaultLock = r.read("backupVaultLock") ?? "none";
    if (r.prod && vaultLock === "none") r.breaks("backupVaultLock", "prod", vaultLock);
    return {
        drRegion,
        vaultLock,
        snapshotRetentionDays: r.read("backupSnapshotRetentionDays"),
        continuousRetentionDays: r.read("backupContinuousRetentionDays"),
    };
}

/** The instance to restore and the time to restore it to (target aws only). */
export function readRestore(r: BackupReader): RestoreConfig | undefined {
    const restore = r.read("restore");
    if (restore === undefined) return undefined;
    if (!c.isRdsIdentifier(restore.sourceInstance)) r.breaks("restore", "sourceInstance", restore.sourceInstance);
    if (!c.isRestoreTime(restore.pointInTime)) r.breaks("restore", "pointInTime", restore.pointInTime);
    if (r.target !== "aws") r.breaks("restore", "aws", r.raw.restore);
    return restore;
}
