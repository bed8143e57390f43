/**
 * pg_repack of one table, online: it copies the table in its clustering index's order (app.tasks: CLUSTER ON
 * tasks_pkey, so each user's rows together) while a log table captures concurrent writes, then swaps the files.
 * It holds ACCESS EXCLUSIVE only briefly at the start and at the swap, and needs free disk for a second copy of the
 * table and its indexes. It never kills a backend here (--no-kill-backend): if it cannot get its lock within
 * `waitTimeoutSeconds` it gives up and leaves the table as it was.
 */
import type { Client } from "pg";
import { type CommandError, run } from "../exec";

/** Pure: libpq environment for a postgres:// URL, so no password goes on a command line. */
export function libpqEnv(url: string): Record<string, string> {
    const u = new URL(url);
    const env: Record<string, string> = {
        PGHOST: decodeURIComponent(u.hostname),
        PGPORT: u.port || "5432",
        PGUSER: decodeURIComponent(u.username),
        PGPASSWORD: decodeURIComponent(u.password),
        PGDATABASE: decodeURIComponent(u.pathname.slice(1)),
        PGAPPNAME: "metacortex-repack",
        // The copy of a large table takes minutes: the server's default statement timeout would cancel it.
        PGOPTIONS: "-c statement_timeout=0 -c idle_in_transaction_session_timeout=0",
    };
    for (const [param, name] of [
        ["sslmode", "PGSSLMODE"],
        ["sslrootcert", "PGSSLROOTCERT"],
    ] as const) {
        const v = u.searchParams.get(param);
        if (v) env[name] = v;
    }
    return env;
}

/** Pure: pg_repack's arguments for one table. */
export function repackArgs(
    table: string,
    o: { superuser: boolean; waitTimeoutSeconds: number; dryRun?: boolean; orderBy?: string },
) {
    const args = ["--table", table, "--no-kill-backend", `--wait-timeout=${o.waitTimeoutSeconds}`];
    // Without --order-by, pg_repack uses the table's clustering index (app.tasks: tasks_pkey).
    if (o.orderBy) args.push(`--order-by=${o.orderBy}`);
    // On RDS the admin is rds_superuser, not a superuser: pg_repack supports that with -k.
    if (!o.superuser) args.push("--no-superuser-check");
    if (o.dryRun) args.push("--dry-run");
    return args;
}

export interface RepackResult {
    readonly seconds: number;
    /** Table plus its indexes before the repack: the extra disk it needed at its peak. */
    readonly extraBytes: number;
    readonly output: string;
}

/** Runs pg_repack on `table` with the extension in place (created by a superuser or rds_superuser). */
export async function repackTable(
    client: Client,
    url: string,
    table: string,
    o: { waitTimeoutSeconds?: number; dryRun?: boolean; orderBy?: string } = {},
): Promise<RepackResult> {
    const [role] = (await client.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).rows;
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_repack");
    const [size] = (await client.query("SELECT pg_total_relation_size($1::regclass)::bigint AS b", [table])).rows;
    const started = Date.now();
    const args = repackArgs(table, { superuser: role.rolsuper, waitTimeoutSeconds: o.waitTimeoutSeconds ?? 60, ...o });
    const output = await run("pg_repack", args, { env: { ...process.env, ...libpqEnv(url) } }).catch((error) => {
        // pg_repack prints INFO lines first; the reason is its last line.
        const lines = String((error as CommandError).stderr ?? error.message)
            .trim()
            .split("\n");
        throw new Error(`pg_repack of ${table} failed: ${lines[lines.length - 1]}`);
    });
    return {
        seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
        extraBytes: Number(size.b),
        output: output.trim(),
    };
}
