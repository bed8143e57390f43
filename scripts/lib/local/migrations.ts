/**
 * Migrations with dbmate (plain SQL, `-- migrate:up` / `-- migrate:down`, one transaction per file), and the
 * normalized schema dump committed as sql/schema.sql.
 */
import * as path from "path";
import { PG_BIN, run } from "../exec";
import { repoPath } from "../repo";

export const MIGRATIONS_DIR = repoPath("sql", "migrations");
export const SCHEMA_FILE = repoPath("sql", "schema.sql");
const DBMATE = repoPath("node_modules", "dbmate", "dist", "cli.js");

/** Runs a dbmate command against `url` (never dumps: sql/schema.sql is written by dumpSchema). */
export function dbmate(
    url: string,
    command: "migrate" | "rollback" | "status" | "wait",
    migrationsDir = MIGRATIONS_DIR,
): Promise<string> {
    // The version table lives in public, where only the owner may write: never in app, where the app role would get DML.
    return run(
        process.execPath,
        [
            DBMATE,
            "--no-dump-schema",
            "--migrations-table",
            "public.schema_migrations",
            "--migrations-dir",
            migrationsDir,
            command,
        ],
        {
            env: { ...process.env, DATABASE_URL: url },
        },
    );
}

/** Versions applied, oldest first. */
export async function appliedVersions(url: string): Promise<string[]> {
    const status = await dbmate(url, "status");
    return status
        .split("\n")
        .filter((l) => l.startsWith("[X]"))
        .map((l) => l.slice(4).split("_")[0]);
}

/** Rolls back every applied migration, newest first; returns how many. */
export async function rollbackAll(url: string): Promise<number> {
    let count = 0;
    while ((await appliedVersions(url)).length > 0) {
        await dbmate(url, "rollback");
        count++;
    }
    return count;
}

/**
 * pg_dump --schema-only, normalized so that it depends on the migrations alone:
 * - partman's dated partitions (`*_pYYYYMMDD` / `*_pYYYY_MM`) are left out: which months exist depends on the date;
 * - dbmate's own version table is left out: it is the tool's bookkeeping, present once any migration has run;
 * - pg_dump's per-run `\restrict` keys and version banners are dropped.
 */
export async function dumpSchema(url: string): Promise<string> {
    const raw = await run(path.join(PG_BIN, "pg_dump"), [
        "--schema-only",
        "--exclude-table=app.*_p2*",
        "--exclude-table=audit.*_p2*",
        "--exclude-table=partman.template_*",
        "--exclude-table=public.schema_migrations",
        "-d",
        url,
    ]);
    return normalizeDump(raw);
}

/** Pure: removes the parts of a pg_dump that differ between runs of the same schema. */
export function normalizeDump(raw: string): string {
    return raw
        .split("\n")
        .filter((l) => !/^\\(un)?restrict /.test(l) && !/^-- Dumped (from|by) /.test(l))
        .join("\n")
        .replace(/\n{3,}/g, "\n\n");
}
