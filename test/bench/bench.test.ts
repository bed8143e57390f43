/** Each benchmark runs on a tiny dataset so its script cannot rot; assertions are on the results' shape, not timings. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { run } from "../../scripts/lib/exec";
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

describe("ORM benchmark (quick run)", function () {
    this.timeout(300_000);
    const committed = path.join(ROOT, "bench", "results");
    const digest = () =>
        fs
            .readdirSync(committed)
            .filter((f) => !fs.statSync(path.join(committed, f)).isDirectory())
            .map((f) => `${f}:${fs.readFileSync(path.join(committed, f), "utf8").length}`)
            .join(",");

    it("orm: every statement captured from the models, timed RLS and owner in the discarded-then-ABBA order, with buffers, plans and planning time; committed results untouched", async () => {
        const before = digest();
        const result = await runScript("bench.ts", ["orm", "--quick", "--users", "80"]);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(digest(), before, "a run without --record leaves bench/results/ alone");
        assert.match(result.stdout, /results in bench\/results\/tmp\/.*scratch, git-ignored; rerun with --record/);
        const { result: r } = JSON.parse(fs.readFileSync(path.join(TMP, "orm.json"), "utf8"));
        assert.equal(r.statements.length, 15);
        for (const s of r.statements) {
            assert.deepEqual(
                s.order.slice(0, 2).map((x: string) => x.endsWith("(warm-up)")),
                [true, true],
                s.name,
            );
            assert.equal(s.order.filter((x: string) => !x.endsWith("(warm-up)")).length, 4);
            for (const v of [s.rls, s.owner]) {
                assert.ok(v.p95Ms > 0 && v.explain.buffers.median >= 0 && v.explain.planningMs > 0, s.name);
                assert.ok(v.explain.plan.length > 0, s.name);
            }
        }
        const byName = Object.fromEntries(r.statements.map((s: { name: string }) => [s.name, s]));
        assert.doesNotMatch(byName.open_rls_only.sql, /user_id = :uid/, "the RLS-only statement names no user");
        assert.match(byName.open_rls_only.ownerSql, /user_id = :uid/, "the owner's variant names the tenant");
        assert.match(byName.open_load_only.rls.explain.plan, /Index Only Scan using tasks_open_due_cover_idx/);
        assert.match(byName.recent_load_only.rls.explain.plan, /tasks_recent_cover_idx/);
        assert.match(byName.habit_30d_now.sql, /now\(\) - '30 days/);
        assert.ok(
            byName.habit_30d_now.rls.explain.planningBuffers > byName.habit_30d_bounds.rls.explain.planningBuffers,
            "bounds bound in Python prune partitions at plan time",
        );
        assert.match(fs.readFileSync(path.join(TMP, "orm.svg"), "utf8"), /^<svg /);
    });
});

describe("write-cost, layout and seed benchmarks (quick runs)", function () {
    this.timeout(300_000);

    it("writes, layout and seed: the costs of each index, of a repack, and the seeder against plain COPY", async () => {
        for (const [suite, users] of [
            ["writes", "60"],
            ["layout", "80"],
            ["seed", "60"],
        ]) {
            const result = await runScript("bench.ts", [suite, "--quick", "--users", users]);
            assert.equal(result.code, 0, `${suite}: ${result.stderr}`);
        }
        const writes = JSON.parse(fs.readFileSync(path.join(TMP, "writes.json"), "utf8")).result;
        assert.deepEqual(
            writes.points.map((p: { config: string }) => p.config),
            [
                "baseline (before)",
                "+ tasks_recent_cover_idx",
                "+ tasks_done_idx",
                "+ tasks_title_trgm_idx",
                "shipped (recent + done)",
                "baseline (after)",
            ],
        );
        const trgm = writes.probes.find((p: { index: string }) => p.index === "tasks_title_trgm_idx");
        assert.match(trgm.owner, /ILIKE in the index condition/, "as the owner, the trigram index evaluates ILIKE");
        assert.doesNotMatch(
            trgm.rls,
            /ILIKE in the index condition/,
            "ILIKE is not leakproof: no index evaluates it under RLS",
        );
        const layout = JSON.parse(fs.readFileSync(path.join(TMP, "layout.json"), "utf8")).result;
        const [arrival, repacked] = layout.points;
        assert.ok(repacked.locality.spread < arrival.locality.spread, "a repack puts each user's rows together");
        const seed = JSON.parse(fs.readFileSync(path.join(TMP, "seed.json"), "utf8"));
        assert.equal(seed.points.length, 7, "a plain COPY before and after each of the three loads");
        assert.ok(seed.ratios.every((r: number) => r > 0));
        assert.match(
            fs.readFileSync(path.join(TMP, "seed.md"), "utf8"),
            /\| fast, empty database \(parallel streams\) \| [\d,]+ \| [\d.]+ \| [\d.]+ \|/,
        );
    });

    it("refuses --record on a quick run", async () => {
        const result = await runScript("bench.ts", ["orm", "--quick", "--record"]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, /--record keeps deliberate runs only/);
    });
});

describe("committed charts", () => {
    const { chartsSuite } =
        require("../../scripts/lib/bench/orm/report") as typeof import("../../scripts/lib/bench/orm/report");
    const { axis } = require("../../scripts/lib/bench/chart") as typeof import("../../scripts/lib/bench/chart");
    it("each committed SVG is what the chart code renders from the committed JSON (npm run bench -- charts --record)", async () => {
        const out = await chartsSuite({ quick: false, record: false, int: (_n, f) => f }, () => undefined);
        for (const [name, svg] of Object.entries(out.files ?? {})) {
            const file = path.join(ROOT, "bench", "results", name);
            assert.ok(fs.readFileSync(file, "utf8") === svg, `${name} is stale: run npm run bench -- charts --record`);
            await run("rsvg-convert", [file, "-o", path.join(require("os").tmpdir(), `metacortex-${name}.png`)]);
        }
        assert.ok(Object.keys(out.files ?? {}).includes("queries.svg"));
    });
    it("puts latency on a log axis with a tick per power of ten, from below the smallest to above the largest value", () => {
        const { pos, ticks } = axis([0.47, 10601.85], "log");
        assert.deepEqual(ticks, [0.1, 1, 10, 100, 1000, 10000, 100000]);
        assert.equal(pos(0.1), 0);
        assert.equal(pos(100000), 1);
    });
});
