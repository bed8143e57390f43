/** `npm run bench -- writes [--users N] [--seconds N] [--quick]`: what each candidate index costs to write. */
import { machineDescription, type SuiteOutput, today } from "../results";
import type { BenchFlags, Progress } from "../suites";
import { benchWrites } from "./run";
import { writesMarkdown } from "./report";

export async function writesSuite(o: BenchFlags, progress: Progress): Promise<SuiteOutput> {
    const users = o.int("users", o.quick ? 100 : 10_000);
    const seconds = o.int("seconds", o.quick ? 1 : 20);
    const transactions = o.quick ? 40 : undefined;
    progress(
        `bench writes: ${users.toLocaleString("en")} users (~100 tasks each), ${transactions ? `${transactions} transactions per client` : `${seconds} s`} per workload and configuration, 2 clients`,
    );
    const result = await benchWrites({ users, seconds, transactions, clients: 2, progress });
    const meta = { machine: machineDescription(), date: today(), seconds, quick: o.quick };
    return { json: { meta, result }, markdown: writesMarkdown(result, meta) };
}
