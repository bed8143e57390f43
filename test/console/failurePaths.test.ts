/**
 * The edges an operator lives at, on a real local environment: destructive commands ask first (and refuse with no
 * terminal), a server killed under a seed, and every command against a stopped server, a reset environment and a bad
 * URL. Each failure is one line naming what to do: no stack trace, no tool command line.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "../../scripts/lib/local/cluster";
import { PG_BIN, runAsServer } from "../../scripts/lib/exec";
import { readMigrations } from "../../scripts/lib/migrations/files";
import type { CliResult } from "../harness/cli";
import { LocalEnvironment } from "../harness/localEnv";
import { ROOT } from "../harness/stack";

const TS_NODE = require.resolve("ts-node/dist/bin.js");

/** Runs a script on a pseudo-terminal (util-linux `script`), typing `answer` at its prompt. */
function onTerminal(env: LocalEnvironment, args: readonly string[], answer: string): Promise<CliResult> {
    const command = [process.execPath, TS_NODE, "--transpile-only", ...args].map((a) => `'${a}'`).join(" ");
    return new Promise((resolve, reject) => {
        const child = spawn("script", ["-qec", command, "/dev/null"], {
            cwd: ROOT,
            env: { ...process.env, METACORTEX_LOCAL_DIR: env.dir, DATABASE_URL: undefined },
        });
        let stdout = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr: "" }));
        child.stdin.end(`${answer}\n`);
    });
}

/** The commands an operator runs against a database, with arguments that would otherwise succeed. */
const COMMANDS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    ["status", "status.ts", []],
    ["health", "health.ts", []],
    ["db:migrate", "db.ts", ["migrate"]],
    ["db:rollback", "db.ts", ["rollback"]],
    ["db:status", "db.ts", ["status"]],
    ["db:seed", "seed.ts", ["--users", "5"]],
    ["backup", "backup.ts", []],
    ["backup --list", "backup.ts", ["--list"]],
    ["report", "report.ts", ["--out", path.join(os.tmpdir(), "metacortex-unused-report.tar.gz")]],
];

/** The one line a failed command printed: status's verdict line (it exits 3), every other command's stderr. */
function failureLine(name: string, r: CliResult): string {
    if (name === "status") {
        assert.equal(r.code, 3, r.stdout + r.stderr);
        return r.stdout.split("\n")[1].replace(/^UNREACHABLE \(exit 3\): /, "status: ");
    }
    assert.ok(r.code === 1 || r.code === 2, `${name} exits 1 or 2, got ${r.code}: ${r.stdout}${r.stderr}`);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, `${name}: one line, got\n${r.stderr}`);
    return lines[0];
}

/** Runs every command in `state` (those of `only` when given), three at a time; each must fail with one line naming `todo`. */
async function everyCommand(
    env: LocalEnvironment,
    state: string,
    todo: RegExp,
    extra: Record<string, string> = {},
    only?: readonly string[],
) {
    const commands = COMMANDS.filter(([name]) => !only || only.includes(name));
    const results: Array<[string, CliResult]> = [];
    for (let i = 0; i < commands.length; i += 3)
        results.push(
            ...(await Promise.all(
                commands
                    .slice(i, i + 3)
                    .map(
                        async ([name, script, args]) =>
                            [name, await env.run(script, args, extra)] as [string, CliResult],
                    ),
            )),
        );
    for (const [name, r] of results) {
        if (name === "backup --list" && state === "stopped") {
            // The repository needs no server: listing still works.
            assert.deepEqual([r.code, r.stdout.trim()], [0, "no backups yet: npm run backup -- --type full"]);
            continue;
        }
        const line = failureLine(name, r);
        assert.match(line, todo, `${name} (${state}): ${line}`);
        assert.doesNotMatch(
            r.stdout + r.stderr,
            /\n\s+at |dbmate\/dist|--migrations-dir|dial tcp|ENOENT/,
            `${name} (${state})`,
        );
    }
}

