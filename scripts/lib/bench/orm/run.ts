/**
 * `npm run bench -- orm`: the statements the backend's SQLAlchemy models send (statements.ts), on a throwaway
 * cluster sized as prod, migrated and seeded by the project's seeder. Each statement runs under pgbench as the app
 * role under row-level security and as a superuser without it, in a discarded warm-up block and then A B B A
 * (script.ts: sliceOrder); EXPLAIN samples give buffers, plans and planning time.
 */
import type { Client } from "pg";
import { dbmate } from "../../local/migrations";
import { databaseWithRoles, type RoleDatabase } from "../../local/throwaway";
import { type Counts, loadSeed } from "../../seed/load";
import { mergeResults, type PgbenchResult, pgbench } from "../pgbench";
import { type ExplainSummary, explainSample } from "./explain";
import { ORM_PARAMS_SQL, ormScript, sliceOrder, type Variant } from "./script";
import { type CapturedStatement, captureStatements } from "./statements";

export interface OrmOptions {
    readonly users: number;
    readonly tasksPerUser: number;
    /** Seconds per measured variant (two slices of half each); ignored when `transactions` is set. */
    readonly seconds: number;
    readonly warmupSeconds: number;
    /** Quick runs: transactions per client per slice instead of seconds. */
    readonly transactions?: number;
    readonly clients: number;
    readonly samples: number;
    readonly progress: (line: string) => void;
}

export type Timing = Omit<PgbenchResult, "latenciesMs">;

export interface StatementResult {
    readonly name: string;
    readonly sql: string;
    readonly ownerSql: string;
    /** The slices as they ran, e.g. ["rls (warm-up)", "owner (warm-up)", "rls", "owner", "owner", "rls"]. */
    readonly order: readonly string[];
    readonly rls: Timing & { readonly explain: ExplainSummary };
    readonly owner: Timing & { readonly explain: ExplainSummary };
}

export interface OrmResult {
    readonly sqlalchemy: string;
    readonly counts: Counts;
    readonly seedSeconds: number;
    readonly sampledUsers: number;
    readonly eligibleUsers: number;
    readonly statements: readonly StatementResult[];
    readonly relationSizes: Readonly<Record<string, number>>;
}

const SIZES_SQL = `SELECT c.relname AS name, pg_relation_size(c.oid)::bigint AS bytes FROM pg_class c
  WHERE c.relnamespace = 'app'::regnamespace AND c.relkind IN ('r', 'i')
    AND (c.relname = 'tasks' OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'app.tasks'::regclass))
  ORDER BY 1`;

async function prepare(db: RoleDatabase, o: OrmOptions): Promise<{ counts: Counts; seconds: number }> {
    await dbmate(db.url("migrator"), "migrate");
    o.progress(`orm: seeding ${o.users.toLocaleString("en")} users x ~${o.tasksPerUser} tasks`);
    let reported = 0;
    const seeded = await loadSeed(db.cluster.connection(), {
        users: o.users,
        tasksPerUser: o.tasksPerUser,
        checkinDays: 30,
        asOf: Date.now() - 86_400_000,
        seed: "orm",
        onProgress: (done, total, rows) => {
            if (done < total && done - reported < total / 10) return;
            reported = done;
            o.progress(
                `orm: seeded ${done.toLocaleString("en")}/${total.toLocaleString("en")} users, ${rows.toLocaleString("en")} rows`,
            );
        },
    });
    o.progress(`orm: seeded in ${seeded.seconds.toFixed(0)} s; VACUUM ANALYZE and the parameter table`);
    // One session without the server's 60 s statement timeout: at 10M tasks VACUUM takes minutes.
    await withClient(db.client("admin"), async (c) => {
        await c.query("SET statement_timeout = 0");
        await c.query("VACUUM (ANALYZE)");
        await c.query(ORM_PARAMS_SQL);
        await c.query("ANALYZE bench.orm_params");
    });
    return seeded;
}

/** Evenly spaced users, plus the one with the most tasks (so the max shows the heavy tail). */
async function sampleUsers(db: RoleDatabase, samples: number): Promise<{ users: number[]; eligible: number }> {
    const [{ total }] = await db.cluster.query("SELECT count(*)::int AS total FROM bench.orm_params");
    if (total === 0) throw new Error("no seeded user has a tag, a habit and a dated open task; seed more users");
    const [heaviest] = await withClient(db.client("admin"), async (c) => {
        await c.query("SET statement_timeout = 0");
        return (
            await c.query(`SELECT p.n FROM bench.orm_params p
        JOIN LATERAL (SELECT count(*) AS c FROM app.tasks t WHERE t.user_id = p.user_id) t ON true ORDER BY t.c DESC LIMIT 1`)
        ).rows;
    });
    const k = Math.min(samples - 1, total);
    const users = Array.from({ length: k }, (_, i) => 1 + Math.floor((i * total) / k));
    if (!users.includes(heaviest.n)) users.push(heaviest.n);
    return { users, eligible: total };
}

