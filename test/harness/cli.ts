/** Runs the project's command-line scripts as a user would (ts-node), capturing output and exit code. */
import { spawn } from "child_process";
import * as path from "path";
import { ROOT } from "./stack";

export interface CliResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

export function runScript(
    script: string,
    args: readonly string[],
    env: Record<string, string | undefined> = {},
): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(ROOT, "scripts", script), ...args],
            {
                cwd: ROOT,
                env: { ...process.env, ...env },
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}
