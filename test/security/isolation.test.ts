/**
 * Tenant isolation, as the app role, for every user-owned table the catalog lists (a new table joins the matrix by
 * existing; one without a fixture below fails the test until it gets one): SELECT, INSERT, UPDATE, DELETE against
 * the user's own rows, another user's rows, and with no user set.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

interface Ids {
    user: string;
    task: string;
    sub: string;
    note: string;
    note2: string;
    tag: string;
    habit: string;
}

/** One row per table for a user, inserted by the superuser; returns the ids. */
async function fixture(admin: Client, name: string): Promise<Ids> {
    const q = async (sql: string, p: unknown[]) => (await admin.query(sql, p)).rows[0]?.id as string;
    const user = await q(
        "INSERT INTO app.users (email, display_name, password_hash) VALUES ($1, $2, 'h') RETURNING id",
        [`${name}@example.test`, name],
    );
    const task = await q("INSERT INTO app.tasks (user_id, title) VALUES ($1, 'parent') RETURNING id", [user]);
    const sub = await q("INSERT INTO app.tasks (user_id, title, parent_id) VALUES ($1, 'child', $2) RETURNING id", [
        user,
        task,
    ]);
    const note = await q("INSERT INTO app.notes (user_id, title) VALUES ($1, 'n') RETURNING id", [user]);
    const note2 = await q("INSERT INTO app.notes (user_id, title) VALUES ($1, 'n2') RETURNING id", [user]);
    const tag = await q("INSERT INTO app.tags (user_id, name) VALUES ($1, 't') RETURNING id", [user]);
    await admin.query("INSERT INTO app.task_tags (user_id, task_id, tag_id) VALUES ($1, $2, $3)", [user, task, tag]);
    await admin.query("INSERT INTO app.note_tags (user_id, note_id, tag_id) VALUES ($1, $2, $3)", [user, note, tag]);
    const habit = await q("INSERT INTO app.habits (user_id, name) VALUES ($1, 'h') RETURNING id", [user]);
    await admin.query("INSERT INTO app.habit_checkins (user_id, habit_id) VALUES ($1, $2)", [user, habit]);
    return { user, task, sub, note, note2, tag, habit };
}

/** An INSERT of a fresh row owned by `owner` that references `ref`'s rows, per table. */
const INSERTS: Record<string, (owner: Ids, ref: Ids) => [string, unknown[]]> = {
    users: (o) => [
        "INSERT INTO app.users (id, email, display_name) VALUES ($1::uuid, 'x' || $1::text || '@example.test', 'x')",
        [o.user],
    ],
    tasks: (o, r) => ["INSERT INTO app.tasks (user_id, title, parent_id) VALUES ($1, 'x', $2)", [o.user, r.task]],
    notes: (o) => ["INSERT INTO app.notes (user_id, title) VALUES ($1, 'x')", [o.user]],
    tags: (o) => ["INSERT INTO app.tags (user_id, name) VALUES ($1, 'fresh')", [o.user]],
    task_tags: (o, r) => [
        "INSERT INTO app.task_tags (user_id, task_id, tag_id) VALUES ($1, $2, $3)",
        [o.user, r.sub, r.tag],
    ],
    note_tags: (o, r) => [
        "INSERT INTO app.note_tags (user_id, note_id, tag_id) VALUES ($1, $2, $3)",
        [o.user, r.note2, r.tag],
    ],
    habits: (o) => ["INSERT INTO app.habits (user_id, name) VALUES ($1, 'fresh')", [o.user]],
    habit_checkins: (o, r) => ["INSERT INTO app.habit_checkins (user_id, habit_id) VALUES ($1, $2)", [o.user, r.habit]],
};

