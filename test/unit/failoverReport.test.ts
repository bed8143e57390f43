/** The failover drill's verdicts from a writers' log: RTO, the error window, RPO, and what fails a scenario. */
import { strict as assert } from "assert";
import { aggregateRows, longestGap, outage, outcome } from "../../scripts/lib/drill/failoverReport";
import type { WriterEvent, WriterLog } from "../../scripts/lib/drill/failoverWriter";

const ok = (writer: number, at: number, n: number, latencyMs = 1): WriterEvent => ({
    at,
    writer,
    ok: true,
    n,
    latencyMs,
});
const fail = (writer: number, at: number, n?: number): WriterEvent => ({
    at,
    writer,
    ok: false,
    n,
    error: "server conn crashed?",
});
const extra = { steps: {}, disruptedAt: 1000, rewindSeconds: 1, rejoinedInRecovery: true, writers: 2 };

describe("failover drill verdicts", () => {
    // Two writers; the primary is lost at 1000 ms; commits fail until 2400 ms; writer 1 is back at 2600 ms.
    const events = [
        ok(0, 900, 0),
        ok(1, 950, 1),
        ok(0, 1000, 2),
        fail(1, 1010, 3),
        fail(0, 1020, 4),
        fail(1, 2000),
        ok(0, 2400, 6, 300), // started at 2100, after the first failure
        ok(1, 2600, 7),
        ok(0, 2700, 8),
    ];

    it("takes RTO as the longest time without an acknowledged commit, from the last one before the loss", () => {
        assert.equal(longestGap(events, 1000), 1.4);
        // A stall with no error at all (clients held in PgBouncer's queue) is an outage too.
        assert.equal(longestGap([ok(0, 990, 0), ok(0, 3000, 1, 2000)], 1000), 2.01);
    });

    it("takes the error window from the first failure to the first success started after it, and waits for every writer", () => {
        assert.deepEqual(outage(events, 2), { errorWindowSeconds: 1.39, allWritersBackSeconds: 1.59, recovered: true });
        // A success whose transaction started before the first failure does not end the outage.
        const late = [fail(0, 1000), ok(1, 1050, 1, 100), ok(1, 1500, 2)];
        assert.equal(outage(late, 2).errorWindowSeconds, 0.5);
        assert.equal(outage([fail(0, 1000)], 1).recovered, false);
    });

    it("counts as lost only acknowledged commits the new primary lacks, and fails sync and switchover on any", () => {
        const log: WriterLog = { events, acknowledged: [0, 1, 2, 6, 7, 8], inDoubt: [3, 4] };
        const present = new Set([0, 1, 3, 6, 7, 8]);
        const asyncResult = outcome("async", log, present, extra);
        assert.deepEqual([asyncResult.lost, asyncResult.passed, asyncResult.inDoubtCommitted], [[2], true, 1]);
        const syncResult = outcome("sync", log, present, extra);
        assert.deepEqual(syncResult.problems, ["1 acknowledged commit(s) lost (2); sync must lose none"]);
        const switchover = outcome("switchover", log, new Set([0, 1, 2, 6, 7, 8]), extra);
        assert.deepEqual(switchover.problems, ["3 commit(s) failed during the switchover: server conn crashed?"]);
        const notRejoined = outcome("async", log, present, { ...extra, rejoinedInRecovery: false });
        assert.deepEqual(notRejoined.problems, ["the old primary did not come back as a standby"]);
    });

    it("aggregates runs per scenario: RTO median and worst, commits lost in total", () => {
        const log: WriterLog = { events, acknowledged: [0, 1, 2], inDoubt: [] };
        const all = new Set([0, 1, 2]);
        const a = outcome("async", log, all, extra);
        const b = outcome("async", { ...log, events: [ok(0, 1000, 0), ok(0, 1500, 1)] }, all, extra);
        const [row] = aggregateRows([a, b, a]);
        assert.deepEqual(row.slice(1, 5), ["3", "1.40 s", "1.40 s", "0 of 9"]);
        assert.equal(aggregateRows([a, b])[0][2], "0.95 s");
    });
});
