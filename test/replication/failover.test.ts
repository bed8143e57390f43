/**
 * The failover drill, small: one primary and one standby behind PgBouncer, four writers, each scenario once in a row
 * (the pair's roles swap each time): the primary killed with asynchronous and with synchronous replication, and a
 * planned switchover. Without fsync, to keep it short; the measured run is in bench/results/drill-failover-*.
 */
import { strict as assert } from "assert";
import { runFailoverDrill, SCENARIOS } from "../../scripts/lib/drill/failover";
import type { ScenarioResult } from "../../scripts/lib/drill/failoverReport";
import { runScript } from "../harness/cli";

describe("npm run drill:failover", function () {
    this.timeout(240_000);
    let results: ScenarioResult[];
    const lines: string[] = [];
    const of = (scenario: string) => results.find((r) => r.scenario === scenario)!;

    before(async () => {
        results = await runFailoverDrill({
            scenarios: SCENARIOS,
            runs: 1,
            writers: 4,
            seconds: 0.5,
            fsync: false,
            progress: (l) => lines.push(l),
        });
    });

    it("recovers from a killed primary with asynchronous replication: writes resume, the old primary rejoins", () => {
        const r = of("async");
        assert.deepEqual(r.problems, []);
        assert.ok(r.acknowledged > 100, `${r.acknowledged} commits`);
        assert.ok(r.rtoSeconds > 0 && r.rtoSeconds < 30, `RTO ${r.rtoSeconds} s`);
        assert.equal(r.rejoinedInRecovery, true);
        assert.ok(
            lines.some((l) =>
                /^drill: pg_rewind [\d.]+ s: servers diverged at WAL location \S+ on timeline 1; Done!$/.test(l),
            ),
        );
    });

    it("loses no acknowledged commit with synchronous replication", () => {
        const r = of("sync");
        assert.deepEqual([r.lost, r.problems], [[], []]);
        assert.ok(r.acknowledged > 100 && r.rtoSeconds > 0, JSON.stringify(r));
        assert.ok(
            lines.includes("drill: sync: primary node2, standby node1 (synchronous), 4 writers"),
            "roles swapped",
        );
    });

    it("switches over with no client error and nothing lost, clients held only while paused", () => {
        const r = of("switchover");
        assert.deepEqual([r.failedAttempts, r.lost.length, r.problems], [0, 0, []]);
        assert.ok(
            r.steps.resumedMs >= r.steps.pausedMs && r.maxCommitMs >= r.rtoSeconds * 1000 - 50,
            JSON.stringify(r),
        );
        assert.equal(r.rejoinedInRecovery, true);
    });

    it("refuses a bad flag with one line", async () => {
        const r = await runScript("failover.ts", ["--scenarios", "async,chaos"]);
        assert.deepEqual(
            [r.code, r.stderr.trim()],
            [2, "drill:failover: --scenarios takes async, sync, switchover (comma-separated), got async,chaos"],
        );
    });
});