describe("row-level security: isolation matrix (app role)", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    let app: Client;
    let alice: Ids;
    let bob: Ids;
    let tables: Array<{ table: string; key: string }>;

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        alice = await fixture(admin, "alice");
        bob = await fixture(admin, "bob");
        app = db.client("app");
        await app.connect();
        // Every table (not partition) in app with a user_id column, plus users (keyed by id): from the catalog.
        tables = (
            await admin.query(`
            SELECT c.relname AS table, CASE WHEN c.relname = 'users' THEN 'id' ELSE 'user_id' END AS key
              FROM pg_class c
             WHERE c.relnamespace = 'app'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND (c.relname = 'users' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id'))
             ORDER BY 1`)
        ).rows;
    });
    after(async () => {
        await app?.end();
        await admin?.end();
        await db?.cluster.destroy();
    });

    /** Runs fn in a transaction as the app role with app.user_id = user (or unset), always rolled back. */
    async function as<T>(user: string | null, fn: () => Promise<T>): Promise<T> {
        await app.query("BEGIN");
        try {
            if (user) await app.query("SELECT app.set_tenant($1)", [user]);
            return await fn();
        } finally {
            await app.query("ROLLBACK");
        }
    }

    it("covers every user-owned table in the catalog", () => {
        assert.ok(tables.length >= 8, tables.map((t) => t.table).join(", "));
        const missing = tables.filter((t) => !INSERTS[t.table]).map((t) => t.table);
        assert.deepEqual(missing, [], "a new user-owned table needs a fixture in INSERTS");
    });

    it("SELECT: own rows visible, other users' invisible, none without a user", async () => {
        for (const { table, key } of tables) {
            const own = await as(
                alice.user,
                async () => (await app.query(`SELECT ${key} AS owner FROM app.${table}`)).rows,
            );
            assert.ok(own.length > 0, `${table}: own rows visible`);
            assert.ok(
                own.every((r) => r.owner === alice.user),
                `${table}: only own rows`,
            );
            const other = await as(
                alice.user,
                async () =>
                    (await app.query(`SELECT count(*)::int AS n FROM app.${table} WHERE ${key} = $1`, [bob.user]))
                        .rows[0].n,
            );
            assert.equal(other, 0, `${table}: another user's rows`);
            const none = await as(
                null,
                async () => (await app.query(`SELECT count(*)::int AS n FROM app.${table}`)).rows[0].n,
            );
            assert.equal(none, 0, `${table}: no user set`);
        }
    });

    it("UPDATE and DELETE: other users' rows and no-user sessions affect 0 rows; own rows are affected", async () => {
        for (const { table, key } of tables) {
            const appendOnly = table === "habit_checkins";
            for (const [label, user, target] of [
                ["other", alice.user, bob.user],
                ["no user", null, alice.user],
            ] as const) {
                if (!appendOnly) {
                    const n = await as(
                        user,
                        async () =>
                            (await app.query(`UPDATE app.${table} SET ${key} = ${key} WHERE ${key} = $1`, [target]))
                                .rowCount,
                    );
                    assert.equal(n, 0, `${table}: UPDATE ${label}`);
                }
                const d = await as(
                    user,
                    async () => (await app.query(`DELETE FROM app.${table} WHERE ${key} = $1`, [target])).rowCount,
                );
                assert.equal(d, 0, `${table}: DELETE ${label}`);
            }
            if (appendOnly) {
                await assert.rejects(
                    as(alice.user, () => app.query(`UPDATE app.${table} SET value = 2`)),
                    /permission denied/,
                );
            } else {
                const own = await as(
                    alice.user,
                    async () =>
                        (await app.query(`UPDATE app.${table} SET ${key} = ${key} WHERE ${key} = $1`, [alice.user]))
                            .rowCount,
                );
                assert.ok((own ?? 0) > 0, `${table}: UPDATE own`);
            }
            const ownDelete = await as(
                alice.user,
                async () => (await app.query(`DELETE FROM app.${table} WHERE ${key} = $1`, [alice.user])).rowCount,
            );
            assert.ok((ownDelete ?? 0) > 0, `${table}: DELETE own`);
        }
    });

    it("INSERT: refuses a row for another user, and a row of one's own that references another user's row", async () => {
        for (const { table } of tables) {
            const [otherSql, otherParams] = INSERTS[table](bob, bob);
            await assert.rejects(
                as(alice.user, () => app.query(otherSql, otherParams)),
                /row-level security/,
                `${table}: insert as another user`,
            );
            const [noneSql, noneParams] = INSERTS[table](alice, alice);
            await assert.rejects(
                as(null, () => app.query(noneSql, noneParams)),
                /row-level security/,
                `${table}: insert with no user`,
            );
            const [ownSql, ownParams] = INSERTS[table](alice, alice);
            if (table !== "users") await as(alice.user, () => app.query(ownSql, ownParams)); // the fixture itself is valid
        }
        // References across users: the composite foreign keys refuse them (RLS hides the row first for the app).
        for (const table of ["tasks", "task_tags", "note_tags", "habit_checkins"]) {
            const [sql, params] = INSERTS[table](alice, bob);
            await assert.rejects(
                as(alice.user, () => app.query(sql, params)),
                /foreign key|row-level security/,
                `${table}: reference to another user's row`,
            );
        }
    });

    it("refuses direct access to a partition, around the parent's policies", async () => {
        const [part] = (
            await admin.query(
                "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'app.habit_checkins'::regclass LIMIT 1",
            )
        ).rows;
        await assert.rejects(
            as(alice.user, () => app.query(`SELECT * FROM ${part.name}`)),
            /permission denied/,
        );
    });

    it("a soft delete still works under RLS, and the row then leaves the live view", async () => {
        const n = await as(alice.user, async () => {
            const updated = (
                await app.query("UPDATE app.tasks SET deleted_at = now() WHERE user_id = $1 AND id = $2", [
                    alice.user,
                    alice.task,
                ])
            ).rowCount;
            const live = (await app.query("SELECT count(*)::int AS n FROM app.open_tasks WHERE id = $1", [alice.task]))
                .rows[0].n;
            return { updated, live };
        });
        assert.deepEqual(n, { updated: 1, live: 0 });
    });

    it("treats an empty app.user_id (left by app.set_tenant on a pooled connection) as no user, without an error", async () => {
        await app.query("BEGIN");
        await app.query("SELECT app.set_tenant($1)", [alice.user]);
        await app.query("COMMIT");
        const { rows } = await app.query(
            "SELECT current_setting('app.user_id', true) AS v, (SELECT count(*)::int FROM app.tasks) AS n",
        );
        assert.deepEqual(rows[0], { v: "", n: 0 });
    });

    it("lets the app in before login only through the SECURITY DEFINER functions", async () => {
        const found = await as(
            null,
            async () => (await app.query("SELECT * FROM app.find_user_for_login('ALICE@example.test')")).rows,
        );
        assert.deepEqual(found, [{ id: alice.user, password_hash: "h" }]);
        const created = await as(
            null,
            async () =>
                (await app.query("SELECT app.sign_up('carol@example.test', 'Carol', 'Asia/Tokyo', 'ph') AS id")).rows[0]
                    .id,
        );
        assert.match(created, /^[0-9a-f-]{36}$/);
        const defs = (
            await admin.query(
                `SELECT p.proname, p.prosecdef, p.proconfig FROM pg_proc p WHERE p.pronamespace IN ('app'::regnamespace, 'audit'::regnamespace) AND p.prosecdef ORDER BY 1`,
            )
        ).rows;
        // The health check's read-only functions are SECURITY DEFINER too, executable by the monitor role alone.
        assert.deepEqual(
            defs.map((d) => d.proname),
            [
                "cron_job_runs",
                "default_partition_rows",
                "find_user_for_login",
                "partition_premake",
                "record_change",
                "sign_up",
            ],
        );
        for (const d of defs)
            assert.ok(
                (d.proconfig ?? []).some((c: string) => c.startsWith("search_path=")),
                `${d.proname} pins search_path`,
            );
    });
});
