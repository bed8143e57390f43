/**
 * The backend's Python package (clients/python: models, tenant sessions, list helpers, schema comparison), run with
 * Debian's python3 and its python3-sqlalchemy, python3-psycopg2 and python3-asyncpg (scripts/provision.sh).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { repoPath } from "../repo";

export const PYTHON_DIR = repoPath("clients", "python");
/** Debian's interpreter, whose dist-packages hold the apt-installed modules; `PYTHON` overrides it. */
export const PYTHON = process.env.PYTHON ?? (fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

export interface PythonResult {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Pure: `text` with every secret replaced by `***` (URLs in the environment carry passwords). */
export function redact(text: string, secrets: readonly string[]): string {
    return secrets.filter((s) => s.length > 0).reduce((out, secret) => out.split(secret).join("***"), text);
}

/** Runs `python3 <args>` in clients/python with the package importable; output redacted of `secrets`. */
export function runPython(
    args: readonly string[],
    env: Readonly<Record<string, string>> = {},
    secrets: readonly string[] = [],
): Promise<PythonResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(PYTHON, [...args], {
            cwd: PYTHON_DIR,
            env: { ...process.env, PYTHONPATH: PYTHON_DIR, PYTHONDONTWRITEBYTECODE: "1", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) =>
            resolve({ code: code ?? -1, stdout: redact(stdout, secrets), stderr: redact(stderr, secrets) }),
        );
    });
}
