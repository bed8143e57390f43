/**
 * `npm test` runs in two lanes, two mocha processes side by side. Most real-server tests wait (for a server to start,
 * a standby to catch up, a drill's writer, a benchmark's fixed duration) far more than they compute: one process in
 * a row used under one of the machine's two cores. Each lane is a set of test folders; a folder never spans lanes, so
 * whatever a folder's files share in one process (a stack run, a local environment) is still made once.
 */

export interface Lane {
    /** Shown before each line of its output. */
    readonly name: string;
    /** Folders under test/, each run with every `*.test.ts` beneath it. */
    readonly folders: readonly string[];
}

/**
 * Balanced by measured time on 2 vCPUs (6.5 and 4.8 minutes with the schema in the first lane, so it moved): the tiers
 * without PostgreSQL with the benchmarks' quick runs; the operator's console, the schema and the other real-server folders.
 */
export const LANES: readonly Lane[] = [
    { name: "a", folders: ["unit", "architecture", "stack", "policies", "bench", "backend", "load"] },
    { name: "b", folders: ["console", "schema", "postgres", "replication", "monitoring", "security", "backup"] },
];

/** Folders under test/ that hold helpers, not tests. */
export const NOT_TESTS: readonly string[] = ["harness"];

/** Pure: problems with `lanes` for these test folders: a folder in no lane, in two, or a lane naming a missing one. */
export function laneProblems(lanes: readonly Lane[], testFolders: readonly string[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const lane of lanes)
        for (const folder of lane.folders) {
            const other = seen.get(folder);
            if (other) problems.push(`test/${folder} is in lanes ${other} and ${lane.name}`);
            seen.set(folder, lane.name);
            if (!testFolders.includes(folder))
                problems.push(`lane ${lane.name} names test/${folder}, which has no tests`);
        }
    for (const folder of testFolders)
        if (!seen.has(folder))
            problems.push(`test/${folder} is in no lane: add it to LANES (scripts/lib/testRun/lanes.ts)`);
    return problems;
}

/** Pure: mocha's arguments for a lane: one quoted glob per folder, expanded by mocha itself. */
export function mochaArgs(lane: Lane): string[] {
    return lane.folders.map((f) => `test/${f}/**/*.test.ts`);
}

/** Pure: the passing/failing/pending counts from the end of a mocha spec report. */
export function mochaCounts(output: string): { passing: number; failing: number; pending: number } {
    const count = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}`, "m").exec(output)?.[1] ?? 0);
    return { passing: count("passing"), failing: count("failing"), pending: count("pending") };
}
