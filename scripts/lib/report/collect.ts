/**
 * What `npm run report` puts in a support bundle, each piece as a file's text: the settings in force, role settings,
 * the newest server log lines, pg_stat_statements' top 20, the versions of everything involved, and (for the local
 * environment) its configuration files. Read-only; secrets are taken out afterwards (redact.ts).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Queryable } from "../../../postgres/health/restoreValidation";
import { run } from "../exec";
import { readConnections, readState } from "../local/localEnv";
import { PGBOUNCER_BIN } from "../local/pgbouncerProcess";
import { DBMATE } from "../local/migrations";
import { REPO } from "../repo";

type Row = Record<string, any>;

/** Pure: rows as tab-separated text with a header line. */
export function tsv(rows: readonly Row[], columns: readonly string[]): string {
    const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v).replace(/[\t\n]/g, " "));
    return `${[columns.join("\t"), ...rows.map((r) => columns.map((c) => cell(r[c])).join("\t"))].join("\n")}\n`;
}

export async function settingsInForce(db: Queryable): Promise<string> {
    const { rows } = await db.query(
        `SELECT name, setting, unit, source, pending_restart FROM pg_settings
        WHERE source NOT IN ('default', 'override') ORDER BY name`,
    );
    return tsv(rows, ["name", "setting", "unit", "source", "pending_restart"]);
}

export async function roleSettings(db: Queryable): Promise<string> {
    const { rows } = await db.query(
        `SELECT coalesce(r.rolname, '(every role)') AS role, coalesce(d.datname, '(every database)') AS database,
        unnest(s.setconfig) AS setting FROM pg_db_role_setting s
        LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase ORDER BY 1, 2, 3`,
    );
    return tsv(rows, ["role", "database", "setting"]);
}

export async function topStatements(db: Queryable): Promise<string> {
    const { rows } = await db.query(
        `SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 2) AS mean_ms,
        rows, shared_blks_hit, shared_blks_read, left(regexp_replace(query, '\\s+', ' ', 'g'), 500) AS query
        FROM ext.pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20`,
    );
    return tsv(rows, ["calls", "total_ms", "mean_ms", "rows", "shared_blks_hit", "shared_blks_read", "query"]);
}

/** The newest server log file's last `lines` lines, read through the server (superuser or pg_read_server_files). */
export async function serverLog(db: Queryable, lines: number): Promise<string> {
    const { rows } = await db.query("SELECT name, size FROM pg_ls_logdir() ORDER BY modification DESC LIMIT 1");
    if (rows.length === 0) return "(no log file)\n";
    const { name, size } = rows[0];
    const from = Math.max(0, Number(size) - 4 * 2 ** 20);
    const dir = (await db.query("SELECT current_setting('log_directory') AS d")).rows[0].d;
    const text = (await db.query("SELECT pg_read_file($1, $2, $3) AS t", [`${dir}/${name}`, from, Number(size) - from]))
        .rows[0].t as string;
    return `# ${name}, last ${lines} lines\n${text
        .split("\n")
        .slice(-lines - 1)
        .join("\n")}`;
}

async function toolVersion(cmd: string, args: readonly string[]): Promise<string> {
    return (await run(cmd, args).catch((e: Error) => `unavailable (${e.message.split("\n")[0]})`)).trim();
}

export async function versions(db: Queryable): Promise<string> {
    const server = (await db.query("SELECT version() AS v")).rows[0].v;
    const ext = (await db.query("SELECT extname, extversion FROM pg_extension ORDER BY 1")).rows;
    const commit = await toolVersion("git", ["-C", REPO, "describe", "--always", "--dirty"]);
    return `${JSON.stringify(
        {
            server,
            extensions: Object.fromEntries(ext.map((e) => [e.extname, e.extversion])),
            pgbouncer: (await toolVersion(PGBOUNCER_BIN, ["--version"])).split("\n")[0],
            pgbackrest: await toolVersion("pgbackrest", ["version"]),
            dbmate: await toolVersion(process.execPath, [DBMATE, "--version"]),
            node: process.version,
            os: `${os.type()} ${os.release()}`,
            repository: commit,
        },
        null,
        2,
    )}\n`;
}

/** The local environment's configuration files, as they are on disk (redacted later). */
export function localConfigFiles(): Record<string, string> {
    const root = readState().clusterRoot;
    const data = readConnections()?.server.dataDir;
    if (!root || !data) return {};
    const files: Record<string, string> = {
        "config/postgresql.conf": path.join(data, "postgresql.conf"),
        "config/pg_hba.conf": path.join(data, "pg_hba.conf"),
        "config/pgbouncer.ini": path.join(root, "pgbouncer", "pgbouncer.ini"),
        "config/pgbackrest.conf": path.join(root, "pgbackrest", "pgbackrest.conf"),
    };
    const out: Record<string, string> = {};
    for (const [name, file] of Object.entries(files))
        if (fs.existsSync(file)) out[name] = fs.readFileSync(file, "utf8");
    return out;
}
