/** The benchmarks' pure parts: pgbench scripts from the canonical queries, and merging interleaved slices. */
import { strict as assert } from "assert";
import { mergeResults, quantile } from "../../scripts/lib/bench/pgbench";
import { benchScript } from "../../scripts/lib/bench/queries";

describe("pgbench scripts from the canonical queries", () => {
    it("substitutes each query's parameters with the bench table, and points the naive variant at the naive schema", () => {
        const script = benchScript(
            "SELECT 1 FROM app.tasks WHERE user_id = $1 AND parent_id = $2",
            "subtasks",
            "naive",
        );
        assert.ok(!script.includes("$1") && !script.includes("$2"));
        assert.match(
            script,
            /FROM naive\.tasks WHERE user_id = \(SELECT user_id FROM bench\.params WHERE n = :n\) AND parent_id = \(SELECT parent_id/,
        );
    });
});

describe("pgbench result merging", () => {
    it("pools the transactions of interleaved slices: percentiles over all, tps over the total time", () => {
        const slice = (latenciesMs: number[]) => ({
            clients: 2,
            tps: 0,
            transactions: latenciesMs.length,
            p50Ms: 0,
            p95Ms: 0,
            p99Ms: 0,
            latenciesMs,
        });
        const merged = mergeResults([slice([1, 2, 3, 4]), slice([5, 6, 7, 8, 9, 10])], 5);
        assert.deepEqual([merged.transactions, merged.tps, merged.p50Ms, merged.p95Ms], [10, 2, 5, 10]);
        assert.equal(quantile([1, 2, 3, 4], 0.5), 2);
        assert.equal(mergeResults([slice([1]), { ...slice([]), error: "refused" }], 1).error, "refused");
    });
});
