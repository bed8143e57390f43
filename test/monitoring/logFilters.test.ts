/**
 * The CloudWatch metric filters match what PostgreSQL 15 really logs: each condition is produced on a real server
 * (a slow statement, a deadlock, a failed login, autovacuum of app.tasks, forced checkpoints) and every filter must
 * match at least one line of its log.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import type { Client } from "pg";
import { LOG_METRIC_FILTERS, matchesFilter } from "../../components/aws/databaseMonitoring";
import { ROLE_CHANGE_METRICS } from "../../postgres/monitoring/thresholds";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("log metric filters against a real PostgreSQL 15 log", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let logFile: string;
    const log = () => fs.readFileSync(logFile, "utf8").split("\n");
    const matched = (metric: string) => log().some((line) => matchesFilter(LOG_METRIC_FILTERS[metric], line));

    before(async () => {
        // Test-only overrides so autovacuum and forced checkpoints happen within seconds.
        db = await databaseWithRoles({
            overrides: {
                log_autovacuum_min_duration: 0,
                autovacuum_naptime: 1,
                max_wal_size: 32,
                min_wal_size: 32,
                checkpoint_warning: 300,
            },
        });
        await dbmate(db.url("migrator"), "migrate");
        logFile = await db.cluster.currentLogFile();
    });
    after(async () => db?.cluster.destroy());

    it("SlowStatements matches the slow-statement line, once per statement (not auto_explain's plan line)", async () => {
        await db.cluster.query("SELECT pg_sleep(0.3) AS slow_filter_probe");
        await waitFor("slow statement line", () => (matched("SlowStatements") ? true : undefined));
        const lines = log().filter((l) => l.includes("slow_filter_probe") && l.includes("duration:"));
        assert.equal(lines.filter((l) => matchesFilter(LOG_METRIC_FILTERS.SlowStatements, l)).length, 1);
    });

    it("AuthenticationFailures matches a failed login", async () => {
        await assert.rejects(db.cluster.client({ user: "metacortex_app", password: "wrong" }).connect());
        await waitFor("auth failure line", () => (matched("AuthenticationFailures") ? true : undefined));
    });

    it("Deadlocks matches a real deadlock", async () => {
        const admin = db.client("admin");
        await admin.connect();
        const [{ id }] = (
            await admin.query("INSERT INTO app.users (email, display_name) VALUES ('d@example.test', 'D') RETURNING id")
        ).rows;
        await admin.query("INSERT INTO app.tags (user_id, name) VALUES ($1, 'a'), ($1, 'b')", [id]);
        await admin.end();
        const [a, b] = [db.client("admin"), db.client("admin")];
        await a.connect();
        await b.connect();
        try {
            // Without the audit trigger: its per-user chain lock serializes one user's writes, so they could not cross.
            for (const c of [a, b]) await c.query("SET session_replication_role = replica");
            await a.query("BEGIN");
            await b.query("BEGIN");
            await a.query("UPDATE app.tags SET color = '#000000' WHERE name = 'a'");
            await b.query("UPDATE app.tags SET color = '#000000' WHERE name = 'b'");
            const results = await Promise.allSettled([
                a.query("UPDATE app.tags SET color = '#111111' WHERE name = 'b'"),
                b.query("UPDATE app.tags SET color = '#111111' WHERE name = 'a'"),
            ]);
            assert.ok(
                results.some((r) => r.status === "rejected" && /deadlock detected/.test(String(r.reason))),
                "one side is the deadlock victim",
            );
        } finally {
            await a.query("ROLLBACK").catch(() => undefined);
            await b.query("ROLLBACK").catch(() => undefined);
            await a.end();
            await b.end();
        }
        await waitFor("deadlock line", () => (matched("Deadlocks") ? true : undefined));
    });

    it("AutovacuumHotTables and CheckpointsTooFrequent match autovacuum of app.tasks and WAL-forced checkpoints", async () => {
        const admin: Client = db.client("admin");
        await admin.connect();
        try {
            const [{ id }] = (
                await admin.query(
                    "INSERT INTO app.users (email, display_name) VALUES ('v@example.test', 'V') RETURNING id",
                )
            ).rows;
            await admin.query("SET session_replication_role = replica"); // no audit rows for this bulk churn
            await admin.query(
                "INSERT INTO app.tasks (user_id, title) SELECT $1, 'churn ' || g FROM generate_series(1, 20000) g",
                [id],
            );
            for (let i = 0; i < 4; i++)
                await admin.query("UPDATE app.tasks SET position = position + 1 WHERE user_id = $1", [id]);
        } finally {
            await admin.end();
        }
        await waitFor("autovacuum of app.tasks", () => (matched("AutovacuumHotTables") ? true : undefined), 60_000);
        await waitFor(
            "a checkpoint forced by WAL volume",
            () => (matched("CheckpointsTooFrequent") ? true : undefined),
            60_000,
        );
    });

    it("RoleChangedBy* match a role's own ALTER ROLE (settings and password) in pgaudit's ROLE class, never the admin's or migrator's", async () => {
        const roleOf = Object.fromEntries(Object.entries(ROLE_CHANGE_METRICS).map(([m, r]) => [r, m]));
        for (const key of ["app", "readonly", "auditor", "monitor"]) {
            const c = db.client(key);
            await c.connect();
            try {
                await c.query(`ALTER ROLE metacortex_${key} SET application_name = 'self_drift_probe'`);
                await c.query(`ALTER ROLE metacortex_${key} RESET application_name /* self_drift_probe */`);
                if (key === "app") await c.query(`ALTER ROLE metacortex_app PASSWORD '${db.passwords.app}'`);
            } finally {
                await c.end();
            }
        }
        const admin = db.client("admin");
        const migrator = db.client("migrator");
        await admin.connect();
        await migrator.connect();
        try {
            await admin.query("ALTER ROLE metacortex_app SET application_name = 'admin_probe'");
            await admin.query("ALTER ROLE metacortex_app RESET application_name /* admin_probe */");
            // The migrator's sessions act as the owner; as itself it may change its own settings.
            await migrator.query("SET ROLE NONE");
            await migrator.query("ALTER ROLE metacortex_migrator SET application_name = 'migrator_probe'");
            await migrator.query("ALTER ROLE metacortex_migrator RESET application_name /* migrator_probe */");
        } finally {
            await admin.end();
            await migrator.end();
        }
        const roleLines = await waitFor("every probe's ROLE line", () => {
            const lines = log().filter((l) => l.includes("AUDIT: SESSION,") && l.includes(",ROLE,ALTER ROLE,"));
            return lines.filter((l) => /self_drift_probe|admin_probe|migrator_probe|PASSWORD/.test(l)).length >= 13
                ? lines
                : undefined;
        });
        const watched = Object.keys(ROLE_CHANGE_METRICS);
        for (const [role, metric] of Object.entries(roleOf)) {
            const own = roleLines.filter((l) => l.includes(`${role}@`) && l.includes("self_drift_probe"));
            assert.equal(own.length, 2, `${role}: its two probes`);
            assert.ok(
                own.every((l) => matchesFilter(LOG_METRIC_FILTERS[metric], l)),
                `${metric} matches ${own[0]}`,
            );
        }
        const password = roleLines.filter((l) => l.includes("metacortex_app@") && l.includes("PASSWORD"));
        assert.equal(password.length, 1);
        assert.ok(matchesFilter(LOG_METRIC_FILTERS.RoleChangedByApp, password[0]), password[0]);
        assert.ok(!password[0].includes(db.passwords.app), "pgaudit does not log the password");
        const operators = roleLines.filter((l) => /admin_probe|migrator_probe/.test(l));
        assert.equal(operators.length, 4);
        for (const line of operators)
            assert.deepEqual(
                watched.filter((m) => matchesFilter(LOG_METRIC_FILTERS[m], line)),
                [],
                line,
            );
    });
});
