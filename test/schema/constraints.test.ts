/**
 * Data the schema refuses, written as the app role would write it (under row-level security): oversized password
 * hashes, runaway day lists, parent cycles and nesting past the cap, non-finite positions and dates, blank titles.
 * Each refusal names its constraint, so the backend can map it to a field error.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

const MAX_ANCESTORS = 64;
const MOVE = "UPDATE app.tasks SET parent_id = $2 WHERE user_id = $1 AND id = $3";
const BLANKS = ["   ", "\t\n", "\u00a0", " \u3000 ", "\u200b", "\ufeff"];

describe("data constraints", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let app: Client;
    let alice: string;
    const refusedBy = (constraint: string) => (e: { constraint?: string; message: string }) => {
        assert.equal(e.constraint, constraint, e.message);
        return true;
    };
    /** Runs statements as alice, in one transaction, on `client` (default: the app role). */
    async function asAlice<T>(fn: (c: Client) => Promise<T>, client = app): Promise<T> {
        await client.query("BEGIN");
        try {
            await client.query("SELECT app.set_tenant($1)", [alice]);
            const result = await fn(client);
            await client.query("COMMIT");
            return result;
        } catch (e) {
            await client.query("ROLLBACK");
            throw e;
        }
    }
    const run = (sql: string, params: unknown[] = []) => asAlice((c) => c.query(sql, params));
    const task = async (title: string, parent: string | null = null): Promise<string> =>
        (
            await run("INSERT INTO app.tasks (user_id, title, parent_id) VALUES ($1, $2, $3) RETURNING id", [
                alice,
                title,
                parent,
            ])
        ).rows[0].id;
    const setParent = (id: string, parent: string) => run(MOVE, [alice, parent, id]);

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        app = db.client("app");
        await app.connect();
        alice = (await app.query("SELECT app.sign_up('alice@example.test', 'Alice', 'UTC', NULL) AS id")).rows[0].id;
    });
    after(async () => {
        await app?.end();
        await db?.cluster.destroy();
    });

    it("validated every new constraint against the rows already there", async () => {
        const admin = db.client("admin");
        await admin.connect();
        try {
            const { rows } = await admin.query(
                `SELECT conname FROM pg_constraint WHERE NOT convalidated AND connamespace IN ('app'::regnamespace, 'audit'::regnamespace)`,
            );
            assert.deepEqual(rows, []);
        } finally {
            await admin.end();
        }
    });

    it("caps password hashes at 255 characters, through sign-up and updates alike", async () => {
        const argon2 = `$argon2id$v=19$m=65536,t=3,p=4$${"s".repeat(22)}$${"h".repeat(43)}`;
        await run("UPDATE app.users SET password_hash = $2 WHERE id = $1", [alice, argon2]);
        await assert.rejects(
            run("UPDATE app.users SET password_hash = $2 WHERE id = $1", [alice, "x".repeat(256)]),
            refusedBy("users_password_hash_check"),
        );
        await assert.rejects(
            app.query("SELECT app.sign_up('big@example.test', 'Big', 'UTC', repeat('x', 1000000))"),
            refusedBy("users_password_hash_check"),
        );
    });

    it("takes at most seven distinct week days, in a flat array", async () => {
        const habit = (name: string, days: string) =>
            run("INSERT INTO app.habits (user_id, name, days_of_week) VALUES ($1, $2, $3::smallint[])", [
                alice,
                name,
                days,
            ]);
        await habit("weekdays", "{1,2,3,4,5}");
        await habit("every day", "{7,6,5,4,3,2,1}");
        for (const days of ["{1,1}", "{1,2,3,4,5,6,7,1}", "{{1,2},{3,4}}"])
            await assert.rejects(habit(`bad ${days}`, days), refusedBy("habits_days_distinct_check"), days);
        await assert.rejects(
            run(
                "INSERT INTO app.habits (user_id, name, days_of_week) VALUES ($1, 'runaway', array_fill(1::smallint, ARRAY[1000000]))",
                [alice],
            ),
            refusedBy("habits_days_distinct_check"),
        );
    });

    it("refuses a task parent cycle of one, two and three tasks", async () => {
        const a = await task("a");
        const b = await task("b", a);
        await assert.rejects(setParent(a, b), refusedBy("tasks_parent_cycle_check"));
        const c = await task("c", b);
        await assert.rejects(setParent(a, c), refusedBy("tasks_parent_cycle_check"));
        await assert.rejects(setParent(a, a), refusedBy("tasks_parent_cycle_check"));
        // Moves that close no cycle are fine: c directly under a, then b under c.
        await setParent(c, a);
        await setParent(b, c);
    });

    it(`accepts a chain of ${MAX_ANCESTORS} ancestors and refuses one more`, async () => {
        let parent = await task("root");
        for (let i = 1; i < MAX_ANCESTORS; i++) parent = await task(`level ${i}`, parent);
        const deepest = await task(`level ${MAX_ANCESTORS}`, parent); // 64 ancestors
        await assert.rejects(task("one too deep", deepest), refusedBy("tasks_parent_depth_check"));
    });

    it("refuses the second of two concurrent moves that together would close a cycle", async () => {
        const a = await task("concurrent a");
        const b = await task("concurrent b");
        const other = db.client("app");
        await other.connect();
        try {
            await app.query("BEGIN");
            await app.query("SELECT app.set_tenant($1)", [alice]);
            await app.query(MOVE, [alice, b, a]); // a under b, not committed yet
            const second = asAlice((c) => c.query(MOVE, [alice, a, b]), other); // b under a
            second.catch(() => undefined);
            // The second move waits for the first (which holds b FOR SHARE) ...
            await waitFor("the second move to wait for a lock", async () => {
                const [{ n }] = await db.cluster.query(
                    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = 'metacortex_app' AND wait_event_type = 'Lock'",
                );
                return n > 0 ? true : undefined;
            });
            await app.query("COMMIT");
            // ... and then sees it.
            await assert.rejects(second, refusedBy("tasks_parent_cycle_check"));
        } finally {
            await other.end();
        }
    });

    it("refuses NaN and infinite positions, and infinite due and completion dates", async () => {
        for (const position of ["NaN", "Infinity", "-Infinity"])
            await assert.rejects(
                run("INSERT INTO app.tasks (user_id, title, position) VALUES ($1, 'p', $2)", [alice, position]),
                refusedBy("tasks_position_finite_check"),
                position,
            );
        for (const due of ["infinity", "-infinity"])
            await assert.rejects(
                run("INSERT INTO app.tasks (user_id, title, due_at) VALUES ($1, 'd', $2)", [alice, due]),
                refusedBy("tasks_due_at_finite_check"),
                due,
            );
        await assert.rejects(
            run("INSERT INTO app.tasks (user_id, title, status, completed_at) VALUES ($1, 'c', 'done', 'infinity')", [
                alice,
            ]),
            refusedBy("tasks_completed_at_finite_check"),
        );
        await run(
            "INSERT INTO app.tasks (user_id, title, position, due_at) VALUES ($1, 'fine', -1e300, '2030-01-01')",
            [alice],
        );
    });

    it("refuses blank titles and names, Unicode spaces and invisible characters included", async () => {
        const writes: Array<[string, string]> = [
            ["tasks_title_not_blank_check", "INSERT INTO app.tasks (user_id, title) VALUES ($1, $2)"],
            ["notes_title_not_blank_check", "INSERT INTO app.notes (user_id, title) VALUES ($1, $2)"],
            ["tags_name_not_blank_check", "INSERT INTO app.tags (user_id, name) VALUES ($1, $2)"],
            ["habits_name_not_blank_check", "INSERT INTO app.habits (user_id, name) VALUES ($1, $2)"],
            ["users_display_name_not_blank_check", "UPDATE app.users SET display_name = $2 WHERE id = $1"],
        ];
        for (const [constraint, sql] of writes)
            for (const blank of BLANKS)
                await assert.rejects(
                    run(sql, [alice, blank]),
                    refusedBy(constraint),
                    `${constraint}: ${JSON.stringify(blank)}`,
                );
        await run("INSERT INTO app.notes (user_id, title, body) VALUES ($1, '', 'a note without a title')", [alice]);
        await run("INSERT INTO app.tasks (user_id, title) VALUES ($1, ' \u00a0x ')", [alice]);
    });
});
