/**
 * Read throughput through PgBouncer with 0, 1 and 2 streaming standbys: the readonly role's page of open tasks under
 * row-level security (a random user per transaction), on the primary, on one standby, and on two. Both standbys run
 * during every point, so each point has the same processes on the machine; only where the reads go changes. Points
 * run twice, in the order 0, 1, 2, 2, 1, 0, and each pair is pooled, so drift falls on all of them.
 */
import * as path from "path";
import { DEBIAN_PGBOUNCER } from "../../../postgres/pooling/pgbouncerIni";
import { poolDatabases, readPoolName } from "../../../postgres/pooling/readPool";
import { ROLE } from "../../../postgres/roles/names";
import { freePort, type PgCluster } from "../local/cluster";
import { dbmate } from "../local/migrations";
import { LocalPgbouncer } from "../local/pgbouncerProcess";
import { standbyAddress, startStandby, waitStreaming } from "../local/standby";
import { committedStack, databaseWithRoles, type RoleDatabase } from "../local/throwaway";
import { loadSeed } from "../seed/load";
import { mergeResults, pgbench, type PgbenchResult } from "./pgbench";

/** The page of open tasks as the readonly role, its tenant set for the transaction. */
export const READ_SCRIPT = `\\set n random(1, :users)
BEGIN;
SELECT app.set_tenant((SELECT id FROM bench.user_ids WHERE n = :n));
SELECT id, title, status, priority, due_at FROM app.tasks
 WHERE user_id = (SELECT id FROM bench.user_ids WHERE n = :n) AND deleted_at IS NULL AND status IN ('todo', 'in_progress', 'blocked')
 ORDER BY due_at, id LIMIT 50;
COMMIT;
`;

export interface ReadPoint extends PgbenchResult {
    /** Standbys the reads went to; 0 is the primary. */
    readonly standbys: number;
    /** PgBouncer databases the clients used (split evenly). */
    readonly databases: readonly string[];
}

export interface ReadsOptions {
    readonly users: number;
    readonly clients: number;
    readonly seconds: number;
    /** Real fsync; off for the quick run. */
    readonly fsync: boolean;
    readonly progress: (line: string) => void;
}

/** A seeded primary (dev's class, as `npm run local`) with the user lookup pgbench draws from, and two standbys. */
async function servers(o: ReadsOptions): Promise<{ db: RoleDatabase; standbys: PgCluster[] }> {
    const db = await databaseWithRoles(o.fsync ? {} : { overrides: { fsync: false } });
    await dbmate(db.url("migrator"), "migrate");
    o.progress(`reads: seeding ${o.users} users`);
    const asOf = Date.now() - 86_400_000;
    await loadSeed(db.cluster.connection(), { users: o.users, tasksPerUser: 50, checkinDays: 7, asOf, seed: "reads" });
    await db.cluster.query(`CREATE SCHEMA bench; CREATE TABLE bench.user_ids AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM app.users;
        ALTER TABLE bench.user_ids ADD PRIMARY KEY (n); GRANT USAGE ON SCHEMA bench TO ${ROLE.readonly}; GRANT SELECT ON bench.user_ids TO ${ROLE.readonly}`);
    for (const t of ["bench.user_ids", "app.users", "app.tasks"]) await db.cluster.query(`VACUUM ANALYZE ${t}`);
    const standbys: PgCluster[] = [];
    for (const i of [0, 1]) {
        const spec = {
            name: `standby${i + 1}`,
            address: standbyAddress(i),
            root: path.join(db.cluster.options.root, `standby${i + 1}`),
        };
        standbys.push(await startStandby(db.cluster, spec, db.passwords.replicator));
        await waitStreaming(db.cluster, spec.name);
    }
    return { db, standbys };
}

