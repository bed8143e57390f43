/**
 * The tenant is bound to the transaction: app.set_tenant() sets it for the current transaction only, and a value of
 * app.user_id left at session level (SET, set_config(..., false)), or copied there from an earlier transaction,
 * gives no rows, no writes and no audited actor.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("tenant context bound to the transaction", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    let alice: string;
    let bob: string;
    const fresh = async (role = "app") => {
        const c = db.client(role);
        await c.connect();
        return c;
    };
    const tasks = async (c: Client) => (await c.query("SELECT user_id FROM app.tasks")).rows.map((r) => r.user_id);

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = await fresh("admin");
        const user = async (name: string) => {
            const id = (
                await admin.query(
                    "INSERT INTO app.users (email, display_name) VALUES ($1 || '@example.test', $1) RETURNING id",
                    [name],
                )
            ).rows[0].id as string;
            await admin.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, 'mine')", [id]);
            return id;
        };
        alice = await user("alice");
        bob = await user("bob");
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("app.set_tenant gives the tenant's rows for every statement of its transaction, and nothing after COMMIT", async () => {
        const app = await fresh();
        try {
            await app.query("BEGIN");
            await app.query("SELECT app.set_tenant($1)", [alice]);
            assert.deepEqual(await tasks(app), [alice]);
            await app.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, 'second')", [alice]);
            assert.deepEqual(await tasks(app), [alice, alice]);
            await app.query("ROLLBACK");
            assert.deepEqual(await tasks(app), [], "nothing after the transaction");
            // Outside an explicit transaction each statement is its own transaction: the call holds for itself alone.
            await app.query("SELECT app.set_tenant($1)", [alice]);
            assert.deepEqual(await tasks(app), []);
            await assert.rejects(app.query("SELECT app.set_tenant(NULL)"), /p_user_id must be a user id, got NULL/);
        } finally {
            await app.end();
        }
    });

    for (const [how, sql] of [
        ["set_config(..., false)", "SELECT set_config('app.user_id', $1, false)"],
        ["SET", "SET app.user_id = '$1'"],
    ] as const) {
        it(`a tenant left at session level with ${how} gives no rows and no writes (app and readonly)`, async () => {
            for (const role of ["app", "readonly"]) {
                const c = await fresh(role);
                try {
                    if (how === "SET") await c.query(sql.replace("$1", alice));
                    else await c.query(sql, [alice]);
                    assert.equal((await c.query("SELECT current_setting('app.user_id') AS v")).rows[0].v, alice);
                    assert.deepEqual(await tasks(c), [], `${role}: no rows in autocommit`);
                    await c.query("BEGIN");
                    assert.deepEqual(await tasks(c), [], `${role}: no rows in a transaction`);
                    await c.query("COMMIT");
                    if (role !== "app") continue;
                    const updated = await c.query("UPDATE app.tasks SET title = 'x' WHERE user_id = $1", [alice]);
                    assert.equal(updated.rowCount, 0, "no update");
                    await assert.rejects(
                        c.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, 'x')", [alice]),
                        /row-level security/,
                    );
                } finally {
                    await c.end();
                }
            }
        });
    }

    it("a tenant and marker copied to session level are refused in every later transaction", async () => {
        const app = await fresh();
        try {
            await app.query("BEGIN");
            await app.query("SELECT app.set_tenant($1)", [bob]);
            await app.query(`SELECT set_config('app.user_id', current_setting('app.user_id'), false),
                                    set_config('app.tenant_txn', current_setting('app.tenant_txn'), false)`);
            await app.query("COMMIT");
            const left = (await app.query("SELECT current_setting('app.tenant_txn') AS m")).rows[0].m;
            assert.match(left, /^\d+$/, "the marker is still there at session level");
            for (let i = 0; i < 20; i++) assert.deepEqual(await tasks(app), [], `transaction ${i}`);
        } finally {
            await app.end();
        }
    });

    it("audits no actor for a write whose transaction did not call app.set_tenant", async () => {
        // The superuser bypasses row-level security, so its write happens; the leftover must not be named as actor.
        await admin.query("SELECT set_config('app.user_id', $1, false)", [alice]);
        await admin.query("UPDATE app.tasks SET title = 'by maintenance' WHERE user_id = $1", [alice]);
        await admin.query("RESET app.user_id");
        const [entry] = (
            await admin.query(
                "SELECT app_user_id, operation FROM audit.row_changes WHERE user_id = $1 ORDER BY seq DESC LIMIT 1",
                [alice],
            )
        ).rows;
        assert.deepEqual(entry, { app_user_id: null, operation: "UPDATE" });
        await admin.query("BEGIN");
        await admin.query("SELECT app.set_tenant($1)", [alice]);
        await admin.query("UPDATE app.tasks SET title = 'by alice' WHERE user_id = $1", [alice]);
        await admin.query("COMMIT");
        const [named] = (
            await admin.query(
                "SELECT app_user_id FROM audit.row_changes WHERE user_id = $1 ORDER BY seq DESC LIMIT 1",
                [alice],
            )
        ).rows;
        assert.equal(named.app_user_id, alice, "set in the transaction: named");
    });
});
