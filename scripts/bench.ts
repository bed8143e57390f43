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
import { barChart } from "./lib/bench/chart";

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
    const int = (name: string, v: string | undefined, fallback: number) => {
        if (v === undefined) return fallback;
        if (!/^\d+$/.test(v) || Number(v) < 1)
            throw new UsageError(`--${name} must be a positive whole number, got ${v}`);
        return Number(v);
    };
    const quick = Boolean(values.quick);
    switch (suite) {
        case "keys": {
            const rows = int("rows", values.rows, quick ? 50_000 : 5_000_000);
            const batch = int("batch", values.batch, 10_000);
            console.log(
                `bench keys: ${rows.toLocaleString("en")} rows per variant, batches of ${batch.toLocaleString("en")}, on a throwaway cluster`,
            );
            const { results, settings } = await benchKeys(rows, batch, (line) => console.log(line));
            const meta = { rows, batch, machine: machineDescription(), date: new Date().toISOString().slice(0, 10) };
            const md = keysMarkdown(results, meta);
            const file = writeResults("keys", quick, { meta, settings, results }, md);
            console.log(`\n${md}`);
            console.log(`bench keys: results in ${file} and .json`);
            return;
        }
        case "plans": {
            const users = int("users", values.users, quick ? 100 : 5000);
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
            return;
        }
        case "queries": {
            const users = int("users", values.users, quick ? 150 : 100_000);
            const seconds = int("seconds", values.seconds, quick ? 2 : 20);
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
            const get = (q: string, v: string) => r.points.find((p) => p.query === q && p.variant === v)!;
            const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : "-");
            const names = [...new Set(r.points.map((p) => p.query))];
            const md = [
                "# Task-filter queries: RLS vs owner vs a naive schema",
                "",
                `${machineDescription()}, ${new Date().toISOString().slice(0, 10)}. ${r.counts.users.toLocaleString("en")} users, ${r.counts.tasks.toLocaleString("en")} tasks, ` +
                    `${r.counts.notes.toLocaleString("en")} notes, ${r.counts.habit_checkins.toLocaleString("en")} check-ins; ${seconds} s per query and variant with 2 pgbench clients and random users, after ${quick ? 1 : 10} s of unmeasured warm-up per query, RLS and owner interleaved in halves (RLS, owner, owner, RLS); ` +
                    "server sized as db.r6g.large. Generated by `npm run bench -- queries`.",
                "",
                "| query | RLS p50 | RLS p95 | RLS p99 | owner p95 | naive p95 | RLS / owner (p95) | naive / RLS (p95) | buffers (RLS) |",
                "|---|---|---|---|---|---|---|---|---|",
                ...names.map((q) => {
                    const a = get(q, "rls"),
                        b = get(q, "owner"),
                        c = get(q, "naive");
                    return `| ${q} | ${f(a.p50Ms)} | ${f(a.p95Ms)} | ${f(a.p99Ms)} | ${f(b.p95Ms)} | ${f(c.p95Ms)} | ${f(a.p95Ms / b.p95Ms)}x | ${f(c.p95Ms / a.p95Ms, 0)}x | ${f(a.buffers, 1)} |`;
                }),
                "",
                "Latencies in ms per transaction (BEGIN, set app.user_id, query, COMMIT).",
                "",
                "| relation | size (MiB) |",
                "|---|---|",
                ...Object.entries(r.relationSizes).map(
                    ([name, bytes]) => `| ${name} | ${(bytes / 2 ** 20).toFixed(1)} |`,
                ),
                "",
            ].join("\n");
            const svg = barChart(
                "p95 latency by query (ms)",
                "ms",
                names,
                (["rls", "owner", "naive"] as const).map((v) => ({
                    name: v,
                    values: names.map((q) => get(q, v).p95Ms),
                })),
            );
            const file = writeResults("queries", quick, { date: new Date().toISOString(), seconds, ...r }, md);
            fs.writeFileSync(path.join(path.dirname(path.join(REPO, file)), "queries.svg"), svg);
            console.log(`\n${md}`);
            console.log(`bench queries: results in ${file}, .json and queries.svg`);
            return;
        }
        case "pool": {
            const clients = quick ? [4, 16] : [50, 200, 500];
            const seconds = int("seconds", values.seconds, quick ? 3 : 30);
            const users = int("users", values.users, quick ? 50 : 2000);
            console.log(
                `bench pool: ${clients.join(", ")} clients x ${seconds} s, direct and through PgBouncer, persistent and -C, TLS + SCRAM, app role under RLS`,
            );
            const r = await benchPool({ users, seconds, clients, progress: (l) => console.log(l) });
            const cell = (v: number, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : "-");
            const rows = r.points.map(
                (p) =>
                    `| ${p.path} | ${p.connectPerTransaction ? "new per transaction (-C)" : "persistent"} | ${p.clients} | ${p.error ? `refused: ${p.error}` : cell(p.tps)} | ${cell(p.p50Ms, 1)} | ${cell(p.p95Ms, 1)} | ${cell(p.p99Ms, 1)} | ${p.peakServerConnections} |`,
            );
            const md = [
                "# PgBouncer against direct connections",
                "",
                `${machineDescription()}, ${new Date().toISOString().slice(0, 10)}. Server sized as ${r.instanceClass}: max_connections ${r.maxConnections}, budget ${r.budget}, PgBouncer app pool ${r.poolSize}.`,
                `${seconds} s per point; ${users} users; the page-of-open-tasks transaction under RLS (scripts/lib/bench/pool.ts). Generated by \`npm run bench -- pool\`.`,
                "",
                "| path | connections | clients | tps | p50 ms | p95 ms | p99 ms | peak server connections |",
                "|---|---|---|---|---|---|---|---|",
                ...rows,
                "",
            ].join("\n");
            const series = (path: string, perTx: boolean) => ({
                name: `${path}${perTx ? " -C" : ""}`,
                values: clients.map(
                    (c) =>
                        r.points.find((p) => p.path === path && p.connectPerTransaction === perTx && p.clients === c)
                            ?.tps ?? NaN,
                ),
            });
            const svg = barChart(
                "Throughput by client count (tps; x = refused)",
                "transactions per second",
                clients.map((c) => `${c} clients`),
                [
                    series("direct", false),
                    series("pgbouncer", false),
                    series("pgbouncer-no-reset", false),
                    series("direct", true),
                    series("pgbouncer", true),
                ],
            );
            const file = writeResults("pool", quick, { date: new Date().toISOString(), seconds, users, ...r }, md);
            fs.writeFileSync(path.join(path.dirname(path.join(REPO, file)), "pool.svg"), svg);
            console.log(`\n${md}`);
            console.log(`bench pool: results in ${file}, .json and pool.svg`);
            return;
        }
        default:
            throw new UsageError(`unknown suite ${suite ?? "(none)"}. Usage: ${USAGE}`);
    }
});
