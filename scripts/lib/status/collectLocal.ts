/**
 * The status sections read from outside the server: the migrations on disk against the versions applied, and the
 * local environment's pgBackRest repository (`pgbackrest info --output=json`), read without touching the cluster's
 * configuration.
 */
import * as path from "path";
import type { Queryable } from "../../../postgres/health/restoreValidation";
import { readState } from "../local/localEnv";
import { Pgbackrest } from "../local/pgbackrest";
import { readMigrations } from "../migrations/files";
import type { BackupEntry, BackupsInfo, MigrationsInfo } from "./types";

/** Pure: the migrations on disk against the versions applied. */
export function migrationState(files: readonly string[], applied: readonly string[]): MigrationsInfo {
    const versions = files.map((f) => f.split("_")[0]);
    const done = new Set(applied);
    return {
        applied: [...applied],
        pending: files.filter((f) => !done.has(f.split("_")[0])),
        unknown: applied.filter((v) => !versions.includes(v)),
    };
}

export async function migrations(db: Queryable): Promise<MigrationsInfo> {
    const { rows } = await db.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present");
    const applied = rows[0].present
        ? (await db.query("SELECT version FROM public.schema_migrations ORDER BY 1")).rows.map((r) => String(r.version))
        : [];
    return migrationState(
        readMigrations().map((m) => m.file),
        applied,
    );
}

/** Pure: `pgbackrest info --output=json` for one stanza as BackupsInfo (oldest backup first). */
export function backupsFromInfo(info: unknown): BackupsInfo {
    const stanza = (Array.isArray(info) ? info[0] : undefined) as any;
    const at = (s: number) => new Date(s * 1000).toISOString();
    const backups: BackupEntry[] = (stanza?.backup ?? [])
        .filter((b: any) => !b.error)
        .map((b: any) => ({
            label: b.label,
            type: b.type,
            startedAt: at(b.timestamp.start),
            stoppedAt: at(b.timestamp.stop),
            sizeBytes: b.info.size,
            repoDeltaBytes: b.info.repository.delta,
        }));
    const archive = stanza?.archive?.[stanza.archive.length - 1];
    return { backups, newestWal: archive?.max ?? null };
}

/** The local environment's repository, read with its existing configuration (nothing rewritten). */
export function localRepository(): Pgbackrest | undefined {
    const root = readState().clusterRoot;
    return root ? new Pgbackrest({ root: path.join(root, "pgbackrest"), cipherPass: "" }) : undefined;
}

export async function localBackups(): Promise<BackupsInfo> {
    const repo = localRepository();
    if (!repo) throw new Error("no local environment");
    return backupsFromInfo(JSON.parse(await repo.run(["--output=json", "info"])));
}
