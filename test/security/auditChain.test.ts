/**
 * Tamper evidence of the audit hash chain: a superuser's edit or deletion anywhere in a user's chain (middle, oldest,
 * newest, all of it) fails audit.verify_chain, while retention dropping whole months, which records where each chain
 * now starts, still verifies. Each tamper runs in a transaction that is rolled back, so the cases are independent.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("audit chain verification", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    let alice: string;
    let bob: string;
    let head: number;
    const q = async (sql: string, params: unknown[] = []) => (await admin.query(sql, params)).rows;
    const verify = async (user: string) => {
        const [r] = await q("SELECT valid, entries::int, first_bad_seq::int FROM audit.verify_chain($1)", [user]);
        return { valid: r.valid as boolean, entries: r.entries as number, firstBad: r.first_bad_seq as number | null };
    };
    /** Runs `tamper`, then returns what verification says, and rolls everything back. */
    async function tampered(tamper: () => Promise<unknown>) {
        await admin.query("BEGIN");
        try {
            await tamper();
            return { alice: await verify(alice), bob: await verify(bob) };
        } finally {
            await admin.query("ROLLBACK");
        }
    }
    const remove = (where: string, params: unknown[] = []) =>
        q(`DELETE FROM audit.row_changes WHERE user_id = $1 AND ${where}`, [alice, ...params]);

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        const app = db.client("app");
        await app.connect();
        try {
            const signUp = async (email: string) =>
                (await app.query("SELECT app.sign_up($1, 'User', 'UTC', NULL) AS id", [email])).rows[0].id as string;
            alice = await signUp("alice@example.test");
            bob = await signUp("bob@example.test");
            for (const [user, n] of [
                [alice, 8],
                [bob, 3],
            ] as const) {
                await app.query("BEGIN");
                await app.query("SELECT app.set_tenant($1)", [user]);
                for (let i = 0; i < n; i++)
                    await app.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, $2)", [user, `task ${i}`]);
                await app.query("COMMIT");
            }
        } finally {
            await app.end();
        }
        head = Number((await q("SELECT seq FROM audit.chain_heads WHERE user_id = $1", [alice]))[0].seq);
        assert.equal(head, 9, "sign-up and eight tasks");
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("verifies intact chains, as the auditor", async () => {
        const auditor = db.client("auditor");
        await auditor.connect();
        try {
            for (const [user, entries] of [
                [alice, 9],
                [bob, 4],
            ] as const) {
                const { rows } = await auditor.query("SELECT * FROM audit.verify_chain($1)", [user]);
                assert.deepEqual(
                    [rows[0].valid, Number(rows[0].entries), rows[0].first_bad_seq],
                    [true, entries, null],
                );
            }
        } finally {
            await auditor.end();
        }
    });

    it("detects an entry edited in the middle", async () => {
        const r = await tampered(() =>
            q(
                `UPDATE audit.row_changes SET new_values = new_values || '{"title": "forged"}' WHERE user_id = $1 AND seq = 5`,
                [alice],
            ),
        );
        assert.deepEqual([r.alice.valid, r.alice.firstBad, r.bob.valid], [false, 5, true]);
    });

    it("detects an entry deleted in the middle", async () => {
        const r = await tampered(() => remove("seq = 5"));
        assert.deepEqual([r.alice.valid, r.alice.firstBad, r.bob.valid], [false, 5, true]);
    });

    it("detects the oldest entries deleted", async () => {
        const r = await tampered(() => remove("seq <= 2"));
        assert.deepEqual([r.alice.valid, r.alice.firstBad], [false, 1]);
    });

    it("detects a whole chain deleted (chain_heads remembers it)", async () => {
        const r = await tampered(() => remove("true"));
        assert.deepEqual([r.alice.valid, r.alice.entries, r.alice.firstBad, r.bob.valid], [false, 0, 1, true]);
    });

    it("detects the newest entry deleted", async () => {
        const r = await tampered(() => remove("seq = $2", [head]));
        assert.deepEqual([r.alice.valid, r.alice.firstBad], [false, head]);
    });

    it("detects a chain head removed while its entries remain", async () => {
        const r = await tampered(() => q("DELETE FROM audit.chain_heads WHERE user_id = $1", [alice]));
        assert.equal(r.alice.valid, false);
    });

    it("still verifies after retention drops a month, and then detects a deletion of the oldest entry kept", async () => {
        await admin.query("BEGIN");
        try {
            // Alice's first four entries written last month: rewrite them there, re-signing the chain as if they had been.
            await q("SELECT set_config('test.user', $1, true)", [alice]);
            await q(`DO $$
                DECLARE
                    who uuid := current_setting('test.user')::uuid;
                    e audit.row_changes;
                    prev bytea := sha256(convert_to(who::text, 'UTF8'));
                BEGIN
                    FOR e IN SELECT * FROM audit.row_changes WHERE user_id = who ORDER BY seq LOOP
                        IF e.seq <= 4 THEN e.occurred_at := e.occurred_at - interval '1 month'; END IF;
                        e.prev_hash := prev;
                        e.hash := audit.entry_hash(e.user_id, e.seq, e.occurred_at, e.txid, e.app_user_id, e.db_role,
                            e.table_name, e.operation, e.row_key, e.old_values, e.new_values, e.prev_hash);
                        UPDATE audit.row_changes SET occurred_at = e.occurred_at, prev_hash = e.prev_hash, hash = e.hash
                         WHERE user_id = who AND seq = e.seq;
                        prev := e.hash;
                    END LOOP;
                    UPDATE audit.chain_heads SET hash = prev WHERE user_id = who;
                END $$`);
            assert.deepEqual(await verify(alice), { valid: true, entries: 9, firstBad: null });

            const [{ dropped }] = await q("SELECT audit.drop_partitions_before(date_trunc('month', now())) AS dropped");
            assert.ok(dropped >= 1, "last month's partition dropped");
            const [mark] = await q("SELECT first_seq::int FROM audit.chain_watermarks WHERE user_id = $1", [alice]);
            assert.equal(mark.first_seq, 5, "the chain now starts after the last entry dropped");
            assert.deepEqual(await verify(alice), { valid: true, entries: 5, firstBad: null });
            assert.equal((await verify(bob)).valid, true, "a chain the drop did not touch");

            await remove("seq = 5");
            assert.deepEqual(await verify(alice), { valid: false, entries: 1, firstBad: 5 });
        } finally {
            await admin.query("ROLLBACK");
        }
    });
});
