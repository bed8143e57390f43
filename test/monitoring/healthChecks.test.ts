/**
 * The health checks that watch what the platform declares, each failure state made on a real server: a role that
 * changed its own settings (and the local bootstrap putting them back), a failed pg_cron run, rows in a default
 * partition, partitions not premade as far as pg_partman's premake, a large object.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { type HealthReport, runHealth } from "../../postgres/health/checks";
import { applyRoleModel } from "../../scripts/lib/local/bootstrap";
import { dbmate } from "../../scripts/lib/local/migrations";
import { committedStack, databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("health checks of declared state", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let monitor: Client;
    const check = async (name: string) => {
        const r: HealthReport = await runHealth(monitor, { verified: true, mode: "verify-full" });
        return r.checks.find((c) => c.check === name)!;
    };

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        monitor = db.client("monitor");
        await monitor.connect();
    });
    after(async () => {
        await monitor?.end();
        await db?.cluster.destroy();
    });

    it("role settings: a role's own ALTER ROLE ... SET fails the check; the local bootstrap puts the model back", async () => {
        assert.equal((await check("role settings")).status, "ok");
        const app = db.client("app");
        await app.connect();
        try {
            await app.query("ALTER ROLE metacortex_app SET statement_timeout = 0");
            await app.query("ALTER ROLE metacortex_app IN DATABASE metacortex SET default_transaction_read_only = on");
        } finally {
            await app.end();
        }
        const drifted = await check("role settings");
        assert.equal(drifted.status, "fail");
        assert.equal(
            drifted.value,
            "metacortex_app: default_transaction_read_only=on (in metacortex); metacortex_app: statement_timeout=0",
        );
        assert.equal(drifted.metric?.value, 2);
        // What `npm run local` runs on every start: reset every role, then the model's settings.
        const stack = committedStack("dev");
        await applyRoleModel(db.cluster.connection(), stack.databaseName, stack.instanceClass, db.passwords);
        assert.equal((await check("role settings")).status, "ok");
    });

    it("pg_cron jobs: a failed run fails the check until the job next succeeds", async () => {
        const [{ jobid }] = await db.cluster.query(
            "SELECT jobid FROM cron.job WHERE jobname = 'metacortex-partman-app.habit_checkins'",
        );
        const run = (status: string, minutesAgo: number, message: string) =>
            db.cluster.query(
                `INSERT INTO cron.job_run_details (jobid, runid, job_pid, database, username, command, status, return_message, start_time, end_time)
                 VALUES ($1, nextval('cron.runid_seq'), 0, 'metacortex', 'metacortex_migrator', 'maintenance', $2, $3,
                         now() - make_interval(mins => $4), now() - make_interval(mins => $4))`,
                [jobid, status, message, minutesAgo],
            );
        await run("succeeded", 120, "1 row");
        await run("failed", 60, "ERROR: updated partition constraint for default partition would be violated");
        const failing = await check("pg_cron jobs");
        assert.equal(failing.status, "fail");
        assert.equal(failing.value, "metacortex-partman-app.habit_checkins: 1 failed run(s)");
        assert.match(failing.detail ?? "", /default partition would be violated/);
        await run("succeeded", 1, "1 row");
        assert.equal((await check("pg_cron jobs")).status, "ok");
    });

    it("default partitions: a row in one fails the check, naming the partition", async () => {
        // A table of its own, so the probe does not depend on what the real tables' constraints accept.
        await db.cluster.query(`SET ROLE metacortex_owner;
            CREATE TABLE app.probe_parts (at timestamptz NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE app.probe_parts_default PARTITION OF app.probe_parts DEFAULT;
            INSERT INTO app.probe_parts VALUES ('infinity');
            RESET ROLE`);
        try {
            const c = await check("default partitions empty");
            assert.deepEqual([c.status, c.value, c.metric?.value], ["fail", "app.probe_parts_default 1", 1]);
        } finally {
            await db.cluster.query("DROP TABLE app.probe_parts");
        }
        assert.equal((await check("default partitions empty")).status, "ok");
    });

    it("partitions premade ahead: warns one month short of pg_partman's premake, fails further behind", async () => {
        const future = async () =>
            (
                await db.cluster.query(`SELECT c.oid::regclass::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                    WHERE i.inhparent = 'app.habit_checkins'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
                      AND substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)')::timestamptz > now()
                    ORDER BY 1 DESC`)
            ).map((r) => r.name as string);
        const [{ premake }] = await db.cluster.query(
            "SELECT premake FROM app.partition_premake() WHERE parent_table = 'app.habit_checkins'",
        );
        // Maintenance may have premade more than premake (it counts from the partition it was run at).
        const ahead = await future();
        assert.ok(ahead.length >= premake, `${ahead.length} premade, premake ${premake}`);
        for (const name of ahead.slice(0, ahead.length - premake + 1)) await db.cluster.query(`DROP TABLE ${name}`);
        const warn = await check("partitions premade ahead");
        assert.deepEqual(
            [warn.status, warn.value.split(", ")[0]],
            ["warn", `app.habit_checkins ${premake - 1}/${premake}`],
        );
        await db.cluster.query(`DROP TABLE ${ahead[ahead.length - premake + 1]}`);
        assert.equal((await check("partitions premade ahead")).status, "fail");
        await db.cluster.query("SELECT partman.run_maintenance('app.habit_checkins', p_analyze := false)");
        assert.equal((await check("partitions premade ahead")).status, "ok", "maintenance premakes them again");
    });

    it("large objects: one fails the check, naming its owner", async () => {
        const [{ oid }] = await db.cluster.query("SELECT lo_from_bytea(0, 'x') AS oid");
        try {
            const c = await check("large objects");
            assert.deepEqual([c.status, c.value], ["fail", "1 owned by metacortex_admin"]);
        } finally {
            await db.cluster.query("SELECT lo_unlink($1)", [oid]);
        }
        assert.equal((await check("large objects")).status, "ok");
    });
});
