/**
 * `npm run report [-- --out FILE] [--lines N]`: a support bundle, like `kubectl cnpg report`. One tar.gz of the
 * settings in force (non-default pg_settings), role settings (pg_db_role_setting), the newest N server log lines,
 * pg_stat_statements' top 20, the health checks and the status as JSON, the versions of everything involved and the
 * local environment's configuration files, with every secret taken out. Read-only. DATABASE_URL, or the local
 * environment as its admin.
 */
import * as path from "path";
import { Client } from "pg";
import { runHealth } from "../postgres/health/checks";
import { main, parseFlags, UsageError } from "./lib/cli";
import { clientConfig } from "./lib/local/connect";
import { LOCAL_DIR } from "./lib/local/localEnv";
import { knownSecrets, writeBundle } from "./lib/report/bundle";
import {
    localConfigFiles,
    roleSettings,
    serverLog,
    settingsInForce,
    topStatements,
    versions,
} from "./lib/report/collect";
import { collectStatus } from "./lib/status/collect";
import { judge } from "./lib/status/judge";
import { statusJson } from "./lib/status/render";
import { SECTIONS } from "./lib/status/types";
import { resolveTarget, where } from "./lib/target";

const USAGE = "npm run report [-- --out FILE.tar.gz] [--lines N]   (DATABASE_URL, or the local environment)";

/** One piece; a piece that cannot be read says why in its place instead of failing the bundle. */
async function piece(read: () => Promise<string>): Promise<string> {
    return read().catch((e: Error) => `unavailable: ${e.message.split("\n")[0]}\n`);
}

main("report", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { out: { type: "string" }, lines: { type: "string" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const lines = Number(values.lines ?? 500);
    if (!Number.isInteger(lines) || lines < 1 || lines > 100_000)
        throw new UsageError(`--lines must be a whole number from 1 to 100000, got ${values.lines}`);
    const target = resolveTarget("admin");
    const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
    const name = `metacortex-report-${stamp}`;
    const out = path.resolve(values.out ?? path.join(LOCAL_DIR, "reports", `${name}.tar.gz`));
    const db = new Client({ ...clientConfig(target.url), connectionTimeoutMillis: 10_000 });
    await db.connect();
    const pieces: Record<string, string> = {};
    try {
        await db.query("SET default_transaction_read_only = on; SET statement_timeout = '30s'");
        pieces["settings.tsv"] = await piece(() => settingsInForce(db));
        pieces["role-settings.tsv"] = await piece(() => roleSettings(db));
        pieces["postgresql.log"] = await piece(() => serverLog(db, lines));
        pieces["pg_stat_statements-top20.tsv"] = await piece(() => topStatements(db));
        pieces["versions.json"] = await piece(() => versions(db));
        pieces["health.json"] = await piece(async () =>
            JSON.stringify(await runHealth(db, { verified: true, mode: "verify-full" }), null, 2),
        );
    } finally {
        await db.end();
    }
    const role = target.local ? "metacortex_admin" : new URL(target.url).username;
    const status = await collectStatus(target, role);
    pieces["status.json"] = statusJson(status, judge(status, SECTIONS));
    if (target.local) Object.assign(pieces, localConfigFiles());
    const title = `MetaCortex support bundle: ${where(target.url)} (${target.source}), ${new Date().toISOString()}`;
    const written = await writeBundle(out, name, title, pieces, knownSecrets([process.env.DATABASE_URL]));
    console.log(
        `report: ${path.relative(process.cwd(), out)} (${written.files} files, ${(written.bytes / 1024).toFixed(1)} KiB); ${written.replaced} secrets redacted`,
    );
});
