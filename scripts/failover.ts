/**
 * `npm run drill:failover [-- --scenarios async,sync,switchover] [--runs N] [--writers N] [--seconds N] [--keep]
 * [--report FILE.json]`: the failover drill (scripts/lib/drill/failover.ts). Exits non-zero when a scenario fails:
 * an acknowledged commit lost under synchronous replication or in a switchover, a client error in a switchover, a
 * writer that never came back, or an old primary that did not rejoin.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseFlags, table, UsageError } from "./lib/cli";
import { runFailoverDrill, type Scenario, SCENARIOS } from "./lib/drill/failover";
import {
    AGGREGATE_HEADER,
    aggregateRows,
    failoverMarkdown,
    SUMMARY_HEADER,
    summaryRows,
} from "./lib/drill/failoverReport";
import { REPO } from "./lib/local/localEnv";

const USAGE =
    "npm run drill:failover [-- --scenarios async,sync,switchover] [--runs N] [--writers N] [--seconds N] [--keep] [--report FILE.json]";

function int(name: string, v: string | undefined, d: number, max: number): number {
    if (v === undefined) return d;
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max)
        throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got ${v}`);
    return Number(v);
}

function scenarios(v: string | undefined): Scenario[] {
    if (v === undefined) return [...SCENARIOS];
    const asked = v.split(",");
    const unknown = asked.filter((s) => !SCENARIOS.includes(s as Scenario));
    if (unknown.length > 0 || asked.length === 0)
        throw new UsageError(`--scenarios takes ${SCENARIOS.join(", ")} (comma-separated), got ${v}`);
    return asked as Scenario[];
}

const machine = () =>
    `${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, PostgreSQL 15 and PgBouncer 1.18 (Debian)`;

main("drill:failover", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            scenarios: { type: "string" },
            runs: { type: "string" },
            writers: { type: "string" },
            seconds: { type: "string" },
            keep: { type: "boolean" },
            report: { type: "string" },
        },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const o = {
        scenarios: scenarios(values.scenarios),
        runs: int("runs", values.runs, 1, 20),
        writers: int("writers", values.writers, 4, 64),
        seconds: int("seconds", values.seconds, 3, 600),
        fsync: true,
        keep: values.keep,
        progress: (l: string) => console.log(l),
    };
    const results = await runFailoverDrill(o);
    console.log(`\n${table(SUMMARY_HEADER, summaryRows(results))}`);
    if (o.runs > 1) console.log(`\n${table(AGGREGATE_HEADER, aggregateRows(results))}`);
    if (values.report) {
        const file = path.resolve(REPO, values.report);
        const meta = { machine: machine(), date: new Date().toISOString(), writers: o.writers, seconds: o.seconds };
        fs.writeFileSync(file, `${JSON.stringify({ ...meta, fsync: true, results }, null, 2)}\n`);
        const md = failoverMarkdown(results, { ...meta, date: meta.date.slice(0, 10), fsync: true });
        fs.writeFileSync(`${file.replace(/\.json$/, "")}.md`, md);
        console.log(`\ndrill: results in ${path.relative(REPO, file)} and .md`);
    }
    const failed = results.filter((r) => !r.passed);
    if (failed.length > 0)
        throw new Error(`drill failed: ${failed.map((r) => `${r.scenario}: ${r.problems.join("; ")}`).join(" | ")}`);
    console.log("\ndrill: PASSED");
});
