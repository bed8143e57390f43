/**
 * `npm run bench -- pool`: pgbench through PgBouncer against direct connections, at several client counts, with
 * persistent connections and with a new connection per transaction (-C, how short-lived workers connect), over TLS
 * with SCRAM, as the app role under row-level security. A throwaway cluster sized as prod's class; PgBouncer sized by
 * poolSizing. Reports tps, p50/p95/p99 latency and the peak number of server connections.
 */
import { Client } from "pg";
import { poolSizing } from "../../../postgres/pooling/poolSizing";
import { sizeFor } from "../../../postgres/settings/sizing";
import { instanceClass } from "../../../postgres/instanceClasses";
import { freePort } from "../local/cluster";
import { dbmate } from "../local/migrations";
import { LocalPgbouncer } from "../local/pgbouncerProcess";
import { loadSeed } from "../seed/load";
import { committedStack, databaseWithRoles, type RoleDatabase } from "../local/throwaway";
import { pgbench, type PgbenchResult } from "./pgbench";

/** pgbouncer: as deployed (DISCARD ALL after every transaction); pgbouncer-no-reset: the same without, for its cost. */
export type PoolPath = "direct" | "pgbouncer" | "pgbouncer-no-reset";

export interface PoolPoint extends PgbenchResult {
    readonly path: PoolPath;
    readonly connectPerTransaction: boolean;
    readonly peakServerConnections: number;
}

/** The canonical page-of-open-tasks transaction, for a random user, with the tenant set for the transaction only. */
export const POOL_SCRIPT = `\\set n random(1, :users)
BEGIN;
SELECT app.set_tenant((SELECT id FROM bench.user_ids WHERE n = :n));
SELECT id, title, status, priority, due_at FROM app.tasks
 WHERE user_id = (SELECT id FROM bench.user_ids WHERE n = :n) AND deleted_at IS NULL AND status IN ('todo', 'in_progress', 'blocked')
 ORDER BY due_at, id LIMIT 50;
COMMIT;
`;

interface PoolOptions {
    users: number;
    seconds: number;
    clients: readonly number[];
    progress: (line: string) => void;
}

/** A migrated prod-class cluster with `users` seeded users and the bench.user_ids lookup the script reads. */
async function seededCluster(users: number): Promise<RoleDatabase> {
    const db = await databaseWithRoles({ environment: "prod" });
    await dbmate(db.url("migrator"), "migrate");
    await loadSeed(db.cluster.connection(), {
        users,
        tasksPerUser: 50,
        checkinDays: 7,
        asOf: Date.now() - 86_400_000,
        seed: "pool",
    });
    await db.cluster.query(`CREATE SCHEMA bench; CREATE TABLE bench.user_ids AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM app.users;
        ALTER TABLE bench.user_ids ADD PRIMARY KEY (n); GRANT USAGE ON SCHEMA bench TO metacortex_app; GRANT SELECT ON bench.user_ids TO metacortex_app`);
    for (const t of ["bench.user_ids", "app.users", "app.tasks"]) await db.cluster.query(`VACUUM ANALYZE ${t}`);
    return db;
}

/** Runs pgbench once while sampling the peak number of app backends. */
async function measure(
    appBackends: () => Promise<number>,
    run: () => Promise<PgbenchResult>,
): Promise<PgbenchResult & { peak: number }> {
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
        while (sampling) {
            peak = Math.max(peak, await appBackends());
            await new Promise((r) => setTimeout(r, 200));
        }
    })();
    const result = await run();
    sampling = false;
    await sampler;
    return { ...result, peak };
}

interface PathRun {
    readonly o: PoolOptions;
    readonly db: RoleDatabase;
    readonly bouncerPort: number;
    readonly appBackends: () => Promise<number>;
    readonly startBouncer: (resetAfterEveryTransaction: boolean) => Promise<LocalPgbouncer>;
}

/** Every client count on one path: direct waits for no app backend left over; PgBouncer starts afresh. */
async function pathPoints(r: PathRun, path: PoolPath, connectPerTransaction: boolean): Promise<PoolPoint[]> {
    const { o, db } = r;
    const conninfo = (port: number) =>
        `host=127.0.0.1 port=${port} dbname=${db.cluster.options.databaseName} user=metacortex_app sslmode=verify-full sslrootcert=${db.cluster.tls.caCert}`;
    const bouncer = path === "direct" ? undefined : await r.startBouncer(path === "pgbouncer");
    const points: PoolPoint[] = [];
    try {
        for (const clients of o.clients) {
            if (path === "direct") {
                const deadline = Date.now() + 30_000;
                while ((await r.appBackends()) > 0 && Date.now() < deadline)
                    await new Promise((resolve) => setTimeout(resolve, 100));
            }
            const { peak, ...result } = await measure(r.appBackends, () =>
                pgbench({
                    conninfo: conninfo(path === "direct" ? db.cluster.port : r.bouncerPort),
                    password: db.passwords.app,
                    script: POOL_SCRIPT,
                    clients,
                    seconds: o.seconds,
                    connectPerTransaction,
                    variables: { users: o.users },
                }),
            );
            points.push({ ...result, path, connectPerTransaction, peakServerConnections: peak });
            o.progress(
                `pool: ${path.padEnd(18)} ${connectPerTransaction ? "-C " : "   "}${String(clients).padStart(4)} clients: ` +
                    (result.error
                        ? `failed (${result.error})`
                        : `${result.tps.toFixed(0)} tps, p95 ${result.p95Ms.toFixed(1)} ms, ${peak} server connections`),
            );
        }
    } finally {
        await bouncer?.stop();
    }
    return points;
}

export async function benchPool(o: PoolOptions) {
    const stack = committedStack("prod");
    o.progress(`pool: seeding ${o.users} users`);
    const db = await seededCluster(o.users);
    try {
        const size = sizeFor(instanceClass(stack.instanceClass));
        const sizing = poolSizing(size.connectionBudget, 1);
        const bouncerPort = await freePort();
        const monitor = new Client(db.cluster.connection());
        await monitor.connect();
        const run: PathRun = {
            o,
            db,
            bouncerPort,
            appBackends: async () =>
                (
                    await monitor.query(
                        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'metacortex_app'",
                    )
                ).rows[0].n as number,
            startBouncer: (resetAfterEveryTransaction) =>
                LocalPgbouncer.start({
                    cluster: db.cluster,
                    port: bouncerPort,
                    resetAfterEveryTransaction,
                    defaultPoolSize: sizing.poolSize.metacortex_app,
                    maxDbConnections: sizing.perReplica,
                    maxClientConn: Math.max(...o.clients) + 50,
                    users: ["metacortex_app"],
                }),
        };
        const points: PoolPoint[] = [];
        try {
            // Direct first, then PgBouncer as deployed; on persistent connections also PgBouncer without its reset,
            // where the reset's cost is not hidden by connection setup.
            for (const connectPerTransaction of [false, true])
                for (const path of ["direct", "pgbouncer", "pgbouncer-no-reset"] as const)
                    if (!(connectPerTransaction && path === "pgbouncer-no-reset"))
                        points.push(...(await pathPoints(run, path, connectPerTransaction)));
        } finally {
            await monitor.end();
        }
        return {
            points,
            maxConnections: size.maxConnections,
            budget: size.connectionBudget,
            poolSize: sizing.poolSize.metacortex_app,
            instanceClass: stack.instanceClass,
        };
    } finally {
        await db.cluster.destroy();
    }
}
