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
import { committedStack, databaseWithRoles } from "../local/throwaway";
import { pgbench, type PgbenchResult } from "./pgbench";

export interface PoolPoint extends PgbenchResult {
    readonly path: "direct" | "pgbouncer";
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

export async function benchPool(o: {
    users: number;
    seconds: number;
    clients: readonly number[];
    progress: (line: string) => void;
}) {
    const stack = committedStack("prod");
    const db = await databaseWithRoles({ environment: "prod" });
    try {
        await dbmate(db.url("migrator"), "migrate");
        o.progress(`pool: seeding ${o.users} users`);
        await loadSeed(db.cluster.connection(), {
            users: o.users,
            tasksPerUser: 50,
            checkinDays: 7,
            asOf: Date.now() - 86_400_000,
            seed: "pool",
        });
        await db.cluster.query(`CREATE SCHEMA bench; CREATE TABLE bench.user_ids AS SELECT row_number() OVER (ORDER BY id)::int AS n, id FROM app.users;
            ALTER TABLE bench.user_ids ADD PRIMARY KEY (n); GRANT USAGE ON SCHEMA bench TO metacortex_app; GRANT SELECT ON bench.user_ids TO metacortex_app`);
        for (const t of ["bench.user_ids", "app.users", "app.tasks"]) await db.cluster.query(`VACUUM ANALYZE ${t}`);
        const size = sizeFor(instanceClass(stack.instanceClass));
        const sizing = poolSizing(size.connectionBudget, 1);
        const startBouncer = async (port: number) =>
            LocalPgbouncer.start({
                cluster: db.cluster,
                port,
                defaultPoolSize: sizing.poolSize.metacortex_app,
                maxDbConnections: sizing.perReplica,
                maxClientConn: Math.max(...o.clients) + 50,
                users: ["metacortex_app"],
            });
        const bouncerPort = await freePort();
        const monitor = new Client(db.cluster.connection());
        await monitor.connect();
        const appBackends = async () =>
            (await monitor.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'metacortex_app'"))
                .rows[0].n as number;
        const points: PoolPoint[] = [];
        try {
            const ca = db.cluster.tls.caCert;
            const conninfo = (port: number) =>
                `host=127.0.0.1 port=${port} dbname=${stack.databaseName} user=metacortex_app sslmode=verify-full sslrootcert=${ca}`;
            for (const connectPerTransaction of [false, true]) {
                // Direct first, each point starting with no app backends left over; then PgBouncer, started afresh so
                // its pool holds only what its own points opened. Peak server connections then belong to the point.
                for (const path of ["direct", "pgbouncer"] as const) {
                    const bouncer = path === "pgbouncer" ? await startBouncer(bouncerPort) : undefined;
                    try {
                        for (const clients of o.clients) {
                            if (path === "direct") {
                                const deadline = Date.now() + 30_000;
                                while ((await appBackends()) > 0 && Date.now() < deadline)
                                    await new Promise((r) => setTimeout(r, 100));
                            }
                            let peak = 0;
                            let sampling = true;
                            const sampler = (async () => {
                                while (sampling) {
                                    peak = Math.max(peak, await appBackends());
                                    await new Promise((r) => setTimeout(r, 200));
                                }
                            })();
                            const port = path === "direct" ? db.cluster.port : bouncerPort;
                            const result = await pgbench({
                                conninfo: conninfo(port),
                                password: db.passwords.app,
                                script: POOL_SCRIPT,
                                clients,
                                seconds: o.seconds,
                                connectPerTransaction,
                                variables: { users: o.users },
                            });
                            sampling = false;
                            await sampler;
                            points.push({ ...result, path, connectPerTransaction, peakServerConnections: peak });
                            o.progress(
                                `pool: ${path.padEnd(9)} ${connectPerTransaction ? "-C " : "   "}${String(clients).padStart(4)} clients: ` +
                                    (result.error
                                        ? `failed (${result.error})`
                                        : `${result.tps.toFixed(0)} tps, p95 ${result.p95Ms.toFixed(1)} ms, ${peak} server connections`),
                            );
                        }
                    } finally {
                        await bouncer?.stop();
                    }
                }
            }
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
