/**
 * The backend's Python package (clients/python) against a real PostgreSQL 15 migrated by sql/migrations, seeded, and
 * reached through PgBouncer 1.18 in transaction mode as the app role under row-level security. Runs its unittest
 * suite (models vs the migrated schema, tenant sessions with psycopg2 and asyncpg, list-helper plans), then proves
 * the comparison fails on a migration that changes columns or adds a table without the models, while the tables the
 * models leave out on purpose (UNMAPPED_TABLES) stay out.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../scripts/lib/local/cluster";
import { dbmate, MIGRATIONS_DIR } from "../../scripts/lib/local/migrations";
import { LocalPgbouncer } from "../../scripts/lib/local/pgbouncerProcess";
import { runPython } from "../../scripts/lib/local/python";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

const SEED = ["--users", "300", "--tasks-per-user", "150", "--checkin-days", "30", "--as-of", "2026-11-01"];

/** A column change, a new column and a new table, as a backend developer might add them without the models. */
const DRIFT = `-- Why: test drift, never committed.
-- migrate:up
ALTER TABLE app.tasks ALTER COLUMN priority SET DEFAULT 2;
ALTER TABLE app.notes ADD COLUMN archived boolean;
CREATE TABLE app.reminders (id uuid PRIMARY KEY);
-- migrate:down
DROP TABLE app.reminders;
ALTER TABLE app.notes DROP COLUMN archived;
ALTER TABLE app.tasks ALTER COLUMN priority SET DEFAULT 3;
`;

describe("backend models (clients/python) on PostgreSQL 15 through PgBouncer", function () {
    this.timeout(600_000);
    let db: TestDatabase;
    const bouncers: LocalPgbouncer[] = [];
    let env: Record<string, string>;
    let secrets: string[];

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        const seeded = await runScript("seed.ts", [...SEED, "--seed", "models"], { DATABASE_URL: db.url("admin") });
        assert.equal(seeded.code, 0, seeded.stderr);
        await db.cluster.query("VACUUM (ANALYZE)"); // visibility map current: index-only scans need no heap fetch
        // The deployed configuration (DISCARD ALL after every transaction), and one without the reset, so that a
        // leaked session setting really reaches the next client and the tenant function alone must stop it.
        const pooled = async (instance?: string) => {
            const bouncer = await LocalPgbouncer.start({
                cluster: db.cluster,
                port: await freePort(),
                instance,
                defaultPoolSize: 2,
                maxDbConnections: 4,
                maxClientConn: 100,
                users: ["metacortex_app"],
                resetAfterEveryTransaction: instance === undefined,
            });
            bouncers.push(bouncer);
            const url = new URL(db.url("app"));
            url.port = String(bouncer.port);
            return url.toString();
        };
        env = {
            METACORTEX_ADMIN_URL: db.url("admin"),
            METACORTEX_APP_POOLED_URL: await pooled(),
            METACORTEX_APP_NO_RESET_URL: await pooled("noreset"),
        };
        secrets = [db.cluster.options.password, ...Object.values(db.passwords)];
    });
    after(async () => {
        for (const bouncer of bouncers) await bouncer.stop();
        await db?.cluster.destroy();
    });

    it("passes the Python suite (python3 -m unittest): schema match, tenant sessions, list-helper plans", async () => {
        const result = await runPython(
            ["-W", "error", "-m", "unittest", "discover", "-v", "-s", "tests", "-t", "."],
            env,
            secrets,
        );
        const output = `${result.stdout}${result.stderr}`;
        assert.equal(result.code, 0, output);
        const ran = Number(/^Ran (\d+) tests?/m.exec(output)?.[1]);
        assert.ok(ran >= 30, `expected the whole suite, ran ${ran}:\n${output}`);
        assert.doesNotMatch(output, /skipped/, "no test may be skipped when the servers are there");
        for (const line of output.match(/plan: [^\n]+/g) ?? []) console.log(`      ${line}`);
        console.log(`      ${ran} Python tests passed`);
    });

    it("fails the comparison on a migration that changes columns or adds a table without the models", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-drift-"));
        try {
            for (const file of fs.readdirSync(MIGRATIONS_DIR))
                fs.copyFileSync(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
            fs.writeFileSync(path.join(dir, "29991231000000_drift.sql"), DRIFT);
            const check = () =>
                runPython(["-m", "metacortex_models.schema_check"], { DATABASE_URL: db.url("migrator") }, secrets);
            const before = await check();
            assert.equal(before.code, 0, `the migrated schema matches before the drift: ${before.stdout}`);
            assert.match(before.stderr, /^not compared, unmapped on purpose: app\.partition_maintenance$/m);
            await dbmate(db.url("migrator"), "migrate", dir);
            const drifted = await check();
            assert.deepEqual(
                { code: drifted.code, differences: drifted.stdout.trim().split("\n") },
                {
                    code: 1,
                    differences: [
                        "app.notes.archived: column is in the database, not in the models",
                        "app.reminders: table is in the database, not in the models",
                        "app.tasks.priority: server default is 2 in the database, 3 in the models",
                    ],
                },
                drifted.stderr,
            );
            assert.match(drifted.stderr, /3 difference\(s\) between the database and the models/);
            await dbmate(db.url("migrator"), "rollback", dir);
            assert.equal((await check()).code, 0, "the down restores the match");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
