/** db:status and db:rollback on a database no migration ever ran on: they say so and leave it as empty as it was. */
import { strict as assert } from "assert";
import { readMigrations } from "../../scripts/lib/migrations/files";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("migrations on an empty database", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    before(async () => {
        db = await databaseWithRoles();
    });
    after(async () => {
        await db?.cluster.destroy();
    });

    it("db:rollback says there is nothing to roll back, db:status lists every migration pending, and neither creates dbmate's table", async () => {
        const env = { DATABASE_URL: db.url("migrator") };
        const [rollback, all, status] = await Promise.all([
            runScript("db.ts", ["rollback"], env),
            runScript("db.ts", ["rollback", "--all"], env),
            runScript("db.ts", ["status"], env),
        ]);
        for (const r of [rollback, all]) {
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /^db: nothing to roll back on localhost:\d+\/metacortex: no migration is applied$/m);
        }
        assert.equal(status.code, 0, status.stderr);
        assert.match(status.stdout, new RegExp(`^Applied: 0\\nPending: ${readMigrations().length}$`, "m"));
        const [{ t }] = await db.cluster.query("SELECT to_regclass('public.schema_migrations') AS t");
        assert.equal(t, null, "no public.schema_migrations left behind");
    });
});
