import type { SuiteOutput } from "./results";
import type { BenchFlags, Progress } from "./suites";
export async function layoutSuite(_o: BenchFlags, _p: Progress): Promise<SuiteOutput> {
    throw new Error("todo");
}
