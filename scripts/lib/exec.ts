/**
 * Running the server's tools as the right OS user. PostgreSQL and pgBackRest refuse to run as root, so when this
 * process is root every server-side command runs as `postgres` through runuser; otherwise as the current user.
 */
import { execFile, type ExecFileOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";

export const PG_BIN = process.env.PG_BINDIR ?? "/usr/lib/postgresql/15/bin";

/** The OS user that owns and runs servers: `postgres` when we are root, else ourselves. */
export function serverUser(): { name: string; uid: number; gid: number } {
    if (process.getuid?.() !== 0) {
        const info = os.userInfo();
        return { name: info.username, uid: info.uid, gid: info.gid };
    }
    const line = fs
        .readFileSync("/etc/passwd", "utf8")
        .split("\n")
        .find((l) => l.startsWith("postgres:"));
    if (!line) throw new Error("running as root needs the `postgres` OS user (created by the postgresql-15 package)");
    const [, , uid, gid] = line.split(":");
    return { name: "postgres", uid: Number(uid), gid: Number(gid) };
}

export class CommandError extends Error {
    constructor(
        readonly command: string,
        readonly code: number | string | null,
        readonly stdout: string,
        readonly stderr: string,
    ) {
        super(`${command} failed (${code}): ${stderr.trim() || stdout.trim()}`);
        this.name = "CommandError";
    }
}

/** Runs a command and resolves with its stdout; rejects with its stderr in the message. */
export async function run(
    cmd: string,
    args: readonly string[],
    opts: ExecFileOptions & { input?: string } = {},
): Promise<string> {
    return (await runWithOutput(cmd, args, opts)).stdout;
}

/** Runs a command and resolves with its stdout and stderr (tools that report on stderr: pg_rewind, pg_basebackup). */
export function runWithOutput(
    cmd: string,
    args: readonly string[],
    opts: ExecFileOptions & { input?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = execFile(
            cmd,
            [...args],
            { maxBuffer: 64 * 1024 * 1024, ...opts, encoding: "utf8" },
            (error, stdout, stderr) => {
                if (error)
                    reject(
                        new CommandError(
                            [cmd, ...args].join(" "),
                            (error as NodeJS.ErrnoException).code ?? null,
                            String(stdout),
                            String(stderr),
                        ),
                    );
                else resolve({ stdout: String(stdout), stderr: String(stderr) });
            },
        );
        if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
}

/** Runs a command as the server user (via runuser when root). */
export async function runAsServer(
    cmd: string,
    args: readonly string[],
    opts: ExecFileOptions & { input?: string } = {},
): Promise<string> {
    return (await runAsServerWithOutput(cmd, args, opts)).stdout;
}

/** runAsServer, resolving with stdout and stderr. */
export function runAsServerWithOutput(
    cmd: string,
    args: readonly string[],
    opts: ExecFileOptions & { input?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
    if (process.getuid?.() === 0) return runWithOutput("runuser", ["-u", serverUser().name, "--", cmd, ...args], opts);
    return runWithOutput(cmd, args, opts);
}

/** Gives a path to the server user (no-op when we are that user). */
export function chownToServer(path: string): void {
    const user = serverUser();
    if (process.getuid?.() === 0) fs.chownSync(path, user.uid, user.gid);
}

/** True when the server user can enter `dir` and every directory on the way to it (execute permission). */
export async function serverCanTraverse(dir: string): Promise<boolean> {
    try {
        await runAsServer("test", ["-x", dir]);
        return true;
    } catch {
        return false;
    }
}
