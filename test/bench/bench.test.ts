/** Each benchmark runs on a tiny dataset so its script cannot rot; assertions are on the results' shape, not timings. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { runScript } from "../harness/cli";
import { ROOT } from "../harness/stack";

const TMP = path.join(ROOT, "bench", "results", "tmp");

describe("benchmarks (quick runs)", function () {
    this.timeout(300_000);

    it("keys: every key type measured, with rates, sizes and WAL", async () => {
        const result = await runScript("bench.ts", ["keys", "--quick", "--rows", "20000", "--batch", "5000"]);
        assert.equal(result.code, 0, result.stderr);
        const json = JSON.parse(fs.readFileSync(path.join(TMP, "keys.json"), "utf8"));
        assert.deepEqual(
            json.results.map((r: { variant: string }) => r.variant),
            ["bigint identity", "uuid v4 (gen_random_uuid)", "uuid v7 (app.uuid_generate_v7)"],
        );
        for (const r of json.results) {
            assert.equal(r.rows, 20000);
            for (const k of ["rowsPerSecond", "indexBytes", "tableBytes", "walBytes"])
                assert.ok(r[k] > 0, `${r.variant} ${k}`);
        }
        assert.match(
            fs.readFileSync(path.join(TMP, "keys.md"), "utf8"),
            /\| uuid v7 \(app\.uuid_generate_v7\) \| [\d,]+ \|/,
        );
    });

    it("plans: an EXPLAIN section per canonical query", async () => {
        const result = await runScript("bench.ts", ["plans", "--quick", "--users", "60"]);
        assert.equal(result.code, 0, result.stderr);
        const md = fs.readFileSync(path.join(TMP, "plans.md"), "utf8");
        for (const name of [
            "open_by_due",
            "status_priority",
            "overdue",
            "by_tag",
            "text_search",
            "subtasks",
            "counts_per_status",
            "today_checkins",
            "note_search",
        ]) {
            assert.match(md, new RegExp(`### ${name}: [\\s\\S]*?Buffers: shared hit=\\d+`), name);
        }
    });

    it("refuses an unknown suite with one line", async () => {
        const result = await runScript("bench.ts", ["nosuch"]);
        assert.equal(result.code, 2);
        assert.equal(result.stderr.trim().split("\n").length, 1);
        assert.match(result.stderr, /^bench: unknown suite nosuch/);
    });
});

describe("pool benchmark (quick run)", function () {
    this.timeout(300_000);
    it("measures direct and PgBouncer (with and without its reset), persistent and -C, at each client count, with tps, percentiles and server connections", async () => {
        const result = await runScript("bench.ts", ["pool", "--quick", "--seconds", "2"]);
        assert.equal(result.code, 0, result.stderr);
        const json = JSON.parse(fs.readFileSync(path.join(TMP, "pool.json"), "utf8"));
        // Persistent: direct, PgBouncer as deployed and PgBouncer without its reset (the reset's cost); -C: the first two.
        assert.equal(json.points.length, 10, "(3 + 2 paths) x 2 client counts");
        for (const p of json.points) {
            assert.ok(["direct", "pgbouncer", "pgbouncer-no-reset"].includes(p.path));
            if (p.path === "pgbouncer-no-reset") assert.equal(p.connectPerTransaction, false);
            if (!p.error)
                for (const k of ["tps", "p50Ms", "p95Ms", "p99Ms"]) assert.ok(p[k] > 0, `${p.path} ${p.clients} ${k}`);
        }
        const pooled = json.points.filter((p: { path: string }) => p.path === "pgbouncer");
        assert.ok(
            pooled.every((p: { peakServerConnections: number }) => p.peakServerConnections <= json.poolSize),
            "server connections within the pool",
        );
        assert.match(fs.readFileSync(path.join(TMP, "pool.svg"), "utf8"), /^<svg /);
    });
});

describe("queries benchmark (quick run)", function () {
    this.timeout(300_000);
    it("measures every canonical query as RLS, owner and naive, with percentiles and buffers", async () => {
        const result = await runScript("bench.ts", ["queries", "--quick", "--seconds", "1"]);
        assert.equal(result.code, 0, result.stderr);
        const json = JSON.parse(fs.readFileSync(path.join(TMP, "queries.json"), "utf8"));
        assert.equal(json.points.length, 9 * 3);
        for (const p of json.points) {
            assert.ok(!p.error, `${p.query} ${p.variant}: ${p.error}`);
            for (const k of ["p50Ms", "p95Ms", "p99Ms", "buffers"]) assert.ok(p[k] > 0, `${p.query} ${p.variant} ${k}`);
        }
        assert.match(fs.readFileSync(path.join(TMP, "queries.md"), "utf8"), /\| open_by_due \| [\d.]+ \| [\d.]+ \|/);
        // Index sizes next to the table's, for the report's cost column; the covering indexes exist, the old ones do not.
        assert.ok(json.relationSizes["app.tasks"] > 0 && json.relationSizes.tasks_open_due_cover_idx > 0);
        assert.equal(json.relationSizes.tasks_open_due_idx, undefined);
        assert.match(result.stdout, /queries: seeded 150\/150 users, [\d,]+ rows/);
    });
});
