/**
 * pgBadger over the server's log: an HTML report of the slowest statements, the most time-consuming normalized
 * queries, waits, temporary files, checkpoints, autovacuum and connections. The log line prefix is the one the
 * settings give the server (self-managed) or the one RDS fixes, so pgBadger can split each line into its fields.
 */
import * as fs from "fs";
import * as path from "path";
import { postgresSettings } from "../../../postgres/settings";
import { run } from "../exec";

/** The prefix RDS writes and does not let a parameter group change (postgres/settings/rdsRestrictions.ts). */
export const RDS_LOG_LINE_PREFIX = "%t:%r:%u@%d:[%p]:";

/** The log_line_prefix the settings render for servers we run ourselves (local, Docker). */
export function selfManagedLogLinePrefix(): string {
    const s = postgresSettings({ environment: "dev", instanceClass: "db.t4g.medium", databaseName: "metacortex" });
    const prefix = s.find((x) => x.name === "log_line_prefix");
    if (!prefix || typeof prefix.value !== "string") throw new Error("the settings define no log_line_prefix");
    return prefix.value;
}

/** Pure: pgBadger's arguments for an HTML report of `logs`. */
export function pgbadgerArgs(o: { logs: readonly string[]; out: string; prefix: string; top?: number }): string[] {
    if (o.logs.length === 0) throw new Error("pgBadger needs at least one log file");
    return [
        "--format",
        "stderr",
        "--prefix",
        o.prefix,
        "--top",
        String(o.top ?? 20),
        "--title",
        "MetaCortex query performance",
        "--quiet",
        "--outfile",
        o.out,
        ...o.logs,
    ];
}

/** Runs pgBadger; returns the report's path. */
export async function pgbadgerReport(o: { logs: readonly string[]; out: string; prefix: string }): Promise<string> {
    for (const log of o.logs) if (!fs.existsSync(log)) throw new Error(`no log file at ${log}`);
    fs.mkdirSync(path.dirname(o.out), { recursive: true });
    await run("pgbadger", pgbadgerArgs(o));
    if (!fs.existsSync(o.out)) throw new Error(`pgBadger wrote no report at ${o.out}`);
    return o.out;
}

/** The log files of a local data directory's collector, oldest first. */
export function localLogFiles(logDir: string): string[] {
    if (!fs.existsSync(logDir)) return [];
    return fs
        .readdirSync(logDir)
        .filter((f) => /^postgresql-.*\.log$/.test(f))
        .sort()
        .map((f) => path.join(logDir, f));
}
