/**
 * The one-time handover (`npm run db:handover`, docs/migrations.md) on a database that stands in for one made by the
 * backend's own migrations: the same schema with a drifted column, an Alembic version table, and no dbmate table.
 * compare lists each difference and stamp refuses until they are resolved; then stamp records every migration and
 * dbmate takes over.
 */
import { strict as assert } from "assert";
import { appliedVersions, dbmate } from "../../scripts/lib/local/migrations";
import { migrationVersions } from "../../scripts/lib/local/handover";
import { runScript } from "../harness/cli";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("db:handover: compare an existing database with sql/migrations, then stamp it", function () {
    this.timeout(300_000);
    let db: TestDatabase;
    const handover = (command: string) => runScript("handover.ts", [command], { DATABASE_URL: db.url("admin") });

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        await db.cluster.query(`DROP TABLE public.schema_migrations;
            CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY);
            ALTER TABLE app.notes ALTER COLUMN pinned DROP NOT NULL;`);
    });
    after(async () => db?.cluster.destroy());

    it("compare names every difference, in the dump and in the models, and stamp refuses", async () => {
        const compared = await handover("compare");
        assert.equal(compared.code, 1, compared.stderr);
        assert.match(compared.stdout, /^schema: differs from sql\/schema\.sql$/m);
        assert.match(compared.stdout, /^- {4}pinned boolean DEFAULT false NOT NULL,$/m);
        assert.match(compared.stdout, /^\+ {4}pinned boolean DEFAULT false,$/m);
        assert.match(compared.stdout, /^\+CREATE TABLE public\.alembic_version \($/m);
        assert.match(
            compared.stdout,
            /^models: 1 difference\(s\)\n {2}app\.notes\.pinned: NULL in the database, NOT NULL in the models$/m,
        );
        assert.match(
            compared.stdout,
            new RegExp(`^dbmate: 0 of ${migrationVersions().length} migrations recorded`, "m"),
        );
        assert.match(compared.stderr, /^handover: the database differs from the repository/);
        const refused = await handover("stamp");
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /^handover: the schema differs from sql\/schema\.sql \(\d+ diff lines\): resolve/);
        for (const output of [compared, refused])
            for (const secret of Object.values(db.passwords).concat(db.cluster.options.password))
                assert.ok(!`${output.stdout}${output.stderr}`.includes(secret), "no password in the output");
    });

    it("after the differences are resolved, stamp records every migration and dbmate takes over", async () => {
        await db.cluster.query(
            `ALTER TABLE app.notes ALTER COLUMN pinned SET NOT NULL; DROP TABLE public.alembic_version;`,
        );
        const clean = await handover("compare");
        assert.equal(clean.code, 0, clean.stdout + clean.stderr);
        assert.match(clean.stdout, /^schema: identical to sql\/schema\.sql\nmodels: identical to the database$/m);
        assert.match(clean.stdout, /^handover: ready to stamp/m);
        const stamped = await handover("stamp");
        assert.equal(stamped.code, 0, stamped.stderr);
        assert.match(stamped.stdout, new RegExp(`^handover: stamped ${migrationVersions().length} migration\\(s\\)`));
        assert.deepEqual(await appliedVersions(db.url("migrator")), migrationVersions());
        await dbmate(db.url("migrator"), "migrate"); // nothing pending, and the migrator may write dbmate's table
        assert.match((await handover("compare")).stdout, /^handover: already stamped$/m);
    });
});