/** One point: the clients split evenly over `databases`, one pgbench each, at the same time. */
async function point(db: RoleDatabase, port: number, databases: readonly string[], o: ReadsOptions) {
    const share = Math.floor(o.clients / databases.length);
    const runs = await Promise.all(
        databases.map((database) =>
            pgbench({
                conninfo: `host=127.0.0.1 port=${port} dbname=${database} user=${ROLE.readonly} sslmode=verify-full sslrootcert=${db.cluster.tls.caCert}`,
                password: db.passwords.readonly,
                script: READ_SCRIPT,
                clients: share,
                seconds: o.seconds,
                connectPerTransaction: false,
                variables: { users: o.users },
            }),
        ),
    );
    const latenciesMs = runs.flatMap((r) => r.latenciesMs ?? []).sort((a, b) => a - b);
    return { ...mergeResults(runs, o.seconds), clients: share * databases.length, latenciesMs };
}

export async function benchReads(o: ReadsOptions): Promise<{ points: ReadPoint[]; instanceClass: string }> {
    const { db, standbys } = await servers(o);
    const database = db.cluster.options.databaseName;
    // Debian's PgBouncer reaches one standby per database entry (docs/pooling.md): two standbys are two entries.
    const targets: Record<number, string[]> = {
        0: [database],
        1: [readPoolName(database)],
        2: [`${database}_standby1`, `${database}_standby2`],
    };
    const bouncer = await LocalPgbouncer.start({
        cluster: db.cluster,
        port: await freePort(),
        defaultPoolSize: o.clients,
        maxDbConnections: o.clients,
        maxClientConn: o.clients * 4,
        users: [ROLE.readonly],
        databases: poolDatabases(
            database,
            db.cluster,
            standbys.map((s, i) => ({ name: `standby${i + 1}`, host: s.host, port: s.port })),
            DEBIAN_PGBOUNCER,
        ),
    });
    try {
        const runs: Record<number, PgbenchResult[]> = { 0: [], 1: [], 2: [] };
        for (const n of [0, 1, 2, 2, 1, 0]) {
            const r = await point(db, bouncer.port, targets[n], o);
            runs[n].push(r);
            o.progress(
                `reads: ${n} standby(s), ${r.clients} clients: ${r.error ?? `${r.tps.toFixed(0)} tps, p95 ${r.p95Ms.toFixed(2)} ms`}`,
            );
        }
        const points = [0, 1, 2].map((n) => ({
            ...mergeResults(runs[n], o.seconds * 2),
            clients: o.clients,
            standbys: n,
            databases: targets[n],
        }));
        return { points: points.map(({ latenciesMs, ...p }) => p), instanceClass: committedStack("dev").instanceClass };
    } finally {
        await bouncer.stop();
        for (const s of standbys) await s.stop();
        await db.cluster.destroy();
    }
}

/** Pure: the committed report: one row per standby count, and what a 2-vCPU machine can and cannot show. */
export function readsMarkdown(
    r: Awaited<ReturnType<typeof benchReads>>,
    meta: { machine: string; date: string; seconds: number; users: number },
): string {
    const base = r.points[0].tps;
    const rows = r.points.map(
        (p) =>
            `| ${p.standbys === 0 ? "0 (the primary)" : p.standbys} | ${p.databases.join(", ")} | ${p.clients} | ${p.error ? `refused: ${p.error}` : p.tps.toFixed(0)} | ${(p.tps / base).toFixed(2)}x | ${p.p50Ms.toFixed(2)} | ${p.p95Ms.toFixed(2)} | ${p.p99Ms.toFixed(2)} |`,
    );
    return [
        "# Read throughput with 0, 1 and 2 standbys",
        "",
        `${meta.machine}, ${meta.date}. Server sized as ${r.instanceClass} (the dev stack, as \`npm run local\`); ${meta.users} users with 50 tasks each; ` +
            `the readonly role's page of open tasks under row-level security through PgBouncer (TLS, transaction pooling), ${meta.seconds} s per run, ` +
            "each point run twice (0, 1, 2, 2, 1, 0) and pooled. Both standbys stream during every point. Generated by `npm run bench:reads`.",
        "",
        "| standbys | PgBouncer databases | clients | tps | vs primary | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
        ...rows,
        "",
        "Primary, standbys, PgBouncer and pgbench share the same vCPUs here, so a standby adds no CPU: this measures",
        "what routing costs and that the standbys serve the same reads, not the capacity replicas add on their own hosts.",
        "",
    ].join("\n");
}
