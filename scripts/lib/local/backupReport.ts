/** What `npm run backup` prints: the repository's backups, and the type pgBackRest actually made. */
import { table } from "../cli";
import type { BackupEntry } from "../status/types";

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

/** Pure: the backups as a table, oldest first, with the window a point-in-time restore can reach. */
export function backupTable(backups: readonly BackupEntry[]): string {
    if (backups.length === 0) return "no backups yet: npm run backup -- --type full";
    const rows = backups.map((b) => [
        b.label,
        b.type,
        b.stoppedAt,
        String((Date.parse(b.stoppedAt) - Date.parse(b.startedAt)) / 1000),
        mib(b.sizeBytes),
        mib(b.repoDeltaBytes),
    ]);
    return table(["backup", "type", "taken", "seconds", "database", "added to repository"], rows);
}

/** Pure: what to say when pgBackRest made another type than the one asked for. */
export function madeLine(requested: string, made: BackupEntry): string {
    if (made.type === requested) return `backup: made ${made.type} backup ${made.label}`;
    return `backup: made a ${made.type} backup ${made.label}, not the ${requested} asked for: pgBackRest found no full backup to base it on`;
}
