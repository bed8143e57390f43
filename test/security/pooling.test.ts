/**
 * Tenant isolation under transaction pooling: 1,000 transactions across 50 users, from 20 concurrent clients through a
 * real PgBouncer (transaction mode, SCRAM, TLS both sides, pool of 5), return no other user's row, and app.user_id
 * is empty once each transaction ends, whichever server connection the next statement lands on.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { freePort } from "../../scripts/lib/local/cluster";
import { LocalPgbouncer } from "../../scripts/lib/local/pgbouncerProcess";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

const USERS = 50;
const CLIENTS = 20;
const TRANSACTIONS_PER_CLIENT = 50;
const POOL = 5;

describe("row-level security under transaction pooling (PgBouncer)", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let bouncer: LocalPgbouncer;
    let users: string[];

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        users = (
            await db.cluster.query(
                `INSERT INTO app.users (email, display_name) SELECT 'u' || g || '@example.test', 'user ' || g FROM generate_series(1, ${USERS}) g RETURNING id`,
            )
        ).map((r) => r.id);
        await db.cluster.query(
            `INSERT INTO app.tasks (user_id, title) SELECT u, 'task ' || g FROM unnest($1::uuid[]) u, generate_series(1, 4) g`,
            [users],
        );
        bouncer = await LocalPgbouncer.start({
            cluster: db.cluster,
            port: await freePort(),
            defaultPoolSize: POOL,
            maxDbConnections: POOL,
            maxClientConn: 200,
            users: ["metacortex_app"],
        });
    });
    after(async () => {
        await bouncer?.stop();
        await db?.cluster.destroy();
    });

    it(`${CLIENTS * TRANSACTIONS_PER_CLIENT} transactions across ${USERS} users: 0 wrong-user rows, app.user_id empty after each`, async () => {
        const ca = fs.readFileSync(db.cluster.tls.caCert, "utf8");
        let wrong = 0;
        let seen = 0;
        let leaked = 0;
        let transactions = 0;
        const worker = async (w: number) => {
            const client = new Client({
                host: "127.0.0.1",
                port: bouncer.port,
                database: "metacortex",
                user: "metacortex_app",
                password: db.passwords.app,
                ssl: { ca, rejectUnauthorized: true, servername: "localhost" },
            });
            await client.connect();
            try {
                for (let t = 0; t < TRANSACTIONS_PER_CLIENT; t++) {
                    const user = users[(w * TRANSACTIONS_PER_CLIENT + t) % USERS];
                    await client.query("BEGIN");
                    await client.query("SELECT app.set_tenant($1)", [user]);
                    const { rows } = await client.query("SELECT user_id FROM app.tasks");
                    await client.query("COMMIT");
                    transactions++;
                    seen += rows.length;
                    wrong += rows.filter((r) => r.user_id !== user).length;
                    if (rows.length !== 4) throw new Error(`user ${user} saw ${rows.length} tasks, expected 4`);
                    const after = (
                        await client.query(
                            "SELECT coalesce(current_setting('app.user_id', true), '') AS v, (SELECT count(*)::int FROM app.tasks) AS n",
                        )
                    ).rows[0];
                    if (after.v !== "" || after.n !== 0) leaked++;
                }
            } finally {
                await client.end();
            }
        };
        await Promise.all(Array.from({ length: CLIENTS }, (_, w) => worker(w)));
        assert.deepEqual(
            { transactions, wrong, leaked, seen },
            { transactions: 1000, wrong: 0, leaked: 0, seen: 4000 },
        );
        const [server] = await db.cluster.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'metacortex_app'",
        );
        assert.ok(server.n <= POOL, `${server.n} server connections for the app, pool is ${POOL}`);
        const tls = await db.cluster.query(
            "SELECT bool_and(s.ssl) AS all_tls FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.usename = 'metacortex_app'",
        );
        assert.equal(tls[0].all_tls, true, "PgBouncer reaches PostgreSQL over TLS");
    });
});
