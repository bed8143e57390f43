/**
 * docs/orm-queries.md's SQLAlchemy snippets, run as the backend runs statements (psycopg2, tenant session, the app
 * role under row-level security) on a migrated and seeded PostgreSQL 15: each plan uses the index its `# plan:`
 * comment names (test/backend/docSnippets.py).
 */
import { strict as assert } from "assert";
import { dbmate } from "../../scripts/lib/local/migrations";
import { runPython } from "../../scripts/lib/local/python";
import { repoPath } from "../../scripts/lib/repo";
import { loadSeed } from "../../scripts/lib/seed/load";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("docs/orm-queries.md snippets on PostgreSQL 15", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        await loadSeed(db.cluster.connection(), {
            users: 300,
            tasksPerUser: 100,
            checkinDays: 30,
            asOf: Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`),
            seed: "snippets",
        });
        await db.cluster.query("VACUUM (ANALYZE)");
    });
    after(async () => db?.cluster.destroy());

    it("plans every snippet with the index its comment names", async () => {
        const env = { METACORTEX_ADMIN_URL: db.url("admin"), METACORTEX_APP_URL: db.url("app") };
        const result = await runPython([repoPath("test", "backend", "docSnippets.py")], env, [
            db.passwords.app,
            db.cluster.options.password,
        ]);
        const lines = result.stdout
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l));
        assert.ok(lines.length >= 8, result.stdout + result.stderr);
        for (const l of lines) assert.ok(l.ok, `${l.function}: expected ${l.expected}, planned ${l.plan}`);
        assert.equal(result.code, 0, result.stderr);
    });
});
