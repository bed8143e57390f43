/**
 * Each task filter uses the index designed for it, on a seeded database (db:seed), as the app role would run it.
 * Also the seeder's promises: expected row counts, and the same --seed gives the same data.
 */
import { strict as assert } from "assert";
import { parametersFor, PARAMETER_SQL, QUERIES, type QueryParameters } from "../../postgres/queries";
import { dbmate } from "../../scripts/lib/local/migrations";
import { expectedCounts } from "../../scripts/lib/seed/load";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

const SEED = { users: 400, tasksPerUser: 150, checkinDays: 60, asOf: "2026-11-01", seed: "plans" };
const seedArgs = (s = SEED) => [
    "--users",
    String(s.users),
    "--tasks-per-user",
    String(s.tasksPerUser),
    "--checkin-days",
    String(s.checkinDays),
    "--as-of",
    s.asOf,
    "--seed",
    s.seed,
];

/** A fingerprint of every app table's contents, order-independent. */
const FINGERPRINT = `SELECT string_agg(t || ':' || h, ',' ORDER BY t) AS f FROM (
  SELECT 'users' AS t, md5(string_agg(x::text, '' ORDER BY x::text)) AS h FROM app.users x UNION ALL
  SELECT 'tasks', md5(string_agg(x::text, '' ORDER BY x::text)) FROM app.tasks x UNION ALL
  SELECT 'task_tags', md5(string_agg(x::text, '' ORDER BY x::text)) FROM app.task_tags x UNION ALL
  SELECT 'notes', md5(string_agg(x::text, '' ORDER BY x::text)) FROM app.notes x UNION ALL
  SELECT 'habit_checkins', md5(string_agg(x::text, '' ORDER BY x::text)) FROM app.habit_checkins x) s`;

