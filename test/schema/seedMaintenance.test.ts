/**
 * A bulk load and pg_partman's scheduled maintenance at the same time: the 10M-task load once deadlocked with the
 * hourly job. The seeder now holds partman's config table, so maintenance that starts during a load waits for it to
 * commit and then runs; neither fails.
 */
import { strict as assert } from "assert";
import { dbmate } from "../../scripts/lib/local/migrations";
import { loadSeed } from "../../scripts/lib/seed/load";
import { databaseWithRoles, type TestDatabase } from "../harness/pg";

describe("seeding while pg_partman maintenance runs", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
    });
    after(async () => db?.cluster.destroy());

    it("makes maintenance started mid-load wait for the load's commit, then succeed", async () => {
        const other = db.client("admin");
        await other.connect();
        try {
            let maintenance: Promise<number> | undefined;
            let startedDuringLoad = 0;
            await loadSeed(db.cluster.connection(), {
                users: 300,
                tasksPerUser: 10,
                checkinDays: 40,
                asOf: Date.now() - 86_400_000,
                seed: "maintenance",
                chunkSize: 50,
                onProgress: (done, total) => {
                    if (maintenance || done >= total) return;
                    startedDuringLoad = Date.now();
                    // The check-ins job's maintenance, as the owner, run while the load's transaction is open.
                    maintenance = other
                        .query("SET ROLE metacortex_owner; SELECT app.run_partition_maintenance('app.habit_checkins')")
                        .then(() => Date.now());
                },
            });
            const committedAt = Date.now();
            assert.ok(maintenance, "maintenance was started during the load");
            const finishedAt = await maintenance;
            assert.ok(startedDuringLoad < committedAt);
            assert.ok(
                finishedAt >= committedAt - 50,
                `maintenance finished ${committedAt - finishedAt} ms before the load committed: it did not wait`,
            );
            const [{ n }] = (await other.query("SELECT count(*)::int AS n FROM app.habit_checkins")).rows;
            assert.ok(n > 0);
        } finally {
            await other.end();
        }
    });
});
