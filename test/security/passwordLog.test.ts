/**
 * The bootstrap's passwords reach pg_authid and nothing else: not the server log (pgaudit, log_statement, durations),
 * not pg_stat_statements, on a server that logs every statement. The same server shows an ordinary
 * `ALTER ROLE ... PASSWORD` in all of them, so the search below would find a leak.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import type { Client } from "pg";
import { scramVerifier } from "../../postgres/roles/scram";
import { applyRoleModel } from "../../scripts/lib/local/bootstrap";
import { committedStack, databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("role passwords stay out of the log", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    /** Every log file of the server, read once `marker` (a logged statement) has reached it. */
    const logAfter = async (marker: string) => {
        await admin.query(`SELECT '${marker}' AS marker`);
        const dir = path.dirname(await db.cluster.currentLogFile());
        return waitFor(`${marker} in the log`, () => {
            const text = fs
                .readdirSync(dir)
                .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
                .join("\n");
            return text.includes(marker) ? text : undefined;
        });
    };

    before(async () => {
        // Everything logged that could be: every statement with its duration, every pgaudit class, utility
        // statements in pg_stat_statements.
        db = await databaseWithRoles({
            overrides: {
                log_statement: "all",
                log_min_duration_statement: 0,
                "pgaudit.log": "all",
                "pg_stat_statements.track_utility": true,
            },
        });
        // A second run, as `npm run local` re-running: the passwords are set again.
        const stack = committedStack("dev");
        await applyRoleModel(db.cluster.connection(), stack.databaseName, stack.instanceClass, db.passwords);
        admin = db.client("admin");
        await admin.connect();
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("sets every login role's password, the replication role's included", async () => {
        const app = db.client("app");
        await app.connect();
        await app.end();
        const replicator = db.cluster.client({ user: "metacortex_replicator", password: db.passwords.replicator });
        // Authenticated, then refused: it may stream WAL, not open a database.
        await assert.rejects(replicator.connect(), /permission denied for database/);
    });

    it("logs the role script's statements and audit records, but no verifier and no password", async () => {
        const log = await logAfter("after-bootstrap-marker");
        // pgaudit records each statement of the role script with the script's text.
        // Messages name what was found, never the log's text: on failure it would hold the secrets.
        assert.ok(/AUDIT: SESSION,\d+,\d+,ROLE,ALTER ROLE,/.test(log), "pgaudit records role changes");
        assert.ok(/ALTER ROLE metacortex_replicator WITH NOSUPERUSER [^;]* REPLICATION /.test(log), "role script");
        const leaks = log.split("\n").filter((l) => l.includes("SCRAM-SHA-256$")).length;
        assert.equal(leaks, 0, `${leaks} log lines hold a SCRAM verifier`);
        for (const [key, password] of Object.entries(db.passwords))
            assert.ok(!log.includes(password), `${key}'s password is in the log`);
        assert.ok(log.includes("statement: SET pgaudit.log = 'none';"), "the session that set them says so");
        const { rows } = await admin.query(
            "SELECT count(*)::int AS n FROM ext.pg_stat_statements WHERE query LIKE '%SCRAM-SHA-256%'",
        );
        assert.equal(rows[0].n, 0, "no verifier in pg_stat_statements");
    });

    it("would see a verifier sent the ordinary way, in the log and in pg_stat_statements", async () => {
        const verifier = scramVerifier("control-only-not-a-secret");
        await admin.query(`ALTER ROLE metacortex_auditor PASSWORD '${verifier}'`);
        const log = await logAfter("after-control-marker");
        assert.ok(log.includes(verifier), "an ordinary ALTER ROLE ... PASSWORD is logged here");
        const { rows } = await admin.query(
            "SELECT count(*)::int AS n FROM ext.pg_stat_statements WHERE strpos(query, $1) > 0",
            [verifier],
        );
        assert.equal(rows[0].n, 1);
    });
});