describe("seeded database: seeding and query plans", function () {
    this.timeout(300_000);
    let db: TestDatabase;
    let firstFingerprint: string;
    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        const seeded = await runScript("seed.ts", seedArgs(), { DATABASE_URL: db.url("admin") });
        assert.equal(seeded.code, 0, seeded.stderr);
        [{ f: firstFingerprint }] = await db.cluster.query(FINGERPRINT);
    });
    after(async () => db?.cluster.destroy());

    it("db:seed loads exactly the rows the generator plans, with progress and a summary", async () => {
        const expected = expectedCounts({ ...SEED, asOf: Date.parse(`${SEED.asOf}T00:00:00Z`) });
        assert.equal(expected.users, SEED.users);
        for (const [table, n] of Object.entries(expected)) {
            const [{ count }] = await db.cluster.query(`SELECT count(*)::int AS count FROM app.${table}`);
            assert.equal(count, n, table);
        }
        assert.ok(
            expected.tasks > SEED.users * SEED.tasksPerUser * 0.8 &&
                expected.tasks < SEED.users * SEED.tasksPerUser * 1.2,
            `tasks ${expected.tasks}`,
        );
    });

    it("gives the same data for the same --seed, and different data for another", async () => {
        // A second, small database: seed it with the same arguments as the first (same rows), then another seed.
        const small = { ...SEED, users: 60 };
        const other = await databaseWithRoles();
        try {
            await dbmate(other.url("migrator"), "migrate");
            const fingerprint = async (args: string[]) => {
                const r = await runScript("seed.ts", [...args, "--replace"], { DATABASE_URL: other.url("admin") });
                assert.equal(r.code, 0, r.stderr);
                return (await other.cluster.query(FINGERPRINT))[0].f as string;
            };
            const a = await fingerprint(seedArgs(small));
            assert.equal(await fingerprint(seedArgs(small)), a, "same seed, same data");
            assert.notEqual(await fingerprint(seedArgs({ ...small, seed: "other" })), a, "another seed, other data");
        } finally {
            await other.cluster.destroy();
        }
        assert.ok(firstFingerprint.includes("tasks:"));
    });

    it("refuses to seed over existing users without --replace, and bad flags, with one line each", async () => {
        const over = await runScript("seed.ts", seedArgs(), { DATABASE_URL: db.url("admin") });
        assert.equal(over.code, 1);
        assert.match(over.stderr.trim(), /^seed: the database already has users; pass --replace/);
        const bad = await runScript("seed.ts", ["--users", "many"], { DATABASE_URL: db.url("admin") });
        assert.deepEqual(
            [bad.code, bad.stderr.trim()],
            [2, "seed: --users must be a whole number from 1 to 10000000, got many"],
        );
        const url = await runScript("seed.ts", ["--users", "1"], { DATABASE_URL: "http://example.test/db" });
        assert.deepEqual(
            [url.code, url.stderr.trim()],
            [2, "seed: DATABASE_URL must start with postgres:// or postgresql://, got http://"],
        );
    });

    it("the policy alone narrows by tenant through a user_id index: app.current_tenant() is an initPlan", async () => {
        const [{ user_id: user }] = await db.cluster.query("SELECT user_id FROM app.tasks LIMIT 1");
        const app = db.client("app");
        await app.connect();
        try {
            await app.query("BEGIN");
            await app.query("SELECT app.set_tenant($1)", [user]);
            // No user_id in the query: only the policy's (SELECT app.current_tenant()) can reach the index.
            const [row] = (await app.query("EXPLAIN (VERBOSE, FORMAT JSON) SELECT id FROM app.tasks")).rows;
            const plan = JSON.stringify(row["QUERY PLAN"]);
            assert.match(
                plan,
                /"Subplan Name":"InitPlan 1 \(returns \$0\)"[^}]*"Output":\["(app\.)?current_tenant\(\)"\]/,
            );
            assert.match(plan, /"Index Name":"tasks_[a-z_]+"[^}]*"Index Cond":"\(tasks.user_id = \$0\)"/);
            await app.query("COMMIT");
        } finally {
            await app.end();
        }
    });

    describe("each task filter uses its index", () => {
        let params: QueryParameters;
        before(async () => {
            // The busiest user that has every kind of row the queries need.
            const [user] = await db.cluster.query(`SELECT t.user_id FROM app.tasks t
                WHERE EXISTS (SELECT 1 FROM app.habit_checkins c WHERE c.user_id = t.user_id)
                  AND EXISTS (SELECT 1 FROM app.task_tags x WHERE x.user_id = t.user_id)
                  AND EXISTS (SELECT 1 FROM app.notes n WHERE n.user_id = t.user_id AND n.title <> '')
                GROUP BY t.user_id ORDER BY count(*) DESC LIMIT 1`);
            const [p] = await db.cluster.query(PARAMETER_SQL, [user.user_id]);
            params = {
                userId: user.user_id,
                tagId: p.tag_id,
                parentId: p.parent_id,
                taskWord: p.task_word,
                noteWord: p.note_word,
                checkinDay: p.checkin_day.toISOString(),
            };
            for (const [k, v] of Object.entries(params)) assert.ok(v, `fixture: ${k}`);
        });
        for (const query of QUERIES) {
            it(`${query.name}: ${query.purpose} -> ${query.index}`, async () => {
                const app = db.client("app");
                await app.connect();
                try {
                    // Row-level security: the app role sees only the tenant set for this transaction.
                    await app.query("BEGIN");
                    await app.query("SELECT app.set_tenant($1)", [params.userId]);
                    const [row] = (
                        await app.query(`EXPLAIN (FORMAT JSON) ${query.sql}`, parametersFor(query.name, params))
                    ).rows;
                    const plan = JSON.stringify(row["QUERY PLAN"]);
                    // On a partitioned table the plan names each partition's copy of an index: map it to its parent.
                    const used = [...plan.matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]);
                    const parents = await db.cluster.query(
                        `SELECT c.relname AS name, coalesce(p.relname, c.relname) AS parent FROM pg_class c
                           LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
                          WHERE c.relname = ANY($1)`,
                        [used],
                    );
                    const accepted = [query.index, ...(query.alsoAccepted ?? [])];
                    assert.ok(
                        parents.some((r) => accepted.includes(r.parent)),
                        `expected ${accepted.join(" or ")} in\n${plan}`,
                    );
                    assert.ok(
                        !/"Node Type":"Seq Scan","Parent Relationship":"[^"]+","Parallel Aware":(true|false),"Async Capable":(true|false),"Relation Name":"tasks"/.test(
                            plan,
                        ),
                        "no sequential scan of tasks",
                    );
                    const rows = (await app.query(query.sql, parametersFor(query.name, params))).rows;
                    assert.ok(rows.length > 0, "the query returns rows for this user");
                    await app.query("COMMIT");
                } finally {
                    await app.end();
                }
            });
        }
    });
});
