/**
 * `npm run bench -- <suite> [--quick] [...]`: benchmarks, separate from the tests. Each prints progress and a summary
 * and writes bench/results/<suite>.json and .md (with --quick, to bench/results/tmp/ so committed results stay put).
 * Suites: keys (primary-key types), plans (EXPLAIN of the canonical queries into docs/schema.md),
 * pool (pgbench through PgBouncer against direct connections), queries (the task filters: RLS, owner, naive schema).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseFlags, UsageError } from "./lib/cli";
import { REPO } from "./lib/local/localEnv";
import { benchKeys, keysMarkdown } from "./lib/bench/keys";
import { explainPlans } from "./lib/bench/plans";
import { benchPool } from "./lib/bench/pool";
import { benchQueries } from "./lib/bench/queries";
import { poolChart, poolMarkdown, queriesChart, queriesMarkdown } from "./lib/bench/reports";

const USAGE =
    "npm run bench -- <keys [--rows N] [--batch N] | plans [--users N] | pool [--seconds N] | queries [--users N] [--seconds N]> [--quick]";

export function machineDescription(): string {
    return `${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, PostgreSQL 15 (Debian)`;
}

function writeResults(suite: string, quick: boolean, json: unknown, markdown: string): string {
    const dir = path.join(REPO, "bench", "results", quick ? "tmp" : "");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${suite}.json`), `${JSON.stringify(json, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, `${suite}.md`), markdown);
    return path.relative(REPO, path.join(dir, `${suite}.md`));
}

type Flags = { rows?: string; batch?: string; users?: string; seconds?: string };

/** A flag's positive whole number, or the fallback when it is absent. */
function int(name: keyof Flags, values: Flags, fallback: number): number {
    const v = values[name];
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a positive whole number, got ${v}`);
    return Number(v);
}

const today = () => new Date().toISOString().slice(0, 10);

async function keys(values: Flags, quick: boolean): Promise<void> {
    const rows = int("rows", values, quick ? 50_000 : 5_000_000);
    const batch = int("batch", values, 10_000);
    console.log(
        `bench keys: ${rows.toLocaleString("en")} rows per variant, batches of ${batch.toLocaleString("en")}, on a throwaway cluster`,
    );
    const { results, settings } = await benchKeys(rows, batch, (line) => console.log(line));
    const meta = { rows, batch, machine: machineDescription(), date: today() };
    const md = keysMarkdown(results, meta);
    const file = writeResults("keys", quick, { meta, settings, results }, md);
    console.log(`\n${md}`);
    console.log(`bench keys: results in ${file} and .json`);
}

async function plans(values: Flags, quick: boolean): Promise<void> {
    const users = int("users", values, quick ? 100 : 5000);
    const section = await explainPlans(users, 100, (line) => console.log(line));
    const doc = path.join(REPO, "docs", "schema.md");
    const text = fs.readFileSync(doc, "utf8");
    const start = text.indexOf("<!-- plans:start -->");
    const end = text.indexOf("<!-- plans:end -->");
    if (start < 0 || end < start)
        throw new Error("docs/schema.md lacks the <!-- plans:start --> / <!-- plans:end --> markers");
    const target = quick ? path.join(REPO, "bench", "results", "tmp", "plans.md") : doc;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(
        target,
        quick ? section : `${text.slice(0, start)}<!-- plans:start -->\n${section}${text.slice(end)}`,
    );
    console.log(`bench plans: wrote ${path.relative(REPO, target)}`);
}

async function queries(values: Flags, quick: boolean): Promise<void> {
    const users = int("users", values, quick ? 150 : 100_000);
    const seconds = int("seconds", values, quick ? 2 : 20);
    console.log(
        `bench queries: ${users.toLocaleString("en")} users (~100 tasks each${quick ? ", quick: 30" : ""}), ${seconds} s per query and variant, 2 clients`,
    );
    const r = await benchQueries({
        users,
        tasksPerUser: quick ? 30 : 100,
        seconds,
        warmupSeconds: quick ? 1 : 10,
        clients: 2,
        samples: quick ? 5 : 50,
        progress: (l) => console.log(l),
    });
    const md = queriesMarkdown(r, { machine: machineDescription(), date: today(), seconds, quick });
    const file = writeResults("queries", quick, { date: new Date().toISOString(), seconds, ...r }, md);
    fs.writeFileSync(path.join(path.dirname(path.join(REPO, file)), "queries.svg"), queriesChart(r));
    console.log(`\n${md}`);
    console.log(`bench queries: results in ${file}, .json and queries.svg`);
}

async function pool(values: Flags, quick: boolean): Promise<void> {
    const clients = quick ? [4, 16] : [50, 200, 500];
    const seconds = int("seconds", values, quick ? 3 : 30);
    const users = int("users", values, quick ? 50 : 2000);
    console.log(
        `bench pool: ${clients.join(", ")} clients x ${seconds} s, direct and through PgBouncer, persistent and -C, TLS + SCRAM, app role under RLS`,
    );
    const r = await benchPool({ users, seconds, clients, progress: (l) => console.log(l) });
    const md = poolMarkdown(r, { machine: machineDescription(), date: today(), seconds, users });
    const file = writeResults("pool", quick, { date: new Date().toISOString(), seconds, users, ...r }, md);
    fs.writeFileSync(path.join(path.dirname(path.join(REPO, file)), "pool.svg"), poolChart(r, clients));
    console.log(`\n${md}`);
    console.log(`bench pool: results in ${file}, .json and pool.svg`);
}

const SUITES: Record<string, (values: Flags, quick: boolean) => Promise<void>> = { keys, plans, queries, pool };

main("bench", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            rows: { type: "string" },
            batch: { type: "string" },
            users: { type: "string" },
            seconds: { type: "string" },
            quick: { type: "boolean" },
        },
        USAGE,
    );
    const [suite, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}. Usage: ${USAGE}`);
    const runSuite = suite !== undefined && Object.hasOwn(SUITES, suite) ? SUITES[suite] : undefined;
    if (!runSuite) throw new UsageError(`unknown suite ${suite ?? "(none)"}. Usage: ${USAGE}`);
    await runSuite(values, Boolean(values.quick));
});
