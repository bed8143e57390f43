/**
 * Migrations on a real PostgreSQL 15: from empty, squawk, the committed dump, and the round trip: every migration's
 * down restores exactly the schema that the migrations before it produce, and up again reproduces it.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DATABASE_DOCS } from "../../scripts/lib/docs/generatedDocs";
import { appliedVersions, dbmate, dumpSchema, MIGRATIONS_DIR, SCHEMA_FILE } from "../../scripts/lib/local/migrations";
import { ROOT } from "../harness/stack";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

const migrations = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort();

describe("migrations", function () {
    this.timeout(300_000);
    let db: TestDatabase;
    const forward: string[] = []; // forward[i]: schema after the first i migrations
    before(async () => {
        db = await databaseWithRoles();
        // Apply one migration at a time (a directory holding the first i files), dumping after each.
        const staged = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-staged-"));
        try {
            forward.push(await dumpSchema(db.url("admin")));
            for (const file of migrations) {
                fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(staged, file));
                await dbmate(db.url("migrator"), "migrate", staged);
                forward.push(await dumpSchema(db.url("admin")));
            }
        } finally {
            fs.rmSync(staged, { recursive: true, force: true });
        }
    });
    after(async () => db?.cluster.destroy());

    it("each file has a why header, an up and a down", () => {
        for (const file of migrations) {
            const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), "utf8");
            assert.match(sql, /^-- Why: \S/, `${file}: starts with a "-- Why:" comment`);
            assert.match(sql, /^-- migrate:up( transaction:false)?$/m, file);
            assert.match(sql, /^-- migrate:down( transaction:false)?\n(?!\s*$)/m, `${file}: has a non-empty down`);
            // CONCURRENTLY refuses a transaction, and a multi-statement string is an implicit one.
            if (/CONCURRENTLY/i.test(sql)) {
                assert.match(
                    sql,
                    /^-- migrate:up transaction:false$/m,
                    `${file}: CONCURRENTLY needs transaction:false`,
                );
                for (const section of sql.split(/^-- migrate:down.*$/m)) {
                    const statements = section
                        .replace(/--.*$/gm, "")
                        .split(";")
                        .filter((s) => s.trim() !== "");
                    assert.equal(statements.length, 1, `${file}: a CONCURRENTLY section holds exactly one statement`);
                }
            }
            assert.match(file, /^\d{14}_[a-z0-9_]+\.sql$/, "timestamped snake_case name");
        }
    });

    it("migrates from empty, and squawk passes on every migration (npm run lint)", async () => {
        assert.equal(forward.length, migrations.length + 1);
        assert.deepEqual(
            await appliedVersions(db.url("migrator")),
            migrations.map((m) => m.split("_")[0]),
        );
        const lint = await runScript("lint.ts", []);
        assert.equal(lint.code, 0, lint.stdout + lint.stderr);
        assert.match(lint.stdout, new RegExp(`squawk on ${migrations.length} migrations \\.\\.\\. ok`));
    });

    it("matches the committed sql/schema.sql (run `npm run db:dump` after changing a migration)", () => {
        const committed = fs.readFileSync(SCHEMA_FILE, "utf8");
        assert.ok(
            committed === forward[forward.length - 1],
            "sql/schema.sql has drifted from the migrations: run npm run db:dump and commit it",
        );
    });

    it("rolls back one migration at a time, each down restoring the previous schema exactly, then up again reproduces it", async () => {
        for (let i = migrations.length; i > 0; i--) {
            await dbmate(db.url("migrator"), "rollback");
            const after = await dumpSchema(db.url("admin"));
            assert.ok(after === forward[i - 1], `down of ${migrations[i - 1]} does not restore the schema before it`);
        }
        assert.deepEqual(await appliedVersions(db.url("migrator")), []);
        const empty = await db.cluster.query(
            "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app'",
        );
        assert.equal(empty[0].n, 0, "nothing left in app after rolling everything back");
        assert.equal(
            (await db.cluster.query("SELECT count(*)::int AS n FROM cron.job"))[0].n,
            0,
            "cron jobs unscheduled",
        );
        assert.equal(
            (await db.cluster.query("SELECT count(*)::int AS n FROM partman.part_config"))[0].n,
            0,
            "partman config removed",
        );
        await dbmate(db.url("migrator"), "migrate");
        assert.ok(
            (await dumpSchema(db.url("admin"))) === forward[forward.length - 1],
            "up after down-all reproduces the schema",
        );
    });

    for (const [file, render] of Object.entries(DATABASE_DOCS)) {
        it(`${file} is current (run \`npm run docs\` after changing a migration)`, async () => {
            const committed = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.ok(
                committed === (await render(db.cluster.connection())),
                `${file} is stale: run npm run docs and commit it`,
            );
        });
    }

    it("gives owner ownership of every object migrations create", async () => {
        const foreign = await db.cluster.query(
            `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname IN ('app', 'audit') AND pg_get_userbyid(c.relowner) <> 'metacortex_owner'`,
        );
        assert.deepEqual(foreign, []);
    });
});
