/**
 * The schema's maintenance promises on a real PostgreSQL 15 with every migration applied: habit check-ins partitioned
 * by month with pg_partman's scheduled maintenance, and the daily purge of soft-deleted rows.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("schema maintenance", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    const q = async (sql: string, params: unknown[] = []) => (await admin.query(sql, params)).rows;
    const rejects = (sql: string, pattern: RegExp, params: unknown[] = []) =>
        assert.rejects(admin.query(sql, params), pattern);
    let alice: string;

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        [{ id: alice }] = await q(
            "INSERT INTO app.users (email, display_name) VALUES ('alice@example.test', 'Alice') RETURNING id",
        );
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    describe("partitioned habit check-ins", () => {
        let habit: string;
        before(async () => {
            [{ id: habit }] = await q("INSERT INTO app.habits (user_id, name) VALUES ($1, 'Run') RETURNING id", [
                alice,
            ]);
        });

        it("routes each check-in to its month's partition", async () => {
            for (const at of ["2026-09-15 08:00+00", "2026-10-31 23:59:59+00", "2026-11-01 00:00+00"]) {
                const [row] = await q(
                    `INSERT INTO app.habit_checkins AS hc (user_id, habit_id, checked_at) VALUES ($1, $2, $3)
                     RETURNING hc.tableoid::regclass::text AS part, (SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c WHERE c.oid = hc.tableoid) AS bound`,
                    [alice, habit, at],
                );
                const month = at.slice(0, 7);
                assert.match(
                    row.bound,
                    new RegExp(`FROM \\('${month}-01 00:00:00\\+00'\\)`),
                    `${at} in ${row.part} (${row.bound})`,
                );
            }
        });

        it("prunes every other partition for a one-month range", async () => {
            const plan = await q(
                `EXPLAIN (FORMAT JSON) SELECT count(*) FROM app.habit_checkins
                                   WHERE user_id = $1 AND checked_at >= '2026-10-01' AND checked_at < '2026-11-01'`,
                [alice],
            );
            const text = JSON.stringify(plan);
            const scanned = [...new Set(text.match(/habit_checkins_[a-z0-9_]+/g) ?? [])].filter(
                (n) => !n.endsWith("_idx") && !n.endsWith("_pkey"),
            );
            assert.deepEqual(scanned.length, 1, `scans ${scanned.join(", ")}`);
        });

        it("has a default partition and four months premade ahead", async () => {
            const parts =
                await q(`SELECT pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                    WHERE i.inhparent = 'app.habit_checkins'::regclass`);
            assert.ok(
                parts.some((p) => p.bound === "DEFAULT"),
                "default partition",
            );
            const [ahead] = await q(`SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                      WHERE i.inhparent = 'app.habit_checkins'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
                                        AND substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)')::timestamptz > date_trunc('month', now())`);
            assert.ok(ahead.n >= 4, `${ahead.n} future months`);
        });

        it("the scheduled maintenance job recreates future partitions, owned by the owner", async () => {
            const [job] = await q(
                "SELECT command, username, schedule FROM cron.job WHERE jobname = 'metacortex-partman-app.habit_checkins'",
            );
            assert.equal(job.username, "metacortex_migrator");
            assert.equal(job.schedule, "7 * * * *");
            const future =
                await q(`SELECT c.oid::regclass::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                                     WHERE i.inhparent = 'app.habit_checkins'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
                                     ORDER BY substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)')::timestamptz DESC LIMIT 2`);
            for (const f of future) await q(`DROP TABLE ${f.name}`);
            // Run the job's own command as the job's own user, as pg_cron does.
            const migrator = db.client("migrator");
            await migrator.connect();
            try {
                await migrator.query(job.command);
            } finally {
                await migrator.end();
            }
            const recreated = await q(
                "SELECT c.oid::regclass::text AS name, pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE c.oid::regclass::text = ANY($1)",
                [future.map((f) => f.name)],
            );
            assert.deepEqual(recreated.map((r) => r.owner).sort(), ["metacortex_owner", "metacortex_owner"]);
        });

        it("is append-only for the app role: insert yes, update no", async () => {
            const app = db.client("app");
            await app.connect();
            try {
                await assert.rejects(
                    app.query("UPDATE app.habit_checkins SET value = 2"),
                    /permission denied for table habit_checkins/,
                );
                const grants = await q(
                    "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'metacortex_app' AND table_name = 'habit_checkins' ORDER BY 1",
                );
                assert.deepEqual(
                    grants.map((g) => g.privilege_type),
                    ["DELETE", "INSERT", "SELECT"],
                );
            } finally {
                await app.end();
            }
        });
    });

    describe("soft delete purge", () => {
        it("hard-deletes rows deleted more than the retention ago, keeps newer ones, and keeps orphaned subtasks", async () => {
            const [{ id: parent }] = await q(
                "INSERT INTO app.tasks (user_id, title, deleted_at) VALUES ($1, 'old parent', now() - interval '40 days') RETURNING id",
                [alice],
            );
            const [{ id: child }] = await q(
                "INSERT INTO app.tasks (user_id, title, parent_id) VALUES ($1, 'child', $2) RETURNING id",
                [alice, parent],
            );
            const [{ id: recent }] = await q(
                "INSERT INTO app.tasks (user_id, title, deleted_at) VALUES ($1, 'recent', now() - interval '5 days') RETURNING id",
                [alice],
            );
            const [{ id: oldNote }] = await q(
                "INSERT INTO app.notes (user_id, title, deleted_at) VALUES ($1, 'old', now() - interval '90 days') RETURNING id",
                [alice],
            );
            const result = await q("SELECT * FROM app.purge_soft_deleted(interval '30 days', 1)");
            const counts = Object.fromEntries(result.map((r) => [r.table_name, Number(r.purged)]));
            assert.ok(counts.tasks >= 1 && counts.notes >= 1, JSON.stringify(counts));
            assert.equal((await q("SELECT 1 FROM app.tasks WHERE id = $1", [parent])).length, 0);
            assert.equal((await q("SELECT 1 FROM app.notes WHERE id = $1", [oldNote])).length, 0);
            assert.equal((await q("SELECT 1 FROM app.tasks WHERE id = $1", [recent])).length, 1);
            assert.deepEqual(await q("SELECT parent_id FROM app.tasks WHERE id = $1", [child]), [{ parent_id: null }]);
            await rejects(
                "SELECT * FROM app.purge_soft_deleted(interval '1 hour')",
                /retention must be at least 1 day/,
            );
        });

        it("is scheduled daily after the backup window", async () => {
            const [job] = await q(
                "SELECT schedule, username FROM cron.job WHERE jobname = 'metacortex-purge-soft-deleted'",
            );
            assert.deepEqual(job, { schedule: "30 5 * * *", username: "metacortex_migrator" });
        });
    });
});
