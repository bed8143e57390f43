/**
 * `npm run bench -- layout [--users N]`: tenant rows stored together. On a seeded throwaway cluster sized as prod,
 * the tasks heap is first rewritten in arrival order (created_at: how rows land in production, every user's rows
 * interleaved), then measured: heap pages per user, and buffers and distinct heap pages for a whole-entity page of
 * 50. Then `npm run db:repack`'s pg_repack runs while the app reads and writes (its latency during the repack shows
 * the locks), and the same is measured after. Last, how a repacked layout decays when a fifth of the tasks are
 * updated, at fillfactor 100 and at 90.
 */
import type { Client } from "pg";
import { dbmate } from "../local/migrations";
import { databaseWithRoles, type RoleDatabase } from "../local/throwaway";
import { type Locality, measureLocality } from "../repack/locality";
import { repackTable } from "../repack/repack";
import { loadSeed } from "../seed/load";
import { median } from "./orm/explain";
import { inline } from "./orm/script";
import { pgbench, quantile } from "./pgbench";
import { machineDescription, type SuiteOutput, today } from "./results";
import type { BenchFlags, Progress } from "./suites";
import { TARGETS_SQL } from "./writes/scripts";

/** A whole-entity page of 50 in a heap-visiting order (what session.query(Task) sends for "recently updated"). */
const PAGE_SQL = `SELECT * FROM app.tasks WHERE app.tasks.user_id = :uid AND app.tasks.deleted_at IS NULL
 ORDER BY app.tasks.updated_at DESC, app.tasks.id DESC LIMIT 50`;

/** The app during the repack: 4 page reads to 1 edit, as the app role under RLS. */
const WORKLOAD = `\\set k random(1, :ntargets)
BEGIN;
SELECT app.set_tenant(user_id)::text AS tenant, quote_literal(user_id) || '::uuid' AS uid, quote_literal(id) || '::uuid' AS tid FROM bench.write_targets WHERE k = :k \\gset
\\if :k % 5 = 0
UPDATE app.tasks SET position = position + 1 WHERE user_id = :uid AND id = :tid;
\\else
${PAGE_SQL.replace(/\n/g, "")};
\\endif
COMMIT;
`;

interface PageCost {
    readonly buffers: number;
    readonly heapPages: number;
}

