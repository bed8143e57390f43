/** The schema's promises (keys and constraints), checked on a real PostgreSQL 15 with every migration applied. */
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
        it("refuses statuses and priorities outside their sets, and completion without done", async () => {
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
});
