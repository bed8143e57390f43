/** The schema's promises, checked on a real PostgreSQL 15 with every migration applied. */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("schema behaviour", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    const q = async (sql: string, params: unknown[] = []) => (await admin.query(sql, params)).rows;
    const rejects = (sql: string, pattern: RegExp, params: unknown[] = []) =>
        assert.rejects(admin.query(sql, params), pattern);
    let alice: string;
    let bob: string;

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        [{ id: alice }] = await q(
            "INSERT INTO app.users (email, display_name) VALUES ('alice@example.test', 'Alice') RETURNING id",
        );
        [{ id: bob }] = await q(
            "INSERT INTO app.users (email, display_name, time_zone) VALUES ('bob@example.test', 'Bob', 'Europe/Berlin') RETURNING id",
        );
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    describe("keys", () => {
        it("generates UUIDv7 keys: version 7, RFC variant, creation time embedded, distinct and time-ordered", async () => {
            const rows = await q(
                "SELECT app.uuid_generate_v7()::text AS id, clock_timestamp() AS at FROM generate_series(1, 2000)",
            );
            const ids = rows.map((r) => r.id as string);
            assert.equal(new Set(ids).size, ids.length);
            for (const id of ids)
                assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
            const [t] = await q("SELECT abs(extract(epoch FROM app.uuid_v7_timestamp($1::uuid) - now())) AS skew", [
                ids[0],
            ]);
            assert.ok(Number(t.skew) < 5, `embedded time ${t.skew}s from now`);
            // Time (48 bits) plus the sub-millisecond fraction (12 bits, after the version nibble) never go backwards:
            // ids made one after another sort in creation order, even within one millisecond.
            const prefix = ids.map((id) => {
                const h = id.replace(/-/g, "");
                return h.slice(0, 12) + h.slice(13, 16);
            });
            for (let i = 1; i < prefix.length; i++)
                assert.ok(prefix[i] >= prefix[i - 1], `id ${i} sorts before id ${i - 1}`);
            const strictlyIncreasing = prefix.filter((p, i) => i > 0 && p > prefix[i - 1]).length;
            assert.ok(
                strictlyIncreasing > prefix.length * 0.5,
                `${strictlyIncreasing} of ${prefix.length} steps increase: the fraction moves within a ms`,
            );
        });

        it("refuses a subtask whose parent is another user's task (composite foreign key)", async () => {
            const [{ id: bobTask }] = await q(
                "INSERT INTO app.tasks (user_id, title) VALUES ($1, 'bob''s') RETURNING id",
                [bob],
            );
            await rejects(
                "INSERT INTO app.tasks (user_id, title, parent_id) VALUES ($1, 'sneaky', $2)",
                /tasks_parent_fkey/,
                [alice, bobTask],
            );
        });

        it("refuses tagging a task with another user's tag", async () => {
            const [{ id: task }] = await q(
                "INSERT INTO app.tasks (user_id, title) VALUES ($1, 'a task') RETURNING id",
                [alice],
            );
            const [{ id: bobTag }] = await q(
                "INSERT INTO app.tags (user_id, name) VALUES ($1, 'bob-only') RETURNING id",
                [bob],
            );
            await rejects(
                "INSERT INTO app.task_tags (user_id, task_id, tag_id) VALUES ($1, $2, $3)",
                /task_tags_tag_fkey/,
                [alice, task, bobTag],
            );
            await rejects(
                "INSERT INTO app.task_tags (user_id, task_id, tag_id) VALUES ($1, $2, $3)",
                /task_tags_task_fkey/,
                [bob, task, bobTag],
            );
        });

        it("has an index whose leading columns cover every foreign key", async () => {
            const unsupported = await q(`
                SELECT c.conrelid::regclass AS tbl, c.conname
                  FROM pg_constraint c
                 WHERE c.contype = 'f' AND c.connamespace = 'app'::regnamespace AND c.conparentid = 0
                   AND NOT EXISTS (
                       SELECT 1 FROM pg_index i
                        WHERE i.indrelid = c.conrelid
                          AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                          AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)`);
            assert.deepEqual(unsupported, []);
        });
    });

    describe("constraints", () => {
        it("rejects statuses and priorities outside their sets, and completion without done", async () => {
            await rejects(
                "INSERT INTO app.tasks (user_id, title, status) VALUES ($1, 't', 'someday')",
                /tasks_status_check/,
                [alice],
            );
            await rejects(
                "INSERT INTO app.tasks (user_id, title, priority) VALUES ($1, 't', 0)",
                /tasks_priority_check/,
                [alice],
            );
            await rejects(
                "INSERT INTO app.tasks (user_id, title, priority) VALUES ($1, 't', 5)",
                /tasks_priority_check/,
                [alice],
            );
            await rejects(
                "INSERT INTO app.tasks (user_id, title, status) VALUES ($1, 't', 'done')",
                /tasks_completed_check/,
                [alice],
            );
            await rejects("INSERT INTO app.tasks (user_id, title) VALUES ($1, '')", /tasks_title_check/, [alice]);
        });

        it("lets a soft-deleted tag's name be reused, but not a live one's (case-insensitively)", async () => {
            const [{ id }] = await q("INSERT INTO app.tags (user_id, name) VALUES ($1, 'Work') RETURNING id", [alice]);
            await rejects("INSERT INTO app.tags (user_id, name) VALUES ($1, 'work')", /tags_name_key/, [alice]);
            await q("UPDATE app.tags SET deleted_at = now() WHERE user_id = $1 AND id = $2", [alice, id]);
            await q("INSERT INTO app.tags (user_id, name) VALUES ($1, 'work')", [alice]);
            await q("INSERT INTO app.tags (user_id, name) VALUES ($1, 'Work')", [bob]); // another user's namespace
        });

        it("keeps email unique case-insensitively among live users and validates the time zone", async () => {
            await rejects(
                "INSERT INTO app.users (email, display_name) VALUES ('ALICE@example.test', 'x')",
                /users_email_key/,
            );
            await rejects(
                "INSERT INTO app.users (email, display_name, time_zone) VALUES ('c@example.test', 'C', 'Mars/Base')",
                /time zone "Mars\/Base" not recognized/,
            );
        });

        it("maintains updated_at on real changes only", async () => {
            const [task] = await q(
                "INSERT INTO app.tasks (user_id, title, updated_at) VALUES ($1, 'clock', now() - interval '1 day') RETURNING id, updated_at",
                [alice],
            );
            await q("UPDATE app.tasks SET title = title WHERE user_id = $1 AND id = $2", [alice, task.id]);
            assert.equal(
                (await q("SELECT updated_at FROM app.tasks WHERE id = $1", [task.id]))[0].updated_at.getTime(),
                task.updated_at.getTime(),
                "no-op update keeps it",
            );
            await q("UPDATE app.tasks SET title = 'clock 2' WHERE user_id = $1 AND id = $2", [alice, task.id]);
            assert.ok(
                (await q("SELECT updated_at FROM app.tasks WHERE id = $1", [task.id]))[0].updated_at > task.updated_at,
            );
        });
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
