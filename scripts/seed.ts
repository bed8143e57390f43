/**
 * `npm run db:seed -- --users N [--seed S] [--tasks-per-user M] [--checkin-days D] [--as-of YYYY-MM-DD]`
 * `[--replace [--yes]] [--compare-copy]` (--replace deletes every user first: it shows the database and asks, or
 * takes --yes). Realistic, deterministic data (same seed and as-of date: same rows), loaded with COPY
 * (scripts/lib/seed/load.ts: parallel streams into an empty database, one transaction with --replace), then VACUUM
 * ANALYZE so plans and index-only scans reflect it. --compare-copy first times a plain COPY of the same rows (rolled
 * back) and prints the seeder's rate as a fraction of it. Needs a superuser URL: DATABASE_URL, or the local admin.
 */
import { Client } from "pg";
import { clientConfig } from "./lib/local/connect";
import { main, parseFlags, table, UsageError } from "./lib/cli";
import { confirmDestructive, liveRows } from "./lib/confirm";
import { plainCopyBaseline } from "./lib/seed/baseline";
import { resolveTarget } from "./lib/target";
import { loadSeed } from "./lib/seed/load";
import { TABLES } from "./lib/seed/generator";

const USAGE =
    "npm run db:seed -- --users N [--seed S] [--tasks-per-user M] [--checkin-days D] [--as-of YYYY-MM-DD] [--replace [--yes]] [--compare-copy]";

function positiveInt(name: string, value: string | undefined, fallback: number, max: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
        throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got ${value}`);
    return Number(value);
}

const FLAGS = {
    users: { type: "string" },
    seed: { type: "string" },
    "tasks-per-user": { type: "string" },
    "checkin-days": { type: "string" },
    "as-of": { type: "string" },
    replace: { type: "boolean" },
    "compare-copy": { type: "boolean" },
    yes: { type: "boolean" },
    "chunk-size": { type: "string" },
} as const;

/** The load's options from the flags, each checked against its range. */
function seedOptions(argv: string[]) {
    const { values, positionals } = parseFlags(argv, FLAGS, USAGE);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const asOfText = values["as-of"] ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfText) || Number.isNaN(Date.parse(`${asOfText}T00:00:00Z`)))
        throw new UsageError(`--as-of must be a date YYYY-MM-DD, got ${asOfText}`);
    return {
        users: positiveInt("users", values.users, 1000, 10_000_000),
        tasksPerUser: positiveInt("tasks-per-user", values["tasks-per-user"], 100, 100_000),
        checkinDays: positiveInt("checkin-days", values["checkin-days"], 30, 3650),
        chunkSize: positiveInt("chunk-size", values["chunk-size"], 2000, 100_000),
        asOfText,
        asOf: Date.parse(`${asOfText}T00:00:00Z`),
        seed: values.seed ?? "metacortex",
        replace: values.replace,
        compareCopy: Boolean(values["compare-copy"]),
        yes: Boolean(values.yes),
    };
}

/** Progress on one rewritten line on a terminal, every 10% otherwise. */
function progressPrinter(): (done: number, total: number, rows: number) => void {
    const tty = process.stdout.isTTY;
    let lastPrinted = -1;
    const started = Date.now();
    return (done, total, rows) => {
        const pct = Math.floor((done / total) * 100);
        const rate = Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
        const line = `seed: ${String(pct).padStart(3)}%  ${done.toLocaleString("en")}/${total.toLocaleString("en")} users  ${rows.toLocaleString("en")} rows  ${rate.toLocaleString("en")} rows/s`;
        if (tty) process.stdout.write(`\r${line}`);
        else if (pct >= lastPrinted + 10 || done === total) {
            console.log(line);
            lastPrinted = pct;
        }
    };
}

/** The plain-COPY yardstick (rolled back), printed; returns its rows/s. */
async function plainCopy(url: string, o: Parameters<typeof plainCopyBaseline>[1]): Promise<number> {
    process.stdout.write("seed: plain COPY of the same rows, for comparison (rolled back) ... ");
    const b = await plainCopyBaseline(clientConfig(url), o);
    console.log(`${b.rowsPerSecond.toLocaleString("en")} rows/s (${b.seconds} s)`);
    return b.rowsPerSecond;
}

async function vacuumAnalyze(url: string): Promise<void> {
    process.stdout.write("seed: committed; VACUUM (ANALYZE) of the app tables ... ");
    const started = Date.now();
    const client = new Client(clientConfig(url));
    await client.connect();
    try {
        for (const t of Object.keys(TABLES)) await client.query(`VACUUM (ANALYZE) app.${t}`);
    } finally {
        await client.end();
    }
    console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** --replace deletes every user first: show the database and its rows, and ask (or take --yes). */
async function confirmReplace(url: string, yes: boolean): Promise<void> {
    await confirmDestructive("replace every user's data (delete all, then seed)", await liveRows(url), {
        yes,
        interactive: Boolean(process.stdin.isTTY),
    });
}

main("seed", async () => {
    const o = seedOptions(process.argv.slice(2));
    const { url } = resolveTarget("admin");
    if (o.replace) await confirmReplace(url, o.yes);
    console.log(
        `seed: ${o.users.toLocaleString("en")} users, ~${o.tasksPerUser} tasks each, ${o.checkinDays} days of check-ins, seed "${o.seed}", as of ${o.asOfText}`,
    );
    const { asOfText: _text, yes: _yes, compareCopy, ...load } = o;
    const baseline = compareCopy ? await plainCopy(url, load) : 0;
    const { counts, seconds, path } = await loadSeed(clientConfig(url), { ...load, onProgress: progressPrinter() });
    if (process.stdout.isTTY) process.stdout.write("\n");
    await vacuumAnalyze(url);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const rows = [
        ...Object.entries(counts).map(([t, n]) => [t, n.toLocaleString("en")]),
        ["total", total.toLocaleString("en")],
    ];
    console.log(`\n${table(["table", "rows"], rows)}`);
    const rate = Math.round(total / seconds);
    console.log(
        `\nseed: ${total.toLocaleString("en")} rows in ${seconds.toFixed(1)} s (${rate.toLocaleString("en")} rows/s, ${path})`,
    );
    if (baseline > 0)
        console.log(
            `seed: ${(rate / baseline).toFixed(2)}x the rate of a plain COPY of the same rows (${baseline.toLocaleString("en")} rows/s)`,
        );
});
