/**
 * `npm run bench -- queries`: the backend's canonical task filters (postgres/queries.ts) under pgbench with
 * random users, three ways in one run: (a) the app role under row-level security, (b) a superuser without RLS, and
 * (c) a naive copy of the schema with primary keys only (the ORM default). Reports p50/p95/p99 per query and shared
 * buffers per execution from EXPLAIN (ANALYZE, BUFFERS).
 */
import type { Client } from "pg";
import { QUERIES } from "../../../postgres/queries";
import { dbmate } from "../local/migrations";
import { loadSeed } from "../seed/load";
import { databaseWithRoles, type RoleDatabase } from "../local/throwaway";
import { mergeResults, pgbench, type PgbenchResult } from "./pgbench";

export type Variant = "rls" | "owner" | "naive";

export interface QueryPoint extends PgbenchResult {
    readonly query: string;
    readonly variant: Variant;
    /** Mean shared buffers (hit + read) per execution, from EXPLAIN (ANALYZE, BUFFERS) over sampled users. */
    readonly buffers: number;
}

const P = (column: string) => `(SELECT ${column} FROM bench.params WHERE n = :n)`;

/** Pure: each canonical query's positional parameters as SQL over bench.params (row :n, a random user). */
export function parameterExpressions(name: string): string[] {
    switch (name) {
        case "open_by_due":
            return [P("user_id"), "'-infinity'", "'00000000-0000-0000-0000-000000000000'"];
        case "status_priority":
            return [P("user_id"), "'todo'", "3"];
        case "overdue":
        case "counts_per_status":
            return [P("user_id")];
        case "by_tag":
            return [P("user_id"), P("tag_id")];
        case "text_search":
            return [P("user_id"), P("task_word")];
        case "subtasks":
            return [P("user_id"), P("parent_id")];
        case "today_checkins":
            return [P("user_id"), P("checkin_day")];
        case "note_search":
            return [P("user_id"), P("note_word")];
        default:
            throw new Error(`no bench parameters for ${name}`);
    }
}

/** Pure: a pgbench script for one query and variant. */
export function benchScript(sql: string, name: string, variant: Variant): string {
    let body = sql;
    const exprs = parameterExpressions(name);
    for (let i = exprs.length; i >= 1; i--) body = body.split(`$${i}`).join(exprs[i - 1]);
    if (variant === "naive") body = body.replace(/\bapp\./g, "naive.");
    // Every variant runs the same statements, so the comparison measures the policies, not a round trip.
    const setUser = `SELECT app.set_tenant(${P("user_id")});\n`;
    return `\\set n random(1, :nusers)\nBEGIN;\n${setUser}${body.replace(/\s+/g, " ").trim()};\nCOMMIT;\n`;
}

const PARAMS_SQL = `CREATE SCHEMA bench;
CREATE TABLE bench.params AS
SELECT row_number() OVER (ORDER BY u.id)::int AS n, u.id AS user_id,
  (SELECT tag_id FROM app.task_tags t WHERE t.user_id = u.id LIMIT 1) AS tag_id,
  (SELECT parent_id FROM app.tasks t WHERE t.user_id = u.id AND parent_id IS NOT NULL AND deleted_at IS NULL LIMIT 1) AS parent_id,
  (SELECT split_part(title, ' ', 2) FROM app.tasks t WHERE t.user_id = u.id LIMIT 1) AS task_word,
  (SELECT split_part(title, ' ', 1) FROM app.notes t WHERE t.user_id = u.id AND title <> '' LIMIT 1) AS note_word,
  (SELECT max(date_trunc('day', checked_at)) FROM app.habit_checkins c WHERE c.user_id = u.id) AS checkin_day
FROM app.users u
WHERE EXISTS (SELECT 1 FROM app.task_tags t WHERE t.user_id = u.id)
  AND EXISTS (SELECT 1 FROM app.tasks t WHERE t.user_id = u.id AND parent_id IS NOT NULL AND deleted_at IS NULL)
  AND EXISTS (SELECT 1 FROM app.notes t WHERE t.user_id = u.id AND title <> '')
  AND EXISTS (SELECT 1 FROM app.habit_checkins c WHERE c.user_id = u.id);
ALTER TABLE bench.params ADD PRIMARY KEY (n);
GRANT USAGE ON SCHEMA bench TO metacortex_app;
GRANT SELECT ON bench.params TO metacortex_app;`;