describe("failure paths: confirmation, a killed server, a stopped or reset environment, a bad URL", function () {
    this.timeout(300_000);
    let env: LocalEnvironment;
    const migrations = readMigrations().length;
    const applied = async () =>
        Number((await env.query<{ n: string }>("SELECT count(*) AS n FROM public.schema_migrations"))[0].n);
    const users = async () => Number((await env.query<{ n: string }>("SELECT count(*) AS n FROM app.users"))[0].n);

    before(async () => {
        env = await LocalEnvironment.start();
        assert.equal((await env.run("seed.ts", ["--users", "20", "--tasks-per-user", "5"])).code, 0);
    });
    after(async () => {
        await env?.destroy();
    });

    it("db:rollback --all, db:seed --replace and local --reset refuse with no terminal and no --yes, showing the target", async () => {
        const [rollback, seed, reset] = await Promise.all([
            env.run("db.ts", ["rollback", "--all"]),
            env.run("seed.ts", ["--users", "3", "--replace"]),
            env.run("local.ts", ["--reset"]),
        ]);
        const port = env.state.port;
        assert.equal(rollback.code, 2);
        assert.match(
            rollback.stdout,
            new RegExp(
                `^roll back all ${migrations} migrations \\(dropping every table and its rows\\) on localhost:${port}/metacortex, rows: .*users 20 \\(estimated from statistics\\)$`,
                "m",
            ),
        );
        assert.equal(
            rollback.stderr.trim(),
            `db: refusing to roll back all ${migrations} migrations (dropping every table and its rows) without confirmation: no terminal to ask on; add --yes to confirm`,
        );
        assert.equal(seed.code, 2);
        assert.match(seed.stderr.trim(), /^seed: refusing to replace every user's data .* add --yes to confirm$/);
        assert.equal(reset.code, 2);
        assert.match(
            reset.stdout,
            new RegExp(
                `^delete the local environment on localhost:${port}/metacortex, rows: .*users 20 \\(deletes ${env.state.clusterRoot}\\)$`,
                "m",
            ),
        );
        assert.deepEqual([await applied(), await users()], [migrations, 20], "nothing changed");
        assert.ok(fs.existsSync(path.join(env.state.clusterRoot, "data", "PG_VERSION")));
    });

    it("asks on a terminal: 'no' changes nothing, 'yes' goes on", async () => {
        const no = await onTerminal(env, ["scripts/db.ts", "rollback", "--all"], "no");
        assert.equal(no.code, 2, no.stdout);
        assert.match(no.stdout, /Type yes to roll back all \d+ migrations/);
        assert.match(no.stdout, /not confirmed \(answer "no"\): nothing changed/);
        assert.equal(await applied(), migrations);
        const yes = await onTerminal(env, ["scripts/seed.ts", "--users", "3", "--replace"], "yes");
        assert.equal(yes.code, 0, yes.stdout);
        assert.equal(await users(), 3);
    });

    it("a server killed under a seed: one line naming what to do, no stack trace", async () => {
        const child = spawn(
            process.execPath,
            [
                TS_NODE,
                "--transpile-only",
                "scripts/seed.ts",
                "--users",
                "2000",
                "--tasks-per-user",
                "20",
                // Progress after every 100 users: the server is killed at the first line, with 90% still to load.
                "--chunk-size",
                "100",
                "--replace",
                "--yes",
            ],
            {
                cwd: ROOT,
                env: { ...process.env, METACORTEX_LOCAL_DIR: env.dir, DATABASE_URL: undefined },
            },
        );
        let stdout = "";
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        const started = new Promise<void>((resolve) =>
            child.stdout.on("data", (d) => {
                stdout += d;
                if (/seed: +\d+%/.test(stdout)) resolve();
            }),
        );
        const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
        await started;
        await runAsServer(path.join(PG_BIN, "pg_ctl"), [
            "-D",
            path.join(env.state.clusterRoot, "data"),
            "-m",
            "immediate",
            "stop",
        ]);
        assert.equal(await exited, 1, stdout + stderr);
        assert.equal(
            stderr.trim(),
            "seed: the server went away during the command (stopped, killed or restarting): for the local environment run npm run local (npm run local -- --status shows its state), else check DATABASE_URL, then run the command again",
        );
    });

    it("every command against the stopped server: one line naming npm run local (backup --list still lists)", async () => {
        await everyCommand(env, "stopped", /npm run local/);
    });

    it("every command that takes DATABASE_URL, against a bad URL: one line naming DATABASE_URL", async () => {
        const url = `postgres://metacortex_admin:x@127.0.0.1:${await freePort()}/metacortex?sslmode=verify-full`;
        // backup is the local environment's alone: it does not read DATABASE_URL.
        const connecting = COMMANDS.map(([name]) => name).filter((n) => !n.startsWith("backup"));
        await everyCommand(env, "bad URL", /DATABASE_URL/, { DATABASE_URL: url }, connecting);
        const empty = await env.run("db.ts", ["status"], { DATABASE_URL: "" });
        assert.match(empty.stderr.trim(), /^db: DATABASE_URL is set but empty: unset it to use the local environment/);
    });

    it("local --reset --yes deletes the cluster and connections.json; then every command: one line naming npm run local", async () => {
        const reset = await env.run("local.ts", ["--reset", "--yes"]);
        assert.equal(reset.code, 0, reset.stderr);
        assert.ok(!fs.existsSync(path.join(env.dir, "connections.json")), "no stale connections.json");
        await everyCommand(env, "reset", /npm run local/);
    });

    it("names a flag npm took for itself (npm run status --json, without --) instead of ignoring it", async () => {
        const r = await new Promise<CliResult>((resolve) => {
            const child = spawn("npm", ["run", "--silent", "status", "--json"], {
                cwd: ROOT,
                env: { ...process.env, METACORTEX_LOCAL_DIR: env.dir, DATABASE_URL: undefined },
            });
            let [stdout, stderr] = ["", ""];
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
        });
        assert.equal(r.code, 64, r.stdout + r.stderr);
        assert.match(
            r.stderr,
            /^status: npm took --json for itself and did not pass it on: use npm run status -- --json$/m,
        );
    });
});