/** Median buffers and distinct heap pages of PAGE_SQL over users with at least 50 live tasks. */
async function pageCost(client: Client): Promise<PageCost> {
    const { rows: users } = await client.query(`SELECT quote_literal(user_id) || '::uuid' AS uid FROM app.tasks
        WHERE deleted_at IS NULL GROUP BY user_id HAVING count(*) >= 50 ORDER BY md5(user_id::text) LIMIT 30`);
    const buffers: number[] = [];
    const pages: number[] = [];
    for (const u of users) {
        const sql = inline(PAGE_SQL, u);
        const [row] = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`)).rows;
        const top = row["QUERY PLAN"][0].Plan;
        buffers.push(Number(top["Shared Hit Blocks"] ?? 0) + Number(top["Shared Read Blocks"] ?? 0));
        const pagesSql = `SELECT count(DISTINCT (c::text::point)[0])::int AS n FROM (${sql.replace("SELECT *", "SELECT app.tasks.ctid AS c")}) s`;
        const [p] = (await client.query(pagesSql)).rows;
        pages.push(p.n);
    }
    return { buffers: median(buffers), heapPages: median(pages) };
}

/** The app workload in pgbench runs of `seconds` until `done` settles; returns p99 and max latency, ms. */
async function workloadUntil(db: RoleDatabase, ntargets: number, done: Promise<unknown>, minRuns = 1, seconds = 2) {
    let settled = false;
    done.then(
        () => (settled = true),
        () => (settled = true),
    );
    const latencies: number[] = [];
    for (let runs = 0; !settled || runs < minRuns; runs++) {
        const r = await pgbench({
            conninfo: `host=127.0.0.1 port=${db.cluster.port} dbname=metacortex user=metacortex_app sslmode=verify-full sslrootcert=${db.cluster.tls.caCert}`,
            password: db.passwords.app,
            script: WORKLOAD,
            clients: 2,
            seconds,
            connectPerTransaction: false,
            variables: { ntargets },
        });
        if (r.error) throw new Error(`layout: workload failed: ${r.error}`);
        latencies.push(...(r.latenciesMs ?? []));
    }
    latencies.sort((a, b) => a - b);
    return { transactions: latencies.length, p99Ms: quantile(latencies, 0.99), maxMs: latencies[latencies.length - 1] };
}

async function measure(client: Client, label: string, progress: Progress) {
    await client.query("VACUUM (ANALYZE) app.tasks");
    const locality: Locality = await measureLocality(client, "app.tasks");
    const page = await pageCost(client);
    const [{ b }] = (await client.query("SELECT pg_relation_size('app.tasks')::bigint AS b")).rows;
    progress(
        `layout: ${label.padEnd(30)} ${locality.pagesPerUser} pages a user (${locality.spread}x the fewest); a page of 50: ${page.buffers} buffers, ${page.heapPages} heap pages`,
    );
    return { label, locality, page, heapBytes: Number(b) };
}

/** Updates a fifth of the live tasks once (a new row version goes where there is room), then measures. */
async function decay(admin: Client, label: string, progress: Progress) {
    await admin.query("SET session_replication_role = replica");
    await admin.query(
        "UPDATE app.tasks SET position = position + 1 WHERE deleted_at IS NULL AND abs(hashtext(id::text)) % 5 = 0",
    );
    await admin.query("RESET session_replication_role");
    return measure(admin, label, progress);
}

/** pg_repack by the clustering index while the app runs; returns its cost and the app's latency meanwhile. */
async function repackUnderLoad(db: RoleDatabase, admin: Client, ntargets: number, seconds: number) {
    const [size] = (await admin.query("SELECT pg_total_relation_size('app.tasks')::bigint AS b")).rows;
    const repack = repackTable(admin, db.url("admin"), "app.tasks");
    const during = await workloadUntil(db, ntargets, repack, 1, seconds);
    const r = await repack;
    return { seconds: r.seconds, extraBytes: Number(size.b), during };
}

async function seedAndScatter(db: RoleDatabase, admin: Client, users: number, progress: Progress) {
    await dbmate(db.url("migrator"), "migrate");
    const { counts } = await loadSeed(db.cluster.connection(), {
        users,
        tasksPerUser: 100,
        checkinDays: 7,
        asOf: Date.now() - 86_400_000,
        seed: "layout",
    });
    await admin.query("SET statement_timeout = 0");
    await admin.query(TARGETS_SQL);
    // Arrival order: the table after months of inserts from every user at once (the seeder writes user by user).
    progress("layout: rewriting app.tasks in arrival order (created_at)");
    await repackTable(admin, db.url("admin"), "app.tasks", { orderBy: "created_at" });
    const [{ n }] = (await admin.query("SELECT count(*)::int AS n FROM bench.write_targets")).rows;
    return { counts, ntargets: n as number };
}

export async function layoutSuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const users = o.int("users", o.quick ? 150 : 20_000);
    progress(`bench layout: ${users.toLocaleString("en")} users (~100 tasks each)`);
    const db = await databaseWithRoles({ environment: "prod" });
    const admin = db.client("admin");
    try {
        await admin.connect();
        const { counts, ntargets } = await seedAndScatter(db, admin, users, progress);
        const before = await measure(admin, "arrival order", progress);
        const slice = o.quick ? 1 : 2;
        const quiet = await workloadUntil(db, ntargets, Promise.resolve(), o.quick ? 1 : 3, slice);
        const repack = await repackUnderLoad(db, admin, ntargets, slice);
        progress(
            `layout: pg_repack ${repack.seconds} s; app p99 ${quiet.p99Ms.toFixed(1)} ms before, ${repack.during.p99Ms.toFixed(1)} ms during (max ${repack.during.maxMs.toFixed(0)} ms)`,
        );
        const after = await measure(admin, "after pg_repack (fillfactor 100)", progress);
        const decayed100 = await decay(admin, "after 20% updated (fillfactor 100)", progress);
        await admin.query("ALTER TABLE app.tasks SET (fillfactor = 90)");
        const repack90 = await repackUnderLoad(db, admin, ntargets, slice);
        const after90 = await measure(admin, "after pg_repack (fillfactor 90)", progress);
        const decayed90 = await decay(admin, "after 20% updated (fillfactor 90)", progress);
        const result = { counts, quiet, repack, repack90, points: [before, after, decayed100, after90, decayed90] };
        return {
            json: { date: today(), machine: machineDescription(), users, result },
            markdown: layoutMarkdown(result, users),
        };
    } finally {
        await admin.end().catch(() => undefined);
        await db.cluster.destroy();
    }
}

type LayoutPoint = Awaited<ReturnType<typeof measure>>;
interface LayoutResult {
    readonly counts: Readonly<Record<string, number>>;
    readonly quiet: { p99Ms: number; maxMs: number; transactions: number };
    readonly repack: {
        seconds: number;
        extraBytes: number;
        during: { p99Ms: number; maxMs: number; transactions: number };
    };
    readonly repack90: LayoutResult["repack"];
    readonly points: readonly LayoutPoint[];
}

/** Pure: the layout benchmark's Markdown. */
export function layoutMarkdown(r: LayoutResult, users: number): string {
    const mib = (b: number) => (b / 2 ** 20).toFixed(0);
    const repackRow = (name: string, x: LayoutResult["repack"]) =>
        `| ${name} | ${x.seconds} | ${mib(x.extraBytes)} | ${x.during.transactions.toLocaleString("en")} | ${x.during.p99Ms.toFixed(1)} | ${x.during.maxMs.toFixed(0)} |`;
    return [
        "# Tenant rows stored together: pg_repack by (user_id, id)",
        "",
        `${machineDescription()}, ${today()}. ${users.toLocaleString("en")} users, ${r.counts.tasks.toLocaleString("en")} tasks; server sized as db.r6g.large. ` +
            "The tasks heap starts in arrival order (rewritten by created_at). A page: `SELECT * ... ORDER BY updated_at DESC, id DESC LIMIT 50` for 30 users with at least 50 live tasks (medians). " +
            "Generated by `npm run bench -- layout`.",
        "",
        "| layout | heap pages a user | x the fewest possible | buffers for a page of 50 | distinct heap pages for a page of 50 | heap MiB |",
        "|---|---|---|---|---|---|",
        ...r.points.map(
            (p) =>
                `| ${p.label} | ${p.locality.pagesPerUser} | ${p.locality.spread} | ${p.page.buffers} | ${p.page.heapPages} | ${mib(p.heapBytes)} |`,
        ),
        "",
        "What a repack costs, while the app reads and writes (4 page reads to 1 edit, 2 clients, app role under RLS):",
        "",
        "| repack | seconds | free disk needed (MiB: table + indexes) | app transactions meanwhile | app p99 ms | app max ms |",
        "|---|---|---|---|---|---|",
        `| none (the same workload, quiet) | - | - | ${r.quiet.transactions.toLocaleString("en")} | ${r.quiet.p99Ms.toFixed(1)} | ${r.quiet.maxMs.toFixed(0)} |`,
        repackRow("fillfactor 100", r.repack),
        repackRow("fillfactor 90", r.repack90),
        "",
    ].join("\n");
}
