/**
 * The seeder's load paths on a real server: the fast load (parallel streams into an empty database, or one
 * transaction with COPY FREEZE for --replace) writes exactly the rows of the indexed reference path, every index comes
 * back, and a load that fails part-way leaves the database as it was: the old rows with --replace, empty without.
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { dataChecksum } from "../../scripts/lib/seed/checksum";
import { type LoadOptions, loadPath, loadSeed } from "../../scripts/lib/seed/load";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

const BASE: LoadOptions = {
    users: 120,
    tasksPerUser: 20,
    checkinDays: 30,
    asOf: Date.parse("2026-11-01T00:00:00Z"),
    seed: "paths",
    chunkSize: 40,
};

const INDEXES_SQL = `SELECT string_agg(indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid), E'\\n' ORDER BY indexrelid::regclass::text) AS defs
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'app'::regnamespace`;

describe("seeder load path choice (pure)", () => {
    it("chooses parallel streams only for an empty target, one transaction for --replace", () => {
        assert.equal(loadPath({}), "parallel");
        assert.equal(loadPath({ replace: true }), "single");
        assert.equal(loadPath({ streams: 1 }), "single");
        assert.equal(loadPath({ method: "indexed" }), "indexed");
    });
});

/** Fails a load when its second chunk is about to go in (BASE has 3 chunks). */
const failAfterFirstChunk = (done: number) => {
    if (done >= 40) throw new Error("interrupted on purpose");
};

describe("seeder load paths", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let admin: Client;
    let indexes: string;
    const checksum = () => dataChecksum(admin);

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        indexes = (await admin.query(INDEXES_SQL)).rows[0].defs;
    });
    after(async () => {
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("writes the same rows on every path, and leaves every index as the migrations made it", async () => {
        const reference = await loadSeed(db.cluster.connection(), { ...BASE, method: "indexed" });
        assert.equal(reference.path, "indexed");
        const expected = await checksum();
        assert.ok(Number(expected.tasks.split(":")[0]) > 1000, "a dataset worth comparing");
        const replaced = await loadSeed(db.cluster.connection(), { ...BASE, replace: true });
        assert.equal(replaced.path, "single");
        assert.deepEqual(await checksum(), expected);
        await admin.query("TRUNCATE app.users CASCADE");
        const parallel = await loadSeed(db.cluster.connection(), BASE);
        assert.equal(parallel.path, "parallel");
        assert.deepEqual(await checksum(), expected);
        assert.equal((await admin.query(INDEXES_SQL)).rows[0].defs, indexes);
    });

    it("keeps the old rows and indexes when a --replace load fails part-way", async () => {
        const before = await checksum();
        const failing = { ...BASE, seed: "other", replace: true, onProgress: failAfterFirstChunk };
        await assert.rejects(loadSeed(db.cluster.connection(), failing), /interrupted on purpose/);
        assert.deepEqual(await checksum(), before);
        assert.equal((await admin.query(INDEXES_SQL)).rows[0].defs, indexes);
    });

    it("refuses to load over existing users without --replace, and leaves them as they were", async () => {
        const before = await checksum();
        await assert.rejects(loadSeed(db.cluster.connection(), BASE), /already has users; pass --replace/);
        assert.deepEqual(await checksum(), before);
    });

    it("leaves an empty database empty, with its indexes, when a parallel load fails part-way", async () => {
        await admin.query("TRUNCATE app.users CASCADE");
        await assert.rejects(
            loadSeed(db.cluster.connection(), { ...BASE, onProgress: failAfterFirstChunk }),
            /on purpose/,
        );
        const counts = await checksum();
        assert.ok(
            Object.values(counts).every((c) => c.startsWith("0:")),
            JSON.stringify(counts),
        );
        assert.equal((await admin.query(INDEXES_SQL)).rows[0].defs, indexes);
    });
});
