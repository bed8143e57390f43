/**
 * Backups count only if a restore of them has been tested: the PITR drill on a small dataset, and the validation
 * module (shared with the AWS restore-testing Lambda) failing on a restore that lost rows or has another schema.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { fingerprint, judge } from "../../postgres/health/restoreValidation";
import { runPitrDrill } from "../../scripts/lib/drill/pitr";
import * as fs from "fs";
import { dbmate, MIGRATIONS_DIR } from "../../scripts/lib/local/migrations";
import { loadSeed } from "../../scripts/lib/seed/load";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("backup and recovery", function () {
    this.timeout(300_000);

    it("the PITR drill restores exactly the data committed before T, with a clean pgbackrest verify", async () => {
        const lines: string[] = [];
        const report = await runPitrDrill({ users: 60, tasksPerUser: 50, progress: (l) => lines.push(l) });
        assert.deepEqual(report.verdict, { ok: true, problems: [] });
        assert.deepEqual([report.markersBefore, report.markersAfter, report.verifyClean], [10, 0, true]);
        assert.ok(report.rowsSeeded > 2000 && report.databaseBytes > 1_000_000, JSON.stringify(report));
        assert.ok(report.rtoSeconds > 0 && report.backupRepoBytes > 0);
        assert.ok(
            lines.some((l) => l.startsWith("drill: restore point T = ")),
            "shows progress",
        );
    });

    it("npm run drill:pitr refuses a bad flag with one line", async () => {
        const r = await runScript("drill.ts", ["--users", "none"]);
        assert.deepEqual([r.code, r.stderr.trim()], [2, "drill: --users must be a positive whole number, got none"]);
    });

    describe("restore validation (the Lambda's checks) on a real server", () => {
        let db: TestDatabase;
        let admin: Client;
        before(async () => {
            db = await databaseWithRoles();
            await dbmate(db.url("migrator"), "migrate");
            await loadSeed(db.cluster.connection(), {
                users: 30,
                tasksPerUser: 20,
                checkinDays: 10,
                asOf: Date.now() - 86_400_000,
                seed: "validation",
            });
            admin = db.client("admin");
            await admin.connect();
        });
        after(async () => {
            await admin?.end();
            await db?.cluster.destroy();
        });

        it("passes a restore identical to its source", async () => {
            const source = await fingerprint(admin);
            const verdict = judge(await fingerprint(admin), {
                source,
                exactCounts: true,
                restorePoint: new Date(),
                maxLagSeconds: 3 * 86_400,
                nonEmpty: ["app.tasks"],
            });
            assert.deepEqual(verdict, { ok: true, problems: [] });
            assert.deepEqual(
                source.migrations,
                fs
                    .readdirSync(MIGRATIONS_DIR)
                    .filter((f) => f.endsWith(".sql"))
                    .map((f) => f.split("_")[0])
                    .sort(),
                "every migration applied, in order",
            );
        });

        it("fails a restore missing rows, naming the table", async () => {
            const source = await fingerprint(admin);
            await admin.query("BEGIN");
            await admin.query("SET LOCAL session_replication_role = replica");
            await admin.query("DELETE FROM app.notes WHERE ctid IN (SELECT ctid FROM app.notes LIMIT 5)");
            const verdict = judge(await fingerprint(admin), {
                source,
                exactCounts: true,
                restorePoint: new Date(),
                maxLagSeconds: 3 * 86_400,
            });
            await admin.query("ROLLBACK");
            assert.equal(verdict.ok, false);
            assert.match(verdict.problems.join("\n"), /^app\.notes: \d+ rows, expected \d+$/m);
        });

        it("fails a restore with a different schema", async () => {
            const source = await fingerprint(admin);
            await admin.query("BEGIN");
            await admin.query("ALTER TABLE app.tags ADD COLUMN drifted boolean");
            const verdict = judge(await fingerprint(admin), {
                source,
                restorePoint: new Date(),
                maxLagSeconds: 3 * 86_400,
            });
            await admin.query("ROLLBACK");
            assert.equal(verdict.ok, false);
            assert.match(
                verdict.problems[0],
                /^schema fingerprint \w+ differs from the source's \w+ at the same migration version$/,
            );
        });

        it("fails a restore whose newest data is after the restore point, or too far before it", async () => {
            const fp = await fingerprint(admin);
            const latest = new Date(fp.latestChange!);
            assert.match(
                judge(fp, { restorePoint: new Date(latest.getTime() - 3_600_000), maxLagSeconds: 60 }).problems.join(),
                /is after the restore point/,
            );
            assert.match(
                judge(fp, { restorePoint: new Date(latest.getTime() + 3_600_000), maxLagSeconds: 60 }).problems.join(),
                /3600 s before the restore point \(more than 60 s\)/,
            );
        });
    });
});
