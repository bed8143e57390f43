/** 300 concurrent clients through a local PgBouncer (sized by poolSizing) complete, with server connections within the pool. */
import { strict as assert } from "assert";
import * as fs from "fs";
import { Client } from "pg";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import { freePort } from "../../scripts/lib/local/cluster";
import { dbmate } from "../../scripts/lib/local/migrations";
import { LocalPgbouncer } from "../../scripts/lib/local/pgbouncerProcess";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("PgBouncer under 300 concurrent clients", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let bouncer: LocalPgbouncer;
    // A small budget on purpose, so 300 clients must queue for 20 server connections.
    const sizing = poolSizing(25, 1);

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        const [{ id }] = await db.cluster.query(
            "INSERT INTO app.users (email, display_name) VALUES ('p@example.test', 'P') RETURNING id",
        );
        await db.cluster.query(
            "INSERT INTO app.tasks (user_id, title) SELECT $1, 't' || g FROM generate_series(1, 50) g",
            [id],
        );
        bouncer = await LocalPgbouncer.start({
            cluster: db.cluster,
            port: await freePort(),
            defaultPoolSize: sizing.poolSize.metacortex_app,
            maxDbConnections: sizing.perReplica,
            maxClientConn: 400,
            users: ["metacortex_app"],
        });
    });
    after(async () => {
        await bouncer?.stop();
        await db?.cluster.destroy();
    });

    it(`all 300 clients complete their transactions; server connections stay within ${sizing.poolSize.metacortex_app}`, async () => {
        const ca = fs.readFileSync(db.cluster.tls.caCert, "utf8");
        const [{ id }] = await db.cluster.query("SELECT id FROM app.users LIMIT 1");
        let peak = 0;
        let done = 0;
        // Sample the server's connections while the clients run; awaited before the test ends.
        let sampling = true;
        const sampler = (async () => {
            while (sampling) {
                const [r] = await db.cluster.query(
                    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'metacortex_app'",
                );
                peak = Math.max(peak, r.n);
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
        })();
        try {
            await Promise.all(
                Array.from({ length: 300 }, async () => {
                    const c = new Client({
                        host: "127.0.0.1",
                        port: bouncer.port,
                        database: "metacortex",
                        user: "metacortex_app",
                        password: db.passwords.app,
                        ssl: { ca, rejectUnauthorized: true, servername: "localhost" },
                    });
                    await c.connect();
                    try {
                        for (let t = 0; t < 3; t++) {
                            await c.query("BEGIN");
                            await c.query("SELECT app.set_tenant($1)", [id]);
                            const { rows } = await c.query("SELECT count(*)::int AS n, pg_sleep(0.005) FROM app.tasks");
                            await c.query("COMMIT");
                            if (rows[0].n !== 50) throw new Error(`saw ${rows[0].n} tasks`);
                        }
                        done++;
                    } finally {
                        await c.end();
                    }
                }),
            );
        } finally {
            sampling = false;
            await sampler;
        }
        assert.equal(done, 300);
        assert.ok(
            peak > 0 && peak <= sizing.poolSize.metacortex_app,
            `peak ${peak} server connections, pool ${sizing.poolSize.metacortex_app}`,
        );
    });
});
