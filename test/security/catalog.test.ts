/** The catalog against the role model: RLS flags, role attributes, ownership, and no grant the model does not declare. */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { MIGRATION_PRIVILEGES, ROLE, roleModel } from "../../postgres/roles/model";
import { dbmate } from "../../scripts/lib/local/migrations";
import { committedStack, databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("catalog against the role model", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let admin: Client;
    const rows = async (sql: string, p: unknown[] = []) => (await admin.query(sql, p)).rows;

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

    it("every user-owned table has row-level security enabled and forced", async () => {
        const unprotected = await rows(`
            SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
             WHERE c.relnamespace = 'app'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND (c.relname = 'users' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id'))
               AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`);
        assert.deepEqual(unprotected, []);
    });

    it("app, readonly, auditor, monitor and migrator are not superusers, cannot bypass RLS, and own nothing but cron_job_runs", async () => {
        const names = [ROLE.app, ROLE.readonly, ROLE.auditor, ROLE.monitor, ROLE.migrator];
        const attrs = await rows(
            "SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1",
            [names],
        );
        assert.equal(attrs.length, names.length);
        for (const a of attrs)
            assert.deepEqual(
                [a.rolsuper, a.rolbypassrls, a.rolcreaterole, a.rolcreatedb],
                [false, false, false, false],
                a.rolname,
            );
        const owned = await rows(
            `
            SELECT 'relation' AS kind, relname AS name, pg_get_userbyid(relowner) AS owner FROM pg_class WHERE pg_get_userbyid(relowner) = ANY($1)
            UNION ALL SELECT 'schema', nspname, pg_get_userbyid(nspowner) FROM pg_namespace WHERE pg_get_userbyid(nspowner) = ANY($1)
            UNION ALL SELECT 'function', proname, pg_get_userbyid(proowner) FROM pg_proc WHERE pg_get_userbyid(proowner) = ANY($1)`,
            [names],
        );
        // One exception, by design: pg_cron shows a job's runs only to the role that scheduled it (the migrator).
        assert.deepEqual(owned, [{ kind: "function", name: "cron_job_runs", owner: ROLE.migrator }]);
    });

    it("refuses writes by readonly; auditor reads the audit schema and nothing in app", async () => {
        const readonly = db.client("readonly");
        const auditor = db.client("auditor");
        await readonly.connect();
        await auditor.connect();
        try {
            await assert.rejects(
                readonly.query("INSERT INTO app.notes (user_id) VALUES (gen_random_uuid())"),
                /permission denied for table notes/,
            );
            await assert.rejects(readonly.query("DELETE FROM app.tasks"), /permission denied for table tasks/);
            await assert.rejects(auditor.query("SELECT * FROM app.tasks"), /permission denied for schema app/);
            const { rows: n } = await auditor.query("SELECT count(*)::int AS n FROM audit.row_changes");
            assert.equal(typeof n[0].n, "number");
            await assert.rejects(
                auditor.query("DELETE FROM audit.row_changes"),
                /permission denied for table row_changes/,
            );
        } finally {
            await readonly.end();
            await auditor.end();
        }
    });

    it("app and readonly cannot connect to postgres or template1, nor create temporary tables or large objects", async () => {
        for (const key of ["app", "readonly"]) {
            const login = { user: `metacortex_${key}`, password: db.passwords[key] };
            for (const database of ["postgres", "template1"])
                await assert.rejects(
                    db.cluster.client({ ...login, database }).connect(),
                    new RegExp(`permission denied for database "${database}"`),
                    `${key} -> ${database}`,
                );
            const c = db.client(key);
            await c.connect();
            try {
                await assert.rejects(
                    c.query("CREATE TEMP TABLE scratch (x int)"),
                    /permission denied to create temporary tables in database "metacortex"/,
                );
                for (const sql of ["SELECT lo_create(0)", "SELECT lo_creat(-1)", "SELECT lo_from_bytea(0, 'x')"])
                    await assert.rejects(c.query(sql), /permission denied for function lo_/, `${key}: ${sql}`);
            } finally {
                await c.end();
            }
        }
        const [{ n }] = await db.cluster.query("SELECT count(*)::int AS n FROM pg_largeobject_metadata");
        assert.equal(n, 0);
    });

    it("has exactly the grants the model and the migrations declare (drift check)", async () => {
        const stack = committedStack("dev");
        const model = roleModel(stack.databaseName, stack.instanceClass);
        const ours = new Set([...model.roles.map((r) => r.name), "PUBLIC"]);
        // Actual: every privilege held by our roles or PUBLIC on the database, schemas, tables/views and functions we own.
        const actual = new Set<string>(
            (
                await rows(`
                SELECT 'database:' || d.datname || ':' || coalesce(nullif(pg_get_userbyid(a.grantee), ''), 'PUBLIC') || ':' || a.privilege_type AS g
                  FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database() AND a.grantee <> d.datdba
                UNION ALL
                SELECT 'schema:' || n.nspname || ':' || CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ':' || a.privilege_type
                  FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname IN ('app', 'audit', 'ext', 'partman', 'public', 'cron') AND a.grantee <> n.nspowner
                UNION ALL
                SELECT 'table:' || n.nspname || '.' || c.relname || ':' || CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ':' || a.privilege_type
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
                 WHERE n.nspname IN ('app', 'audit', 'public') AND c.relkind IN ('r', 'p', 'v') AND a.grantee <> c.relowner
                UNION ALL
                SELECT 'function:' || p.oid::regprocedure::text || ':' || CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ':' || a.privilege_type
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                 WHERE n.nspname IN ('app', 'audit') AND a.grantee <> p.proowner`)
            )
                .map((r) => r.g as string)
                .filter((g) => ours.has(g.split(":")[2])),
        );
        // Expected: the model's database and schema grants, default privileges applied to every table (not partition),
        // and the migrations' own grants and revokes.
        const expected = new Set<string>();
        for (const g of model.grants) {
            if (g.objectType === "database")
                for (const p of g.privileges) expected.add(`database:${model.database}:${g.role}:${p}`);
            if (g.objectType === "schema")
                for (const p of g.privileges) expected.add(`schema:${g.schema}:${g.role}:${p}`);
        }
        const tablesBySchema =
            await rows(`SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                            WHERE n.nspname IN ('app', 'audit') AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition`);
        for (const d of model.defaultPrivileges.filter((x) => x.objectType === "table")) {
            for (const t of tablesBySchema.filter((x) => x.schema === d.schema))
                for (const p of d.privileges) expected.add(`table:${t.schema}.${t.name}:${d.role}:${p}`);
        }
        for (const g of MIGRATION_PRIVILEGES.tableGrants)
            for (const p of g.privileges) expected.add(`table:${g.table}:${g.role}:${p}`);
        for (const r of MIGRATION_PRIVILEGES.tableRevokes)
            for (const p of r.privileges) expected.delete(`table:${r.table}:${r.role}:${p}`);
        for (const [fn, roles] of Object.entries(MIGRATION_PRIVILEGES.functionExecute))
            for (const role of roles) expected.add(`function:${fn}:${role}:EXECUTE`);

        const undeclared = [...actual].filter((g) => !expected.has(g)).sort();
        const missing = [...expected].filter((g) => !actual.has(g)).sort();
        assert.deepEqual({ undeclared, missing }, { undeclared: [], missing: [] });
        assert.ok(![...actual].some((g) => g.includes(":PUBLIC:")), "PUBLIC holds nothing");
    });
});
