/**
 * Nothing one pooled client sets is seen by the next, through a real PgBouncer in transaction mode with a pool of one
 * server connection (so consecutive clients share it): session-level tenant, settings, SQL PREPARE and protocol-level
 * named statements. A second PgBouncer without the reset shows the same sequence leaking (the control). And the
 * limits PgBouncer enforces where a client cannot lift them: query_timeout and idle_transaction_timeout.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { Client } from "pg";
import { freePort } from "../../scripts/lib/local/cluster";
import { dbmate } from "../../scripts/lib/local/migrations";
import { LocalPgbouncer } from "../../scripts/lib/local/pgbouncerProcess";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

const A_STATEMENT = "SELECT 'left by A'::text AS v";

describe("PgBouncer resets session state between clients", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let withReset: LocalPgbouncer;
    let withoutReset: LocalPgbouncer;
    let alice: string;

    const start = async (resetAfterEveryTransaction: boolean) =>
        LocalPgbouncer.start({
            cluster: db.cluster,
            port: await freePort(),
            instance: resetAfterEveryTransaction ? "reset" : "no-reset",
            defaultPoolSize: 1,
            maxDbConnections: 1,
            maxClientConn: 20,
            users: ["metacortex_app"],
            resetAfterEveryTransaction,
            // Shortened to be measured: above the app role's 5 s statement_timeout, as deployed limits are above theirs.
            queryTimeoutSeconds: 7,
            idleTransactionTimeoutSeconds: 2,
        });
    const clientOf = async (bouncer: LocalPgbouncer) => {
        const c = new Client({
            host: "127.0.0.1",
            port: bouncer.port,
            database: "metacortex",
            user: "metacortex_app",
            password: db.passwords.app,
            ssl: {
                ca: fs.readFileSync(db.cluster.tls.caCert, "utf8"),
                rejectUnauthorized: true,
                servername: "localhost",
            },
        });
        await c.connect();
        return c;
    };
    const valueOrError = (p: Promise<{ rows: Array<{ v: string }> }>) =>
        p.then(
            (r) => r.rows[0].v,
            (e: Error) => e.message,
        );

    /** Client A leaves session state and disconnects; client B, on the same server connection, reports what it sees. */
    async function leftovers(bouncer: LocalPgbouncer) {
        const a = await clientOf(bouncer);
        await a.query("SELECT set_config('app.user_id', $1, false)", [alice]);
        await a.query("SET statement_timeout = 0");
        await a.query(`PREPARE leak_sql AS ${A_STATEMENT}`);
        await a.query({ name: "leak_proto", text: A_STATEMENT });
        const pidA = (await a.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
        await a.end();

        const b = await clientOf(bouncer);
        try {
            const pidB = (await b.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
            const [state] = (
                await b.query(`SELECT coalesce(current_setting('app.user_id', true), '') AS tenant,
                                      current_setting('statement_timeout') AS statement_timeout,
                                      (SELECT count(*)::int FROM app.tasks) AS rows`)
            ).rows;
            const sqlPrepared = await valueOrError(b.query("EXECUTE leak_sql"));
            // Bind to the name without a Parse, as a client that believes it prepared it would: whose statement runs?
            (
                b as unknown as { connection: { parsedStatements: Record<string, string> } }
            ).connection.parsedStatements.leak_proto = A_STATEMENT;
            const protocolPrepared = await valueOrError(b.query({ name: "leak_proto", text: A_STATEMENT }));
            return { sameServerConnection: pidA === pidB, ...state, sqlPrepared, protocolPrepared };
        } finally {
            await b.end();
        }
    }

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        [{ id: alice }] = await db.cluster.query(
            "INSERT INTO app.users (email, display_name) VALUES ('alice@example.test', 'Alice') RETURNING id",
        );
        await db.cluster.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, 'mine')", [alice]);
        withReset = await start(true);
        withoutReset = await start(false);
    });
    after(async () => {
        await withReset?.stop();
        await withoutReset?.stop();
        await db?.cluster.destroy();
    });

    it("the next client sees no tenant, default settings and none of the previous client's prepared statements", async () => {
        assert.deepEqual(await leftovers(withReset), {
            sameServerConnection: true,
            tenant: "",
            statement_timeout: "5s",
            rows: 0,
            sqlPrepared: 'prepared statement "leak_sql" does not exist',
            protocolPrepared: 'prepared statement "leak_proto" does not exist',
        });
    });

    it("control: without the reset the same sequence leaks every one of them (the tenant still gives no rows)", async () => {
        assert.deepEqual(await leftovers(withoutReset), {
            sameServerConnection: true,
            tenant: alice,
            statement_timeout: "0",
            rows: 0,
            sqlPrepared: "left by A",
            protocolPrepared: "left by A",
        });
    });

    it("query_timeout cancels a statement whose client lifted statement_timeout", async () => {
        const c = await clientOf(withReset);
        c.on("error", () => undefined);
        const started = Date.now();
        try {
            await c.query("BEGIN");
            await c.query("SET LOCAL statement_timeout = 0");
            await assert.rejects(c.query("SELECT pg_sleep(30)"), /query timeout/);
        } finally {
            await c.end().catch(() => undefined);
        }
        const seconds = (Date.now() - started) / 1000;
        assert.ok(seconds >= 6.5 && seconds < 10, `cancelled after ${seconds.toFixed(1)} s, query_timeout is 7 s`);
        // PgBouncer closes the server connection; the backend notices (client_connection_check_interval) and ends.
        await waitFor("the statement to end on the server", async () => {
            const [{ n }] = await db.cluster.query(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
            );
            return n === 0 ? true : undefined;
        });
    });

    it("idle_transaction_timeout disconnects a client idle in a transaction whose server timeout it lifted", async () => {
        const c = await clientOf(withReset);
        let closed: number | undefined;
        c.on("error", () => {
            closed = Date.now();
        });
        c.on("end", () => {
            closed ??= Date.now();
        });
        await c.query("BEGIN");
        await c.query("SET LOCAL idle_in_transaction_session_timeout = 0");
        const idleSince = Date.now();
        const at = await waitFor("PgBouncer to close the idle transaction", () => closed, 20_000);
        const seconds = (at - idleSince) / 1000;
        assert.ok(
            seconds >= 1.5 && seconds < 5,
            `closed after ${seconds.toFixed(1)} s, idle_transaction_timeout is 2 s`,
        );
        await c.end().catch(() => undefined);
    });
});