async function timeStatement(db: RoleDatabase, s: CapturedStatement, index: number, nusers: number, o: OrmOptions) {
    const login = (v: Variant) =>
        v === "rls"
            ? { user: "metacortex_app", password: db.passwords.app }
            : { user: "metacortex_admin", password: db.cluster.options.password };
    const slices: Record<Variant, PgbenchResult[]> = { rls: [], owner: [] };
    const elapsed: Record<Variant, number> = { rls: 0, owner: 0 };
    const order: string[] = [];
    for (const slice of sliceOrder(index)) {
        const who = login(slice.variant);
        const started = Date.now();
        const result = await pgbench({
            conninfo: `host=127.0.0.1 port=${db.cluster.port} dbname=metacortex user=${who.user} sslmode=verify-full sslrootcert=${db.cluster.tls.caCert}`,
            password: who.password,
            script: ormScript(slice.variant === "rls" ? s.sql : s.ownerSql),
            clients: o.clients,
            seconds: slice.measured ? Math.max(1, Math.round(o.seconds / 2)) : o.warmupSeconds,
            transactions: o.transactions,
            connectPerTransaction: false,
            variables: { nusers },
        });
        if (result.error) throw new Error(`${s.name} (${slice.variant}): ${result.error}`);
        order.push(slice.measured ? slice.variant : `${slice.variant} (warm-up)`);
        if (!slice.measured) continue;
        slices[slice.variant].push(result);
        elapsed[slice.variant] += (Date.now() - started) / 1000;
    }
    const merged = (v: Variant): Timing => {
        const { latenciesMs: _raw, ...summary } = mergeResults(slices[v], elapsed[v]);
        return summary;
    };
    return { order, rls: merged("rls"), owner: merged("owner") };
}

async function withClient<T>(client: Client, fn: (c: Client) => Promise<T>): Promise<T> {
    await client.connect();
    try {
        return await fn(client);
    } finally {
        await client.end();
    }
}

export async function benchOrm(o: OrmOptions): Promise<OrmResult> {
    const capture = await captureStatements();
    o.progress(
        `orm: ${capture.statements.length} statements captured from the models (SQLAlchemy ${capture.sqlalchemy})`,
    );
    const db = await databaseWithRoles({ environment: "prod" });
    try {
        const seeded = await prepare(db, o);
        const { users, eligible } = await sampleUsers(db, o.samples);
        const statements: StatementResult[] = [];
        for (const [i, s] of capture.statements.entries()) {
            const timing = await timeStatement(db, s, i, eligible, o);
            const rlsExplain = await withClient(db.client("app"), (c) => explainSample(c, s.sql, users));
            const ownerExplain = await withClient(db.client("admin"), (c) => explainSample(c, s.ownerSql, users));
            statements.push({
                name: s.name,
                sql: s.sql,
                ownerSql: s.ownerSql,
                order: timing.order,
                rls: { ...timing.rls, explain: rlsExplain },
                owner: { ...timing.owner, explain: ownerExplain },
            });
            o.progress(
                `orm: ${String(i + 1).padStart(2)}/${capture.statements.length} ${s.name.padEnd(24)} RLS p95 ${timing.rls.p95Ms.toFixed(2)} ms, owner p95 ${timing.owner.p95Ms.toFixed(2)} ms, ${rlsExplain.buffers.median} buffers (max ${rlsExplain.buffers.max}), ${rlsExplain.plan}`,
            );
        }
        const sizes = await db.cluster.query<{ name: string; bytes: string }>(SIZES_SQL);
        return {
            sqlalchemy: capture.sqlalchemy,
            counts: seeded.counts,
            seedSeconds: Number(seeded.seconds.toFixed(1)),
            sampledUsers: users.length,
            eligibleUsers: eligible,
            statements,
            relationSizes: Object.fromEntries(sizes.map((r) => [r.name, Number(r.bytes)])),
        };
    } finally {
        await db.cluster.destroy();
    }
}