/** The naive schema: the same rows, primary keys on id only, no other index (what an ORM creates by default). */
const NAIVE_SQL = `CREATE SCHEMA naive;
CREATE TABLE naive.tasks AS SELECT * FROM app.tasks; ALTER TABLE naive.tasks ADD PRIMARY KEY (id);
CREATE TABLE naive.notes AS SELECT * FROM app.notes; ALTER TABLE naive.notes ADD PRIMARY KEY (id);
CREATE TABLE naive.task_tags AS SELECT * FROM app.task_tags; ALTER TABLE naive.task_tags ADD PRIMARY KEY (task_id, tag_id);
CREATE TABLE naive.habit_checkins AS SELECT * FROM app.habit_checkins; ALTER TABLE naive.habit_checkins ADD PRIMARY KEY (id);`;

export interface QueriesOptions {
    readonly users: number;
    readonly tasksPerUser: number;
    readonly seconds: number;
    readonly warmupSeconds: number;
    readonly clients: number;
    readonly samples: number;
    readonly progress: (l: string) => void;
}

const ANALYZED = ["users", "tasks", "notes", "task_tags", "habit_checkins"].map((t) => `app.${t}`);
const NAIVE_TABLES = ["tasks", "notes", "task_tags", "habit_checkins"].map((t) => `naive.${t}`);

/** Seeds, builds bench.params and the naive schema, analyzes everything; returns the counts and usable users. */
async function prepareDatabase(db: RoleDatabase, o: QueriesOptions) {
    await dbmate(db.url("migrator"), "migrate");
    o.progress(`queries: seeding ${o.users.toLocaleString("en")} users x ~${o.tasksPerUser} tasks`);
    const started = Date.now();
    let reported = 0;
    const { counts } = await loadSeed(db.cluster.connection(), {
        users: o.users,
        tasksPerUser: o.tasksPerUser,
        checkinDays: 30,
        asOf: Date.now() - 86_400_000,
        seed: "queries",
        onProgress: (done, total, rows) => {
            if (done < total && done - reported < total / 10) return;
            reported = done;
            const seconds = (Date.now() - started) / 1000;
            o.progress(
                `queries: seeded ${done.toLocaleString("en")}/${total.toLocaleString("en")} users, ${rows.toLocaleString("en")} rows (${Math.round(rows / seconds).toLocaleString("en")} rows/s)`,
            );
        },
    });
    o.progress("queries: building the parameter table and the naive schema");
    await db.cluster.query("SET statement_timeout = 0");
    for (const sql of [PARAMS_SQL, NAIVE_SQL]) await db.cluster.query(sql);
    for (const t of [...ANALYZED, ...NAIVE_TABLES, "bench.params"]) await db.cluster.query(`VACUUM ANALYZE ${t}`);
    const [{ n: nusers }] = await db.cluster.query("SELECT count(*)::int AS n FROM bench.params");
    return { counts, nusers: nusers as number };
}

/** What the indexes cost, next to what they buy: each app index's size and its table's. */
async function relationSizes(db: RoleDatabase): Promise<Record<string, number>> {
    const sizes =
        (await db.cluster.query(`SELECT c.relname AS name, t.relname AS "table", pg_relation_size(c.oid)::bigint AS bytes
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'app' AND t.relkind = 'r' AND t.relname IN ('tasks', 'notes', 'task_tags') ORDER BY 1`)) as {
            name: string;
            table: string;
            bytes: string;
        }[];
    const out = Object.fromEntries(sizes.map((r) => [r.name, Number(r.bytes)]));
    for (const t of ["app.tasks", "app.notes", "app.task_tags"])
        out[t] = Number((await db.cluster.query(`SELECT pg_relation_size('${t}')::bigint AS b`))[0].b);
    return out;
}

type Run = (q: (typeof QUERIES)[number], variant: Variant, seconds: number) => Promise<PgbenchResult>;

