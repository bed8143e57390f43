/**
 * The suites of `npm run bench`: each turns its flags into a run and returns its results (JSON, Markdown, charts).
 * Writing them (scratch or --record) is the caller's job (results.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../repo";
import { benchKeys, keysMarkdown } from "./keys";
import { explainPlans } from "./plans";
import { benchPool } from "./pool";
import { benchQueries } from "./queries";
import { poolChart, poolMarkdown, queriesChart, queriesMarkdown } from "./reports";
import { machineDescription, type SuiteOutput, today } from "./results";

export interface BenchFlags {
    readonly quick: boolean;
    readonly record: boolean;
    /** A whole-number flag, or the fallback. */
    int(name: string, fallback: number): number;
}

export type Progress = (line: string) => void;

export async function keysSuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const rows = o.int("rows", o.quick ? 50_000 : 5_000_000);
    const batch = o.int("batch", 10_000);
    progress(`bench keys: ${rows.toLocaleString("en")} rows per variant, batches of ${batch.toLocaleString("en")}`);
    const { results, settings } = await benchKeys(rows, batch, progress);
    const meta = { rows, batch, machine: machineDescription(), date: today() };
    return { json: { meta, settings, results }, markdown: keysMarkdown(results, meta) };
}

/** EXPLAIN of the canonical queries: into docs/schema.md when recorded, else into the scratch folder. */
export async function plansSuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const section = await explainPlans(o.int("users", o.quick ? 100 : 5000), 100, progress);
    if (o.record) {
        const doc = path.join(REPO, "docs", "schema.md");
        const text = fs.readFileSync(doc, "utf8");
        const start = text.indexOf("<!-- plans:start -->");
        const end = text.indexOf("<!-- plans:end -->");
        if (start < 0 || end < start)
            throw new Error("docs/schema.md lacks the <!-- plans:start --> / <!-- plans:end --> markers");
        fs.writeFileSync(doc, `${text.slice(0, start)}<!-- plans:start -->\n${section}${text.slice(end)}`);
        progress("bench plans: rewrote the plans section of docs/schema.md");
        return { markdown: section };
    }
    return { markdown: section, files: { "plans.md": section } };
}

export async function querySuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const users = o.int("users", o.quick ? 150 : 100_000);
    const seconds = o.int("seconds", o.quick ? 2 : 20);
    const warmup = o.quick ? 1 : 10;
    progress(`bench queries: ${users.toLocaleString("en")} users, ${seconds} s per query and variant, 2 clients`);
    const r = await benchQueries({
        users,
        tasksPerUser: o.quick ? 30 : 100,
        seconds,
        warmupSeconds: warmup,
        clients: 2,
        samples: o.quick ? 5 : 50,
        progress,
    });
    const json = { date: new Date().toISOString(), seconds, ...r };
    const markdown = queriesMarkdown(r, { machine: machineDescription(), date: today(), seconds, warmup });
    return { json, markdown, files: { "queries.svg": queriesChart(r) } };
}

export async function poolSuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const clients = o.quick ? [4, 16] : [50, 200, 500];
    const seconds = o.int("seconds", o.quick ? 3 : 30);
    const users = o.int("users", o.quick ? 50 : 2000);
    progress(
        `bench pool: ${clients.join(", ")} clients x ${seconds} s, direct and through PgBouncer, persistent and -C`,
    );
    const r = { ...(await benchPool({ users, seconds, clients, progress })), users, seconds };
    return {
        json: { date: new Date().toISOString(), ...r },
        markdown: poolMarkdown(r, { machine: machineDescription(), date: today() }),
        files: { "pool.svg": poolChart(r) },
    };
}
