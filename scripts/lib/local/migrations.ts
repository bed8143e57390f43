/**
 * Migrations with dbmate (plain SQL, `-- migrate:up` / `-- migrate:down`, one transaction per file), and the
 * normalized schema dump committed as sql/schema.sql. Migrations run as the migrator and nobody else: pg_cron jobs
 * belong to the role that scheduled them, so a migration applied by one role could not be rolled back by another.
 */
import * as path from "path";
import { Client } from "pg";
import { ROLE } from "../../../postgres/roles/model";
import { PG_BIN, run } from "../exec";
import { repoPath } from "../repo";
import { clientConfig } from "./connect";

export const MIGRATIONS_DIR = repoPath("sql", "migrations");
export const SCHEMA_FILE = repoPath("sql", "schema.sql");
export const DBMATE = repoPath("node_modules", "dbmate", "dist", "cli.js");

/** Pure: the one-line refusal for migrations run as `connected`, or undefined when that is the migrator. */
export function migratorRoleError(connected: string): string | undefined {
    if (connected === ROLE.migrator) return undefined;
    return `connected as ${connected}, but migrations run as ${ROLE.migrator} only (pg_cron jobs belong to the role that scheduled them, so another role could not roll them back): use the migrator's URL`;
}

/** Refuses, with migratorRoleError's line, unless `url` logs in as the migrator (session_user, as the server sees it). */
export async function assertMigrator(url: string): Promise<void> {
    const client = new Client(clientConfig(url));
    await client.connect();
    try {
        const error = migratorRoleError((await client.query("SELECT session_user AS role")).rows[0].role);
        if (error) throw new Error(error);
    } finally {
        await client.end();
    }
}

/** Runs a dbmate command against `url` (never dumps: sql/schema.sql is written by dumpSchema). Migrate and rollback
 * refuse any role but the migrator. */
export async function dbmate(
    url: string,
    command: "migrate" | "rollback" | "status" | "wait",
    migrationsDir = MIGRATIONS_DIR,
): Promise<string> {
    if (command === "migrate" || command === "rollback") await assertMigrator(url);
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

/**
 * Versions applied, oldest first, read from dbmate's table; none when the table does not exist. Unlike
 * `dbmate status`, this creates nothing: a rollback or a status on an empty database leaves it empty.
 */
export async function appliedVersions(url: string): Promise<string[]> {
    const client = new Client(clientConfig(url));
    await client.connect();
    try {
        const [{ present }] = (
            await client.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present")
        ).rows;
        if (!present) return [];
        return (await client.query("SELECT version FROM public.schema_migrations ORDER BY version")).rows.map((r) =>
            String(r.version),
        );
    } finally {
        await client.end();
    }
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
