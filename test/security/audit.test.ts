/** The audit trail: one hash-chained entry per write, who and what, secrets redacted, out of the app's reach. */
import { strict as assert } from "assert";
import * as fs from "fs";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("audit log", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    let app: Client;
    let alice: string;
    const latest = async (n = 1) =>
        (await admin.query("SELECT * FROM audit.row_changes WHERE user_id = $1 ORDER BY seq DESC LIMIT $2", [alice, n]))
            .rows;
    const count = async () =>
        Number((await admin.query("SELECT count(*) FROM audit.row_changes WHERE user_id = $1", [alice])).rows[0].count);
    async function asAlice<T>(fn: () => Promise<T>): Promise<T> {
        await app.query("BEGIN");
        await app.query("SELECT app.set_tenant($1)", [alice]);
        try {
            const result = await fn();
            await app.query("COMMIT");
            return result;
        } catch (e) {
            await app.query("ROLLBACK");
            throw e;
        }
    }

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        app = db.client("app");
        await app.connect();
        alice = (await app.query("SELECT app.sign_up('alice@example.test', 'Alice', 'UTC', 'argon2-hash-1') AS id"))
            .rows[0].id;
    });
    after(async () => {
        await app?.end();
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("records exactly one entry per write, with who, what and when", async () => {
        const before = await count();
        const task = await asAlice(
            async () =>
                (await app.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, 'first') RETURNING id", [alice]))
                    .rows[0].id,
        );
        assert.equal(await count(), before + 1);
        const [ins] = await latest();
        assert.deepEqual(
            [
                ins.user_id,
                ins.app_user_id,
                ins.db_role,
                ins.table_name,
                ins.operation,
                ins.row_key,
                ins.old_values,
                ins.new_values.title,
            ],
            [alice, alice, "metacortex_app", "tasks", "INSERT", { user_id: alice, id: task }, null, "first"],
        );
        assert.ok(Number(ins.txid) > 0 && ins.occurred_at instanceof Date);
        assert.equal(ins.new_values.search, undefined, "derived search vector not logged");

        await asAlice(() =>
            app.query("UPDATE app.tasks SET title = 'renamed' WHERE user_id = $1 AND id = $2", [alice, task]),
        );
        const [upd] = await latest();
        assert.equal(upd.operation, "UPDATE");
        assert.deepEqual([upd.old_values.title, upd.new_values.title], ["first", "renamed"]);
        assert.ok(!("status" in upd.new_values), "unchanged columns are not logged");

        await asAlice(() => app.query("DELETE FROM app.tasks WHERE user_id = $1 AND id = $2", [alice, task]));
        const [del] = await latest();
        assert.deepEqual([del.operation, del.old_values.title, del.new_values], ["DELETE", "renamed", null]);
        assert.equal(await count(), before + 3);
    });

    it("redacts password hashes on users", async () => {
        await asAlice(() => app.query("UPDATE app.users SET password_hash = 'argon2-hash-2' WHERE id = $1", [alice]));
        const [e] = await latest();
        assert.deepEqual(
            [e.table_name, e.old_values.password_hash, e.new_values.password_hash],
            ["users", "[redacted]", "[redacted]"],
        );
        const all = JSON.stringify((await admin.query("SELECT old_values, new_values FROM audit.row_changes")).rows);
        assert.ok(!all.includes("argon2-hash"), "no password hash anywhere in the log");
    });

    it("refuses the app role changing, deleting or truncating audit rows, or disabling the triggers", async () => {
        await assert.rejects(
            app.query("UPDATE audit.row_changes SET operation = 'INSERT'"),
            /permission denied for schema audit/,
        );
        await assert.rejects(app.query("DELETE FROM audit.row_changes"), /permission denied for schema audit/);
        await assert.rejects(app.query("TRUNCATE audit.row_changes"), /permission denied for schema audit/);
        await assert.rejects(
            app.query("ALTER TABLE app.tasks DISABLE TRIGGER tasks_audit"),
            /must be owner of table tasks/,
        );
        await assert.rejects(app.query("SET session_replication_role = replica"), /permission denied to set parameter/);
    });

    it("verifies the chain, and detects an entry altered or removed by a superuser", async () => {
        const ok = (await admin.query("SELECT * FROM audit.verify_chain($1)", [alice])).rows[0];
        assert.equal(ok.valid, true);
        assert.ok(Number(ok.entries) >= 5);
        const [victim] = (
            await admin.query(
                "SELECT seq FROM audit.row_changes WHERE user_id = $1 AND operation = 'UPDATE' ORDER BY seq LIMIT 1",
                [alice],
            )
        ).rows;
        await admin.query("BEGIN");
        await admin.query(
            `UPDATE audit.row_changes SET new_values = new_values || '{"title": "forged"}' WHERE user_id = $1 AND seq = $2`,
            [alice, victim.seq],
        );
        const forged = (await admin.query("SELECT * FROM audit.verify_chain($1)", [alice])).rows[0];
        await admin.query("ROLLBACK");
        assert.deepEqual([forged.valid, forged.first_bad_seq], [false, victim.seq]);

        await admin.query("BEGIN");
        await admin.query(
            "DELETE FROM audit.row_changes WHERE user_id = $1 AND seq = (SELECT max(seq) FROM audit.row_changes WHERE user_id = $1)",
            [alice],
        );
        const truncated = (await admin.query("SELECT * FROM audit.verify_chain($1)", [alice])).rows[0];
        await admin.query("ROLLBACK");
        assert.equal(truncated.valid, false, "removing the newest entry breaks the link to chain_heads");
    });

    it("pgaudit logs DDL and role changes, and object-audits reads of users", async () => {
        await admin.query("CREATE TABLE public.pgaudit_probe (x int)");
        await admin.query("DROP TABLE public.pgaudit_probe");
        await asAlice(() => app.query("SELECT display_name FROM app.users WHERE id = $1", [alice]));
        const logFile = await db.cluster.currentLogFile();
        const log = await waitFor("pgaudit lines", () => {
            const text = fs.readFileSync(logFile, "utf8");
            return text.includes("DROP TABLE public.pgaudit_probe") &&
                /AUDIT: OBJECT,\d+,\d+,READ,SELECT,TABLE,app\.users/.test(text)
                ? text
                : undefined;
        });
        assert.match(log, /AUDIT: SESSION,\d+,\d+,DDL,CREATE TABLE,TABLE,public\.pgaudit_probe/);
        assert.match(
            log,
            /AUDIT: SESSION,\d+,\d+,ROLE,ALTER ROLE/,
            "the role model's ALTER ROLE statements are audited",
        );
        assert.doesNotMatch(log, /PASSWORD '(?!SCRAM-SHA-256\$)/, "no clear-text password in the log");
    });
});
