/**
 * Migrations run as the migrator only: pg_cron matches a job to the role that scheduled it, so a migration applied as
 * one role could not be rolled back as another. `npm run db:migrate` and `db:rollback` refuse any other role in one
 * line, and the migrations that schedule jobs do it as the migrator whoever applies them.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../../scripts/lib/exec";
import { appliedVersions, DBMATE, dbmate, MIGRATIONS_DIR, migratorRoleError } from "../../scripts/lib/local/migrations";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

/** The first migration that schedules pg_cron jobs as the migrator explicitly. */
const CRON_MIGRATION = "20261126110000_partition_maintenance_per_parent.sql";

describe("who runs migrations", function () {
    this.timeout(240_000);
    let db: TestDatabase;
    let staged: string;
    const jobs = async () =>
        (
            await db.cluster.query(
                "SELECT jobname, username FROM cron.job WHERE jobname LIKE 'metacortex-partman%' ORDER BY 1",
            )
        ).map((r) => `${r.jobname} (${r.username})`);
    /** dbmate itself, as an operator might run it by hand: no role check. */
    const rawDbmate = (url: string, command: string) =>
        run(
            process.execPath,
            [
                DBMATE,
                "--no-dump-schema",
                "--migrations-table",
                "public.schema_migrations",
                "--migrations-dir",
                staged,
                command,
            ],
            { env: { ...process.env, DATABASE_URL: url } },
        );

    before(async () => {
        db = await databaseWithRoles();
        // Every migration up to and including the one that schedules per-table jobs.
        staged = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-staged-"));
        for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql") && f <= CRON_MIGRATION))
            fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(staged, f));
    });
    after(async () => {
        fs.rmSync(staged, { recursive: true, force: true });
        await db?.cluster.destroy();
    });

    it("names the role connected and the role expected in one line", () => {
        assert.equal(migratorRoleError("metacortex_migrator"), undefined);
        const line = migratorRoleError("metacortex_admin") ?? "";
        assert.match(line, /^connected as metacortex_admin, but migrations run as metacortex_migrator only/);
        assert.ok(!line.includes("\n"));
    });

    it("npm run db:migrate and db:rollback refuse any role but the migrator, and change nothing", async () => {
        for (const [role, command] of [
            ["admin", "migrate"],
            ["app", "migrate"],
            ["admin", "rollback"],
        ]) {
            const r = await runScript("db.ts", [command], { DATABASE_URL: db.url(role) });
            const user = role === "admin" ? "metacortex_admin" : `metacortex_${role}`;
            assert.equal(r.code, 1, `${role} ${command}: ${r.stdout}${r.stderr}`);
            assert.equal(
                r.stderr.trim(),
                `db: connected as ${user}, but migrations run as metacortex_migrator only (pg_cron jobs belong to the role that scheduled them, so another role could not roll them back): use the migrator's URL`,
            );
        }
        const [{ t }] = await db.cluster.query("SELECT to_regclass('public.schema_migrations') AS t");
        assert.equal(t, null, "no migration ran");
    });

    it("rolls back a migration that schedules pg_cron jobs, as the migrator", async () => {
        await dbmate(db.url("migrator"), "migrate", staged);
        assert.deepEqual(await jobs(), [
            "metacortex-partman-app.habit_checkins (metacortex_migrator)",
            "metacortex-partman-audit.row_changes (metacortex_migrator)",
        ]);
        const r = await runScript("db.ts", ["rollback"], { DATABASE_URL: db.url("migrator") });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(await jobs(), ["metacortex-partman-maintenance (metacortex_migrator)"]);
        const before = fs.readdirSync(staged).sort().at(-2)?.split("_")[0];
        assert.equal((await appliedVersions(db.url("migrator"))).pop(), before);
    });

    it("finds the jobs by name whoever rolls back, and schedules them as the migrator whoever applies", async () => {
        // By hand as the superuser (dbmate run directly, past the role check), both ways.
        await dbmate(db.url("migrator"), "migrate", staged);
        await rawDbmate(db.url("admin"), "rollback");
        assert.deepEqual(await jobs(), ["metacortex-partman-maintenance (metacortex_migrator)"]);
        await rawDbmate(db.url("admin"), "migrate");
        assert.deepEqual(await jobs(), [
            "metacortex-partman-app.habit_checkins (metacortex_migrator)",
            "metacortex-partman-audit.row_changes (metacortex_migrator)",
        ]);
        await rawDbmate(db.url("admin"), "rollback");
        assert.deepEqual(await jobs(), ["metacortex-partman-maintenance (metacortex_migrator)"]);
    });
});
