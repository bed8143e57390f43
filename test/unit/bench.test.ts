/** The benchmarks' pure parts: pgbench scripts from the canonical queries, and merging interleaved slices. */
import { strict as assert } from "assert";
import { mergeResults, pgbenchArgs, quantile, refusedRun } from "../../scripts/lib/bench/pgbench";
import { benchScript } from "../../scripts/lib/bench/queries";
import { poolChart } from "../../scripts/lib/bench/reports";

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

    it("runs a fixed number of transactions per client (-t) instead of a duration when given one", () => {
        const args = pgbenchArgs({ ...o, transactions: 40 }, "/s.sql", "/d/tx", 2);
        assert.deepEqual(args.slice(args.indexOf("-t"), args.indexOf("-t") + 2), ["-t", "40"]);
        assert.ok(!args.includes("-T"));
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

describe("pool chart", () => {
    const point = (path: string, connectPerTransaction: boolean, tps: number) => ({
        ...{ clients: 4, tps, transactions: 1, p50Ms: 1, p95Ms: 1, p99Ms: 1 },
        ...{ path, connectPerTransaction, peakServerConnections: 4 },
    });
    const run = (points: ReturnType<typeof point>[]) =>
        poolChart({
            instanceClass: "db.r6g.large",
            maxConnections: 100,
            budget: 80,
            poolSize: 20,
            users: 1,
            seconds: 1,
            points,
        });

    it("draws PgBouncer without its reset when the run measured it, and no empty series for older results", () => {
        const base = [point("direct", false, 900), point("pgbouncer", false, 800), point("pgbouncer", true, 700)];
        assert.match(run([...base, point("pgbouncer-no-reset", false, 850)]), /pgbouncer-no-reset, persistent/);
        const older = run(base);
        assert.ok(!older.includes("pgbouncer-no-reset"));
        assert.match(older, /pgbouncer, new connection per transaction/);
    });
});
