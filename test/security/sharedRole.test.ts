/**
 * What PostgreSQL 15 lets any session of a role shared by all tenants do to the others, shown on a real server so
 * the threat model's mitigations stay true: other sessions' query text is visible but carries no bind values,
 * backends of one's own role can be signalled, and EXPLAIN's estimates come from statistics over every tenant.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("a role shared by all tenants: what cannot be prevented", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let alice: string;
    const connect = async (role = "app") => {
        const c = db.client(role);
        c.on("error", () => undefined);
        await c.connect();
        return c;
    };

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        [{ id: alice }] = await db.cluster.query(
            "INSERT INTO app.users (email, display_name) VALUES ('alice@example.test', 'Alice') RETURNING id",
        );
        await db.cluster.query(
            "INSERT INTO app.tasks (user_id, title) SELECT $1, 'task ' || g FROM generate_series(1, 500) g",
            [alice],
        );
        await db.cluster.query("ANALYZE app.tasks");
    });
    after(async () => db?.cluster.destroy());

    it("another app session reads a parameterized statement's text in pg_stat_activity, but not its bind values", async () => {
        const [victim, observer] = [await connect(), await connect()];
        const secret = "alice's private note";
        try {
            const running = victim.query("SELECT pg_sleep(1.5), $1::text AS note", [secret]);
            const seen = await waitFor("the statement in pg_stat_activity", async () => {
                const r = await observer.query(
                    "SELECT query FROM pg_stat_activity WHERE usename = 'metacortex_app' AND query LIKE 'SELECT pg_sleep%'",
                );
                return r.rows[0]?.query as string | undefined;
            });
            assert.equal(seen, "SELECT pg_sleep(1.5), $1::text AS note");
            await running;
        } finally {
            await victim.end();
            await observer.end();
        }
    });

    it("an app session can cancel another app session's statement (same role: PostgreSQL allows it)", async () => {
        const [victim, other] = [await connect(), await connect()];
        try {
            const pid = (await victim.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
            const running = victim.query("SELECT pg_sleep(10)");
            await waitFor("the victim to be active", async () => {
                const r = await other.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [pid]);
                return r.rows[0]?.state === "active" ? true : undefined;
            });
            assert.equal((await other.query("SELECT pg_cancel_backend($1) AS ok", [pid])).rows[0].ok, true);
            await assert.rejects(running, /canceling statement due to user request/);
            // Other roles' backends are out of reach.
            const readonly = await connect("readonly");
            const roPid = (await readonly.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
            await assert.rejects(
                other.query("SELECT pg_terminate_backend($1)", [roPid]),
                /must be a member of the role whose process is being terminated/,
            );
            await readonly.end();
        } finally {
            await victim.end();
            await other.end();
        }
    });

    it("EXPLAIN under row-level security estimates from every tenant's statistics; pg_stats hides them", async () => {
        const app: Client = await connect();
        try {
            await app.query("BEGIN");
            // Another user's transaction: this tenant has no rows, yet the estimate counts alice's 500.
            await app.query("SELECT app.set_tenant(gen_random_uuid())");
            const [plan] = (await app.query("EXPLAIN (FORMAT JSON) SELECT * FROM app.tasks WHERE title LIKE 'task%'"))
                .rows;
            const rowsEstimate = JSON.stringify(plan["QUERY PLAN"]);
            assert.equal((await app.query("SELECT count(*)::int AS n FROM app.tasks")).rows[0].n, 0);
            const estimate = Number(/"Plan Rows":(\d+)/.exec(rowsEstimate)?.[1]);
            assert.ok(estimate > 100, `estimated ${estimate} rows for a tenant that has none`);
            const stats = await app.query("SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'tasks'");
            assert.equal(stats.rows[0].n, 0, "pg_stats leaves out tables under row-level security");
            await app.query("ROLLBACK");
        } finally {
            await app.end();
        }
    });
});
