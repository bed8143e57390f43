/**
 * `npm run bench -- writes`: what each candidate index on app.tasks costs to write, measured on a seeded throwaway
 * cluster sized as prod. For each configuration (CONFIGS): build time and size of its indexes, then the app's
 * inserts and its mix of edits under pgbench as the app role (audit trigger included): transactions per second,
 * WAL bytes per transaction and the share of HOT updates. Candidates with a probe also get their plan under RLS and
 * as the owner, which shows whether row-level security lets the index be used.
 */
import type { Client } from "pg";
import { dbmate } from "../../local/migrations";
import { databaseWithRoles, type RoleDatabase } from "../../local/throwaway";
import { loadSeed } from "../../seed/load";
import { accessPaths } from "../orm/explain";
import { inline } from "../orm/script";
import { pgbench } from "../pgbench";
import { CANDIDATES, CONFIGS, INSERT_SCRIPT, TARGETS_SQL, UPDATE_SCRIPT } from "./scripts";

export interface WriteOptions {
    readonly users: number;
    readonly seconds: number;
    /** Quick runs: transactions per client instead of seconds. */
    readonly transactions?: number;
    readonly clients: number;
    readonly progress: (line: string) => void;
}

export interface WritePoint {
    readonly config: string;
    readonly indexBytes: Readonly<Record<string, number>>;
    readonly buildSeconds: Readonly<Record<string, number>>;
    readonly insert: { readonly tps: number; readonly p95Ms: number; readonly walBytesPerTx: number };
    readonly update: {
        readonly tps: number;
        readonly p95Ms: number;
        readonly walBytesPerTx: number;
        readonly hotRatio: number;
    };
}

export interface ProbeResult {
    readonly index: string;
    readonly rls: string;
    readonly owner: string;
}

const STATS_SQL = `SELECT n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot, pg_current_wal_lsn() AS lsn
  FROM pg_stat_user_tables WHERE relid = 'app.tasks'::regclass`;

const APP_BACKENDS = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'metacortex_app'";

