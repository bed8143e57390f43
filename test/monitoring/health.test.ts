/**
 * npm run health on a real PostgreSQL 15: passes on a healthy database, and fails naming the check when a test creates
 * each condition: a long idle-in-transaction session, a blocked lock, an invalid index, a stopped archive. A 2-second
 * query shows up in the slow log and in the top statements.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import type { Client } from "pg";
import { type HealthReport, runHealth } from "../../postgres/health/checks";
import { dbmate } from "../../scripts/lib/local/migrations";
import { loadSeed } from "../../scripts/lib/seed/load";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase, throwawayCluster, waitFor } from "../harness/pg";

describe("npm run health", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let monitor: Client;
    const verified = { verified: true, mode: "verify-full" };
    const check = (r: HealthReport, name: string) => r.checks.find((c) => c.check === name)!;
    /** Polls the health report until `name` fails (the condition takes effect), or times out. */
    const untilFails = (name: string, thresholds = {}) =>
        waitFor(`health check "${name}" to fail`, async () => {
            const r = await runHealth(monitor, verified, thresholds);
            return check(r, name).status === "fail" ? r : undefined;
        });

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        await loadSeed(db.cluster.connection(), {
            users: 20,
            tasksPerUser: 20,
            checkinDays: 10,
            asOf: Date.now() - 86_400_000,
            seed: "health",
        });
        monitor = db.client("monitor");
        await monitor.connect();
    });
    after(async () => {
        await monitor?.end();
        await db?.cluster.destroy();
    });

    it("passes on a healthy database, as the monitor role over verify-full TLS, as a table and as JSON", async () => {
        const table = await runScript("health.ts", [], { DATABASE_URL: db.url("monitor") });
        assert.equal(table.code, 0, table.stdout + table.stderr);
        assert.match(table.stdout, /^ssl\s+OK\s+TLSv1\.[23], sslmode=verify-full/m);
        assert.match(table.stdout, /^health: (all 20 checks passed|\d+ of 20 checks passed, \d+ warned: .+)$/m);
        const json = await runScript("health.ts", ["--json"], { DATABASE_URL: db.url("monitor") });
        const report = JSON.parse(json.stdout);
        assert.equal(report.ok, true);
        assert.deepEqual(
            report.checks.map((c: { check: string }) => c.check),
            [
                "ssl",
                "connections",
                "longest transaction",
                "idle in transaction",
                "blocked locks",
                "transaction ID age",
                "dead tuples (hot tables)",
                "index bloat (estimate)",
                "invalid indexes",
                "unused indexes",
                "cache hit ratio",
                "WAL archive and replication",
                "standbys",
                "replication slots",
                "partitions premade ahead",
                "partition maintenance",
                "default partitions empty",
                "pg_cron jobs",
                "role settings",
                "large objects",
            ],
        );
        assert.ok(
            report.checks.every((c: { threshold: string }) => c.threshold.length > 0),
            "every check states its threshold",
        );
    });

    it("fails on a session idle in a transaction past the threshold", async () => {
        const idle = db.client("app");
        await idle.connect();
        try {
            await idle.query("BEGIN");
            await idle.query("SELECT 1");
            const r = await untilFails("idle in transaction", { idleInTransactionSeconds: 1 });
            assert.equal(r.ok, false);
            assert.match(check(r, "idle in transaction").value, /^1 session/);
        } finally {
            await idle.query("ROLLBACK");
            await idle.end();
        }
    });

    it("fails on a blocked lock, naming who waits for whom", async () => {
        const holder = db.client("admin");
        const waiter = db.client("admin");
        await holder.connect();
        await waiter.connect();
        try {
            await holder.query("BEGIN");
            await holder.query("LOCK TABLE app.tags IN ACCESS EXCLUSIVE MODE");
            const blocked = waiter.query("SELECT count(*) FROM app.tags");
            const r = await untilFails("blocked locks", { blockedLockSeconds: 1 });
            assert.match(check(r, "blocked locks").detail ?? "", /^\d+ waits for \d+$/);
            await holder.query("ROLLBACK");
            await blocked;
        } finally {
            await holder.end();
            await waiter.end();
        }
    });

    it("fails on an invalid index left by a failed CREATE INDEX CONCURRENTLY, and the command exits 1 naming it", async () => {
        const admin = db.client("admin");
        await admin.connect();
        try {
            await assert.rejects(
                admin.query("CREATE UNIQUE INDEX CONCURRENTLY tasks_title_probe_idx ON app.tasks (title)"),
                /could not create unique index/,
            );
            const r = await untilFails("invalid indexes");
            assert.equal(check(r, "invalid indexes").value, "app.tasks_title_probe_idx");
            const cli = await runScript("health.ts", [], { DATABASE_URL: db.url("monitor") });
            assert.equal(cli.code, 1);
            assert.match(
                cli.stderr,
                /^health: 1 check\(s\) failed: invalid indexes \(app\.tasks_title_probe_idx; threshold none/m,
            );
        } finally {
            await admin.query("DROP INDEX IF EXISTS app.tasks_title_probe_idx");
            await admin.end();
        }
    });

    it("shows a 2-second query in the slow log and in the top statements", async () => {
        const app = db.client("app");
        await app.connect();
        try {
            await app.query("SELECT pg_sleep(2) AS two_second_probe");
        } finally {
            await app.end();
        }
        const logFile = await db.cluster.currentLogFile();
        await waitFor("the slow statement in the log", () =>
            /duration: 2\d{3}\.\d+ ms\s+statement: SELECT pg_sleep\(2\) AS two_second_probe/.test(
                fs.readFileSync(logFile, "utf8"),
            )
                ? true
                : undefined,
        );
        const r = await runHealth(monitor, verified);
        const top = r.topStatements.find((s) => s.query.includes("two_second_probe"));
        assert.ok(top && top.meanMs >= 2000, JSON.stringify(r.topStatements));
    });

    it("fails when WAL archiving is failing", async () => {
        const broken = await throwawayCluster({ archiveCommand: "/bin/false" });
        try {
            await broken.query("CREATE TABLE wal_probe AS SELECT generate_series(1, 1000) AS x");
            await broken.query("SELECT pg_switch_wal()");
            await waitFor(
                "an archive failure",
                async () =>
                    (await broken.query("SELECT failed_count FROM pg_stat_archiver"))[0].failed_count > 0
                        ? true
                        : undefined,
                30_000,
            );
            const admin = broken.client();
            await admin.connect();
            try {
                const r = await runHealth(admin, verified);
                assert.equal(check(r, "WAL archive and replication").status, "fail");
                assert.match(check(r, "WAL archive and replication").value, /failures, last [0-9A-F]{24}/);
            } finally {
                await admin.end();
            }
        } finally {
            await broken.destroy();
        }
    });
});
