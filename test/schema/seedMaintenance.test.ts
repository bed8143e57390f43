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
        const observer = db.client("admin");
        await other.connect();
        await observer.connect();
        try {
            let maintenance: Promise<number> | undefined;
            // While the load runs, watch the maintenance backend: it must be seen blocked by another backend's lock.
            let loading = true;
            let blockedBy: number[] = [];
            const watcher = (async () => {
                while (loading && blockedBy.length === 0) {
                    if (maintenance) {
                        const { rows } = await observer.query("SELECT pg_blocking_pids($1) AS pids", [
                            (other as unknown as { processID: number }).processID,
                        ]);
                        blockedBy = rows[0].pids;
                    }
                    await new Promise((resolve) => setTimeout(resolve, 10));
                }
            })();
            try {
                await loadSeed(db.cluster.connection(), {
                    users: 300,
                    tasksPerUser: 10,
                    checkinDays: 40,
                    asOf: Date.now() - 86_400_000,
                    seed: "maintenance",
                    chunkSize: 50,
                    onProgress: (done, total) => {
                        if (maintenance || done >= total) return;
                        // The check-ins job's maintenance, as the owner, run while the load's transaction is open.
                        maintenance = other
                            .query(
                                "SET ROLE metacortex_owner; SELECT app.run_partition_maintenance('app.habit_checkins')",
                            )
                            .then(() => Date.now());
                    },
                });
            } finally {
                loading = false;
                await watcher;
            }
            const committedAt = Date.now();
            assert.ok(maintenance, "maintenance was started during the load");
            assert.equal(
                blockedBy.length,
                1,
                "maintenance was seen waiting for the load's lock before the load committed",
            );
            const finishedAt = await maintenance;
            assert.ok(
                finishedAt >= committedAt - 50,
                `maintenance finished ${committedAt - finishedAt} ms before the load committed: it did not wait`,
            );
            const [{ n }] = (await other.query("SELECT count(*)::int AS n FROM app.habit_checkins")).rows;
            assert.ok(n > 0);
        } finally {
            await other.end();
            await observer.end();
        }
    });
});
