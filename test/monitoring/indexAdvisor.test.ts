/**
 * `npm run advise:indexes` on a real server with pg_stat_statements and HypoPG: it finds the index a slow,
 * frequent statement is missing and estimates the gain, and suggests nothing for a statement its index already
 * serves. The candidate reading of plans is tested without a server.
 */
import { strict as assert } from "assert";
import { candidatesFromPlan, conditionColumns, sortColumns } from "../../scripts/lib/tuning/candidates";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("index advisor (HypoPG)", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    before(async () => {
        db = await databaseWithRoles();
        await db.cluster.query(`CREATE TABLE public.advisor_probe (id bigint PRIMARY KEY, user_id int NOT NULL, created_at timestamptz NOT NULL, payload text);
            INSERT INTO public.advisor_probe SELECT g, g % 2000, now() - g * interval '1 minute', repeat('x', 40) FROM generate_series(1, 100000) g;
            CREATE TABLE public.advisor_served (LIKE public.advisor_probe INCLUDING ALL);
            INSERT INTO public.advisor_served SELECT * FROM public.advisor_probe;
            CREATE INDEX ON public.advisor_served (user_id, created_at);
            ANALYZE public.advisor_probe; ANALYZE public.advisor_served;
            SELECT ext.pg_stat_statements_reset();`);
        const client = db.client("admin");
        await client.connect();
        try {
            for (let i = 0; i < 5; i++) {
                for (const t of ["advisor_probe", "advisor_served"])
                    await client.query(
                        `SELECT id, payload FROM public.${t} WHERE user_id = $1 ORDER BY created_at DESC LIMIT 10`,
                        [i * 7],
                    );
            }
        } finally {
            await client.end();
        }
    });
    after(async () => db?.cluster.destroy());

    it("suggests the missing index for the statement that needs it, with its estimated gain, and none for the served one", async () => {
        const result = await runScript("adviseIndexes.ts", ["--top", "20"], { DATABASE_URL: db.url("admin") });
        assert.equal(result.code, 0, result.stderr);
        const probe = result.stdout.split("\n").find((l) => l.includes("FROM public.advisor_probe"));
        assert.ok(probe, result.stdout);
        assert.match(probe, /CREATE INDEX CONCURRENTLY ON public\.advisor_probe \(user_id, created_at\)/);
        const gain = Number(/(\d+)%\s*$/.exec(probe)?.[1]);
        assert.ok(gain >= 50, `estimated gain ${gain}%`);
        const served = result.stdout.split("\n").find((l) => l.includes("FROM public.advisor_served"));
        assert.ok(served, result.stdout);
        assert.doesNotMatch(served, /CREATE INDEX/);
        assert.match(result.stdout, /with an index worth at least 20%/);
        // The workload above ran as the admin: the command says the advice is not yet about the app's statements.
        assert.match(result.stdout, /holds no statement of metacortex_app or metacortex_readonly yet/);
    });
});

describe("index advisor candidates (pure)", () => {
    it("reads equality, range and sort columns from plan conditions", () => {
        assert.deepEqual(
            conditionColumns("((t.user_id = $1) AND (t.deleted_at IS NULL) AND (t.completed_at >= (now() - $2)))"),
            {
                equality: ["user_id"],
                range: ["completed_at"],
            },
        );
        assert.deepEqual(conditionColumns("(status = ANY ('{todo,done}'::text[]))").equality, ["status"]);
        assert.deepEqual(sortColumns(["t.updated_at DESC", "t.id DESC"]), ["updated_at", "id"]);
        assert.deepEqual(sortColumns(["lower(t.name)"]), [], "an expression is no column");
        const plan = {
            "Node Type": "Limit",
            Plans: [
                {
                    "Node Type": "Sort",
                    "Sort Key": ["t.created_at DESC"],
                    Plans: [
                        { "Node Type": "Seq Scan", Schema: "app", "Relation Name": "t", Filter: "(t.user_id = $1)" },
                    ],
                },
            ],
        };
        assert.deepEqual(
            candidatesFromPlan(plan).map((c) => `${c.table}(${c.columns.join(",")})`),
            ["app.t(user_id,created_at)", "app.t(user_id)"],
        );
    });
});
