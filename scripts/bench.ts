/**
 * `npm run bench -- <suite> [--quick] [--record] [...]`: benchmarks, separate from the tests. Each prints progress and
 * a summary. Results go to bench/results/tmp/ (git-ignored) unless --record is given: only a deliberate run replaces
 * the committed bench/results/<suite>.* (and, for plans, the plans section of docs/schema.md).
 * Suites: keys (primary-key types), plans (EXPLAIN of the canonical queries), pool (PgBouncer against direct),
 * queries (the canonical task filters: RLS, owner, naive schema), orm (the statements an ORM sends), writes (what
 * each candidate index costs to write), layout (tenant rows stored together: pg_repack before and after), seed (the
 * seeder against a plain COPY of the same rows), charts
 * (re-renders the committed charts from the committed JSON).
 */
import { main, parseFlags, UsageError } from "./lib/cli";
import { chartsSuite } from "./lib/bench/orm/report";
import { ormSuite } from "./lib/bench/orm/suite";
import { layoutSuite } from "./lib/bench/layout";
import { seedSuite } from "./lib/bench/seed";
import { whereLine, writeResults } from "./lib/bench/results";
import { type BenchFlags, keysSuite, plansSuite, poolSuite, querySuite } from "./lib/bench/suites";
import { writesSuite } from "./lib/bench/writes/suite";

const USAGE =
    "npm run bench -- <keys [--rows N] [--batch N] | plans [--users N] | pool [--seconds N] | queries [--users N] [--seconds N] | orm [--users N] [--seconds N] | writes [--users N] [--seconds N] | layout [--users N] | seed [--users N] | charts> [--quick] [--record]";

const SUITES = {
    keys: keysSuite,
    plans: plansSuite,
    pool: poolSuite,
    queries: querySuite,
    orm: ormSuite,
    writes: writesSuite,
    layout: layoutSuite,
    seed: seedSuite,
    charts: chartsSuite,
} as const;

/** A flag's positive whole number, or the fallback when it is absent. */
function positiveInt(values: Record<string, unknown>, name: string, fallback: number): number {
    const v = values[name];
    if (v === undefined) return fallback;
    if (typeof v !== "string" || !/^\d+$/.test(v) || Number(v) < 1)
        throw new UsageError(`--${name} must be a positive whole number, got ${String(v)}`);
    return Number(v);
}

main("bench", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            rows: { type: "string" },
            batch: { type: "string" },
            users: { type: "string" },
            seconds: { type: "string" },
            quick: { type: "boolean" },
            record: { type: "boolean" },
        },
        USAGE,
    );
    const [suite, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}. Usage: ${USAGE}`);
    const runSuite =
        suite !== undefined && Object.hasOwn(SUITES, suite) ? SUITES[suite as keyof typeof SUITES] : undefined;
    if (!runSuite) throw new UsageError(`unknown suite ${suite ?? "(none)"}. Usage: ${USAGE}`);
    const flags: BenchFlags = {
        quick: Boolean(values.quick),
        record: Boolean(values.record),
        int: (name, fallback) => positiveInt(values, name, fallback),
    };
    if (flags.record && flags.quick) throw new UsageError("--record keeps deliberate runs only; drop --quick");
    const out = await runSuite(flags, (line) => console.log(line));
    const files = writeResults(suite, flags.record, out);
    console.log(`\n${out.markdown}`);
    console.log(whereLine(suite, flags.record, files));
});
