/**
 * `npm test`: type-check once (the npm script does), then the lanes of scripts/lib/testRun/lanes.ts as mocha
 * processes side by side, each line prefixed with its lane; a summary per lane; exit 1 if any test failed or a lane
 * did not finish. With arguments (`npm test -- test/security/isolation.test.ts`), one mocha with those arguments.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { main } from "./lib/cli";
import { REPO } from "./lib/repo";
import { type Lane, LANES, laneProblems, mochaArgs, mochaCounts, NOT_TESTS } from "./lib/testRun/lanes";

const MOCHA = path.join(REPO, "node_modules", ".bin", "mocha");

function testFolders(): string[] {
    return fs
        .readdirSync(path.join(REPO, "test"), { withFileTypes: true })
        .filter((d) => d.isDirectory() && !NOT_TESTS.includes(d.name))
        .map((d) => d.name);
}

/** Runs mocha, copying its output line by line behind `prefix`; resolves with the exit code and the whole output. */
function runMocha(args: readonly string[], prefix: string): Promise<{ code: number; output: string; seconds: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(MOCHA, [...args], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const pending = { stdout: "", stderr: "" };
        const copy = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
            output += chunk.toString();
            const lines = (pending[stream] + chunk.toString()).split("\n");
            pending[stream] = lines.pop() ?? "";
            for (const line of lines) process[stream].write(`${prefix}${line}\n`);
        };
        child.stdout.on("data", copy("stdout"));
        child.stderr.on("data", copy("stderr"));
        const stop = () => child.kill("SIGINT");
        process.once("SIGINT", stop);
        child.on("close", (code, signal) => {
            process.removeListener("SIGINT", stop);
            for (const stream of ["stdout", "stderr"] as const)
                if (pending[stream]) process[stream].write(`${prefix}${pending[stream]}\n`);
            resolve({ code: code ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000 });
        });
    });
}

main("test", async () => {
    const argv = process.argv.slice(2);
    if (argv.length > 0) return (await runMocha(argv, "")).code;
    const problems = laneProblems(LANES, testFolders());
    if (problems.length > 0) throw new Error(problems.join("; "));
    const started = Date.now();
    const results = await Promise.all(
        LANES.map(async (lane: Lane) => ({ lane, ...(await runMocha(mochaArgs(lane), `[${lane.name}] `)) })),
    );
    console.log("\ntest: summary");
    for (const r of results) {
        const c = mochaCounts(r.output);
        console.log(
            `  lane ${r.lane.name} (${r.lane.folders.join(", ")}): ${c.passing} passing, ${c.failing} failing, ${c.pending} pending, ${r.seconds.toFixed(0)} s, exit ${r.code}`,
        );
    }
    const total = results.reduce((a, r) => a + mochaCounts(r.output).passing, 0);
    const failed = results.filter((r) => r.code !== 0);
    console.log(
        `  ${total} passing in ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length ? `; lane ${failed.map((r) => r.lane.name).join(", ")} failed` : ""}`,
    );
    return failed.length > 0 ? 1 : 0;
});
