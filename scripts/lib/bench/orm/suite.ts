/** `npm run bench -- orm [--users N] [--seconds N] [--quick]`: flags to a run, the run to its results. */
import { machineDescription, type SuiteOutput, today } from "../results";
import type { BenchFlags, Progress } from "../suites";
import { ormChart, ormMarkdown } from "./report";
import { benchOrm } from "./run";

/** Defaults: the goal size (100,000 users, ~10M tasks) for a deliberate run; a few users for --quick. */
export async function ormSuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const users = o.int("users", o.quick ? 120 : 100_000);
    const seconds = o.int("seconds", o.quick ? 1 : 10);
    const options = {
        users,
        tasksPerUser: o.quick ? 30 : 100,
        seconds,
        warmupSeconds: o.quick ? 1 : 3,
        transactions: o.quick ? 8 : undefined,
        clients: 2,
        samples: o.quick ? 4 : 50,
        progress,
    };
    progress(
        `bench orm: ${users.toLocaleString("en")} users (~${options.tasksPerUser} tasks each), ${o.quick ? `${options.transactions} transactions per client and slice` : `${seconds} s per statement and variant`}, ${options.clients} clients`,
    );
    const result = await benchOrm(options);
    const meta = {
        machine: machineDescription(),
        date: today(),
        seconds,
        warmupSeconds: options.warmupSeconds,
        clients: options.clients,
        quick: o.quick,
    };
    return {
        json: { meta, options: { ...options, progress: undefined }, result },
        markdown: ormMarkdown(result, meta),
        files: { "orm.svg": ormChart(result) },
    };
}