async function drive(db: RoleDatabase, script: string, ntargets: number, o: WriteOptions) {
    const admin = db.client("admin");
    await admin.connect();
    try {
        const [before] = (await admin.query(STATS_SQL)).rows;
        const started = Date.now();
        const r = await pgbench({
            conninfo: `host=127.0.0.1 port=${db.cluster.port} dbname=metacortex user=metacortex_app sslmode=verify-full sslrootcert=${db.cluster.tls.caCert}`,
            password: db.passwords.app,
            script,
            clients: o.clients,
            seconds: o.seconds,
            transactions: o.transactions,
            connectPerTransaction: false,
            variables: { ntargets },
        });
        if (r.error) throw new Error(`writes: pgbench failed: ${r.error}`);
        const elapsed = (Date.now() - started) / 1000;
        // A backend flushes its table counters when it exits: wait until pgbench's have.
        const deadline = Date.now() + 30_000;
        while ((await admin.query(APP_BACKENDS)).rows[0].n > 0) {
            if (Date.now() > deadline) throw new Error("writes: pgbench's connections did not end within 30 s");
            await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const [after] = (
            await admin.query(
                `${STATS_SQL.replace("pg_current_wal_lsn() AS lsn", "pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::bigint AS wal")}`,
                [before.lsn],
            )
        ).rows;
        const updates = Number(after.upd) - Number(before.upd);
        return {
            tps: Number((r.transactions / (o.transactions ? elapsed : o.seconds)).toFixed(1)),
            p95Ms: r.p95Ms,
            walBytesPerTx: Math.round(Number(after.wal) / Math.max(1, r.transactions)),
            hotRatio: updates > 0 ? Number(((Number(after.hot) - Number(before.hot)) / updates).toFixed(3)) : 0,
        };
    } finally {
        await admin.end();
    }
}

/** Drops every candidate, vacuums, builds the wanted ones (`admin`: a session without the statement timeout). */
async function setIndexes(admin: Client, wanted: readonly string[]) {
    const buildSeconds: Record<string, number> = {};
    const indexBytes: Record<string, number> = {};
    for (const c of CANDIDATES) await admin.query(`DROP INDEX IF EXISTS app.${c.name}`);
    await admin.query("VACUUM (ANALYZE) app.tasks");
    for (const c of CANDIDATES.filter((x) => wanted.includes(x.name))) {
        const started = Date.now();
        await admin.query(c.create);
        buildSeconds[c.name] = Number(((Date.now() - started) / 1000).toFixed(2));
        const [row] = (await admin.query(`SELECT pg_relation_size('app.${c.name}')::bigint AS b`)).rows;
        indexBytes[c.name] = Number(row.b);
    }
    return { buildSeconds, indexBytes };
}

interface ProbeNode {
    "Node Type": string;
    "Index Name"?: string;
    "Index Cond"?: string;
    Plans?: ProbeNode[];
}

/** Pure: how a plan uses `index`: not at all, for its other columns only, or with the ILIKE in its condition. */
export function ilikeUse(node: ProbeNode, index: string): string {
    const uses: string[] = [];
    const walk = (n: ProbeNode) => {
        if (n["Index Name"] === index)
            uses.push(
                /~~\*/.test(n["Index Cond"] ?? "")
                    ? "ILIKE in the index condition"
                    : "user_id only, ILIKE filtered after",
            );
        for (const c of n.Plans ?? []) walk(c);
    };
    walk(node);
    return uses.length
        ? `${index}: ${uses.join("; ")}`
        : `${index} not used (${accessPaths(node as never).join(", ")})`;
}

/** The probe's plan for the user with the most live tasks, under RLS (app role) and as the owner. */
async function probe(db: RoleDatabase, sql: string, index: string): Promise<{ rls: string; owner: string }> {
    const [u] = await db.cluster.query(`SELECT quote_literal(user_id) || '::uuid' AS uid,
        quote_literal('%' || left(split_part(min(title), ' ', 2), 4) || '%') AS pattern, user_id
        FROM app.tasks WHERE deleted_at IS NULL GROUP BY user_id ORDER BY count(*) DESC LIMIT 1`);
    const plan = async (client: Client) => {
        await client.connect();
        try {
            await client.query("BEGIN");
            await client.query("SELECT app.set_tenant($1)", [u.user_id]);
            const [row] = (await client.query(`EXPLAIN (FORMAT JSON) ${inline(sql, u)}`)).rows;
            await client.query("COMMIT");
            return ilikeUse(row["QUERY PLAN"][0].Plan, index);
        } finally {
            await client.end();
        }
    };
    return { rls: await plan(db.client("app")), owner: await plan(db.client("admin")) };
}

export async function benchWrites(o: WriteOptions) {
    const db = await databaseWithRoles({ environment: "prod" });
    const admin = db.client("admin");
    try {
        await dbmate(db.url("migrator"), "migrate");
        o.progress(`writes: seeding ${o.users.toLocaleString("en")} users x ~100 tasks`);
        const { counts } = await loadSeed(db.cluster.connection(), {
            users: o.users,
            tasksPerUser: 100,
            checkinDays: 7,
            asOf: Date.now() - 86_400_000,
            seed: "writes",
        });
        await admin.connect();
        await admin.query("SET statement_timeout = 0");
        await admin.query(TARGETS_SQL);
        const [{ n: ntargets }] = (await admin.query("SELECT count(*)::int AS n FROM bench.write_targets")).rows;
        const points: WritePoint[] = [];
        const probes: ProbeResult[] = [];
        for (const config of CONFIGS) {
            const built = await setIndexes(admin, config.indexes);
            for (const c of CANDIDATES.filter((x) => x.probe && config.indexes.includes(x.name)))
                if (!probes.some((p) => p.index === c.name))
                    probes.push({ index: c.name, ...(await probe(db, c.probe!, c.name)) });
            const insert = await drive(db, INSERT_SCRIPT, ntargets, o);
            const update = await drive(db, UPDATE_SCRIPT, ntargets, o);
            const { hotRatio: _none, ...inserted } = insert;
            points.push({ config: config.name, ...built, insert: inserted, update });
            o.progress(
                `writes: ${config.name.padEnd(26)} insert ${insert.tps} tps, ${insert.walBytesPerTx} WAL B/tx; update ${update.tps} tps, ${update.walBytesPerTx} WAL B/tx, HOT ${(update.hotRatio * 100).toFixed(0)}%`,
            );
        }
        const [{ b: tableBytes }] = (await admin.query("SELECT pg_relation_size('app.tasks')::bigint AS b")).rows;
        return { counts, tableBytes: Number(tableBytes), points, probes };
    } finally {
        await admin.end().catch(() => undefined);
        await db.cluster.destroy();
    }
}
