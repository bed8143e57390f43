/**
 * Limits a client cannot lift, measured on a real server: lock_timeout (a LOCK TABLE cannot queue every tenant
 * behind it), temp_file_limit (superuser-only), and the maximum transaction age that pg_cron enforces for the app.
 * PgBouncer's query_timeout and idle_transaction_timeout are measured in poolReset.test.ts.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { LOCK_TIMEOUT_MS } from "../../postgres/settings/catalog";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("limits a client cannot lift", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let alice: string;
    const connect = async (role: string) => {
        const c = db.client(role);
        c.on("error", () => undefined); // a terminated backend is what some tests expect
        await c.connect();
        return c;
    };

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        [{ id: alice }] = await db.cluster.query(
            "INSERT INTO app.users (email, display_name) VALUES ('alice@example.test', 'Alice') RETURNING id",
        );
    });
    after(async () => db?.cluster.destroy());

    it(`a query behind an app session's LOCK TABLE gives up at lock_timeout (${LOCK_TIMEOUT_MS} ms), before its statement_timeout`, async () => {
        const holder = await connect("app");
        const waiter = await connect("app");
        try {
            await holder.query("BEGIN");
            await holder.query("LOCK TABLE app.tasks IN ACCESS EXCLUSIVE MODE");
            await waiter.query("BEGIN");
            await waiter.query("SELECT app.set_tenant($1)", [alice]);
            const started = Date.now();
            await assert.rejects(
                waiter.query("SELECT count(*) FROM app.tasks"),
                /canceling statement due to lock timeout/,
            );
            const ms = Date.now() - started;
            assert.ok(ms >= LOCK_TIMEOUT_MS - 100 && ms < 5000, `gave up after ${ms} ms`);
            await waiter.query("ROLLBACK");
        } finally {
            await holder.end();
            await waiter.end();
        }
    });

    it("temp_file_limit is set (2 GiB), the app cannot lift it, and a spill over the limit errors", async () => {
        const app = await connect("app");
        try {
            assert.equal((await app.query("SHOW temp_file_limit")).rows[0].temp_file_limit, "2GB");
            await assert.rejects(
                app.query("SET temp_file_limit = -1"),
                /permission denied to set parameter "temp_file_limit"/,
            );
        } finally {
            await app.end();
        }
        // Measured with a 1 MB limit (the superuser's ALTER ROLE): a 2 GiB spill would only make the test slow.
        await db.cluster.query("ALTER ROLE metacortex_app SET temp_file_limit = '1MB'");
        const small = await connect("app");
        try {
            await small.query("SET work_mem = '64kB'");
            await assert.rejects(
                small.query("SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC OFFSET 199999"),
                /temporary file size exceeds temp_file_limit \(1024kB\)/,
            );
        } finally {
            await small.end();
            await db.cluster.query("ALTER ROLE metacortex_app RESET temp_file_limit");
        }
    });

    it("an app transaction older than the limit is terminated by the pg_cron job's function; other roles are left alone", async () => {
        const [job] = await db.cluster.query(
            "SELECT schedule, command, username FROM cron.job WHERE jobname = 'metacortex-end-overage-transactions'",
        );
        assert.deepEqual(job, {
            schedule: "* * * * *",
            command: "SET ROLE metacortex_owner; SELECT app.end_overage_transactions(interval '60 seconds')",
            username: "metacortex_migrator",
        });
        const app = await connect("app");
        let appError: string | undefined;
        app.on("error", (e) => {
            appError = e.message;
        });
        const readonly = await connect("readonly");
        const migrator = await connect("migrator");
        try {
            for (const c of [app, readonly]) {
                await c.query("BEGIN");
                await c.query("SELECT 1");
            }
            const appPid = (await app.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
            await waitFor("both transactions to be over 1 s old", async () => {
                const [{ n }] = await db.cluster.query(
                    `SELECT count(*)::int AS n FROM pg_stat_activity
                      WHERE usename IN ('metacortex_app', 'metacortex_readonly') AND xact_start < now() - interval '1.2 seconds'`,
                );
                return n === 2 ? true : undefined;
            });
            // As pg_cron runs it: the migrator's session, acting as the owner.
            const [{ ended }] = (
                await migrator.query("SELECT app.end_overage_transactions(interval '1 second') AS ended")
            ).rows;
            assert.equal(ended, 1);
            const reason = await waitFor("the app client to hear why", () => appError);
            assert.match(
                reason,
                /terminating connection due to administrator command|Connection terminated unexpectedly/,
            );
            await waitFor("the app backend to be gone", async () => {
                const rows = await db.cluster.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [appPid]);
                return rows.length === 0 ? true : undefined;
            });
            assert.equal((await readonly.query("SELECT 1 AS one")).rows[0].one, 1, "readonly's transaction survives");
            await assert.rejects(
                migrator.query("SELECT app.end_overage_transactions(interval '0')"),
                /max_age must be at least 1 second, got 00:00:00/,
            );
        } finally {
            for (const c of [app, readonly, migrator]) await c.end().catch(() => undefined);
        }
    });

    it("the app cannot run the job's function itself", async () => {
        const app: Client = await connect("app");
        try {
            await assert.rejects(
                app.query("SELECT app.end_overage_transactions(interval '1 second')"),
                /permission denied for function end_overage_transactions/,
            );
        } finally {
            await app.end();
        }
    });
});