/** One query, three ways: warmed up, RLS and owner interleaved in slices, then the naive schema; with buffers. */
async function measureQuery(
    db: RoleDatabase,
    run: Run,
    q: (typeof QUERIES)[number],
    o: QueriesOptions,
    nusers: number,
) {
    // Warm-up, not measured: the first variant would otherwise pay for reading the query's index pages into
    // the cache (10M tasks do not fit in shared_buffers) and the second would look faster for it. The naive
    // variant's sequential scans go through a small ring buffer, so they do not evict what this warms.
    await run(q, "rls", o.warmupSeconds);
    // RLS and owner run interleaved, RLS-owner-owner-RLS, half the time per slice: whatever drifts during the
    // run (the cache still warming, a neighbour's load) falls on both equally, so their ratio measures the policies.
    const half = Math.max(1, Math.round(o.seconds / 2));
    const slices: Record<"rls" | "owner", PgbenchResult[]> = { rls: [], owner: [] };
    for (const variant of ["rls", "owner", "owner", "rls"] as const) slices[variant].push(await run(q, variant, half));
    const points: QueryPoint[] = [];
    for (const variant of ["rls", "owner", "naive"] as const) {
        const result = variant === "naive" ? await run(q, "naive", o.seconds) : mergeResults(slices[variant], 2 * half);
        // The naive schema's plans are sequential scans that read the same pages for every user: 3 samples say it all.
        const samples = Math.min(variant === "naive" ? 3 : o.samples, nusers);
        const client = db.client(variant === "rls" ? "app" : "admin");
        const buffers = await sampleBuffers(client, q.sql, q.name, variant, samples);
        const { latenciesMs: _raw, ...summary } = result;
        points.push({ ...summary, query: q.name, variant, buffers });
        o.progress(
            `queries: ${q.name.padEnd(18)} ${variant.padEnd(5)} ${result.error ? `failed (${result.error})` : `p50 ${result.p50Ms.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms, ${buffers.toFixed(0)} buffers`}`,
        );
    }
    return points;
}

export async function benchQueries(o: QueriesOptions) {
    const db = await databaseWithRoles({ environment: "prod" });
    try {
        const { counts, nusers } = await prepareDatabase(db, o);
        const sizes = await relationSizes(db);
        if (nusers === 0) throw new Error("no user has every kind of row the queries need; seed more users");
        const conn = {
            app: { user: "metacortex_app", password: db.passwords.app },
            admin: { user: "metacortex_admin", password: db.cluster.options.password },
        };
        const conninfo = (user: string) =>
            `host=127.0.0.1 port=${db.cluster.port} dbname=metacortex user=${user} sslmode=verify-full sslrootcert=${db.cluster.tls.caCert}`;
        const run: Run = (q, variant, seconds) => {
            const who = variant === "rls" ? conn.app : conn.admin;
            return pgbench({
                conninfo: conninfo(who.user),
                password: who.password,
                script: benchScript(q.sql, q.name, variant),
                clients: o.clients,
                seconds,
                connectPerTransaction: false,
                variables: { nusers },
            });
        };
        const points: QueryPoint[] = [];
        for (const q of QUERIES) points.push(...(await measureQuery(db, run, q, o, nusers)));
        return { counts, nusers, relationSizes: sizes, points };
    } finally {
        await db.cluster.destroy();
    }
}

/** Mean shared buffers per execution over `samples` users, with the same parameters pgbench uses. */
async function sampleBuffers(
    client: Client,
    sql: string,
    name: string,
    variant: Variant,
    samples: number,
): Promise<number> {
    await client.connect();
    try {
        let total = 0;
        for (let n = 1; n <= samples; n++) {
            const script = benchScript(sql, name, variant).split("\n");
            const statement = script
                .find((l) => /^SELECT|^WITH/.test(l) && !l.includes("set_tenant"))!
                .replace(/:n\b/g, String(n))
                .replace(/;$/, "");
            await client.query("BEGIN");
            await client.query(`SELECT app.set_tenant((SELECT user_id FROM bench.params WHERE n = ${n}))`);
            const [row] = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement}`)).rows;
            await client.query("COMMIT");
            const plan = row["QUERY PLAN"][0].Plan;
            total += Number(plan["Shared Hit Blocks"] ?? 0) + Number(plan["Shared Read Blocks"] ?? 0);
        }
        return total / Math.max(1, samples);
    } finally {
        await client.end();
    }
}
