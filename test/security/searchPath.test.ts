/**
 * Every function of ours runs with a pinned search_path, so no object earlier on a caller's path can stand in for a
 * built-in it calls. The catalog check covers every function in our schemas that no extension owns.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("function search_path", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("pins search_path on every function in app, audit, ext, partman and public that no extension owns", async () => {
        const { rows } = await admin.query(`
            SELECT p.oid::regprocedure::text AS fn, p.proconfig FROM pg_proc p
             WHERE p.pronamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('app', 'audit', 'ext', 'partman', 'public'))
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
             ORDER BY 1`);
        assert.ok(rows.length >= 10, `${rows.length} functions found`);
        const unpinned = rows
            .filter((r) => !(r.proconfig ?? []).some((c: string) => c.startsWith("search_path=")))
            .map((r) => r.fn);
        assert.deepEqual(unpinned, [], `functions without a pinned search_path: ${unpinned.join(", ")}`);
    });

    it("keeps a built-in from being replaced by a same-named function earlier on the caller's path", async () => {
        const args = `'00000000-0000-7000-8000-000000000000'::uuid, 1, '2026-01-01T00:00:00Z', 1, NULL, 'r', 't', 'INSERT', '{}', NULL, NULL, '\\x00'`;
        const honest = (await admin.query(`SELECT audit.entry_hash(${args}) AS h`)).rows[0].h as Buffer;
        await admin.query("BEGIN");
        try {
            await admin.query("CREATE SCHEMA decoy");
            await admin.query(
                "CREATE FUNCTION decoy.sha256(bytea) RETURNS bytea LANGUAGE sql AS $$ SELECT '\\x00'::bytea $$",
            );
            await admin.query("SET LOCAL search_path = decoy, pg_catalog");
            assert.deepEqual((await admin.query("SELECT sha256('x'::bytea) AS h")).rows[0].h, Buffer.from([0]));
            const underDecoy = (await admin.query(`SELECT audit.entry_hash(${args}) AS h`)).rows[0].h as Buffer;
            assert.ok(underDecoy.equals(honest), "entry_hash still uses pg_catalog.sha256");
        } finally {
            await admin.query("ROLLBACK");
        }
    });
});
