/** The benchmarks' pure parts: pgbench scripts from the canonical queries, and merging interleaved slices. */
import { strict as assert } from "assert";
import { mergeResults, pgbenchArgs, quantile, refusedRun } from "../../scripts/lib/bench/pgbench";
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

describe("pgbench invocation", () => {
    const o = { conninfo: "host=x", password: "p", script: "", clients: 8, seconds: 5, connectPerTransaction: true };

    it("runs the script with one thread per client up to the CPUs, logs each transaction, and passes variables", () => {
        assert.deepEqual(pgbenchArgs({ ...o, variables: { users: 50 } }, "/s.sql", "/d/tx", 2), [
            ...["-n", "-f", "/s.sql", "-c", "8", "-j", "2", "-T", "5", "--log", "--log-prefix=/d/tx", "-C"],
            ...["-D", "users=50"],
        ]);
        assert.ok(!pgbenchArgs({ ...o, connectPerTransaction: false }, "/s.sql", "/d/tx", 16).includes("-C"));
    });

    it("reports a refused run by the server's reason, not pgbench's command line", () => {
        const refused = refusedRun(
            500,
            'pgbench: error: connection to server failed: FATAL:  too many connections for role "metacortex_app"\n',
        );
        assert.equal(refused.error, 'too many connections for role "metacortex_app"');
        assert.ok(Number.isNaN(refused.tps));
    });
});
