/**
 * Every runbook's local steps (```sh local blocks of docs/runbooks/*.md), run as written, in order, in one bash
 * session against a local environment, then their outcome checked. A runbook with a scenario here gets its situation
 * set up first (the rows to lose, the user whose rows they were); any other runbook's local blocks run as they are.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { blocksTagged, codeBlocks } from "../../scripts/lib/docs/runbookBlocks";
import { readMigrations } from "../../scripts/lib/migrations/files";
import type { CliResult } from "../harness/cli";
import { type LocalEnvironment, sharedLocalEnvironment } from "../harness/localEnv";
import { waitFor } from "../harness/pg";
import { ROOT } from "../harness/stack";

const RUNBOOKS = path.join(ROOT, "docs", "runbooks");

interface Scenario {
    /** Sets up the situation the runbook is for; returns the variables its blocks expect. */
    setup(env: LocalEnvironment): Promise<Record<string, string>>;
    /** Checks what the runbook achieved. */
    check(env: LocalEnvironment, vars: Record<string, string>): Promise<void>;
}

const count = async (env: LocalEnvironment, sql: string, params: unknown[] = []) =>
    Number((await env.query<{ n: string }>(sql, params))[0].n);

const SCENARIOS: Record<string, Scenario> = {
    "bad-migration.md": {
        setup: async () => ({}),
        check: async (env) => {
            assert.equal(
                await count(env, "SELECT count(*) AS n FROM public.schema_migrations"),
                readMigrations().length - 1,
            );
            assert.equal((await env.run("db.ts", ["migrate"])).code, 0, "migrated back for the next runbook");
        },
    },
    "deleted-rows.md": {
        // A user's tasks deleted by mistake, after a full backup; the runbook must bring every one back.
        setup: async (env) => {
            assert.equal((await env.run("seed.ts", ["--users", "8", "--tasks-per-user", "12"])).code, 0);
            assert.equal((await env.run("backup.ts", ["--type", "full"])).code, 0);
            const backedUp = Date.now();
            const [user] = await env.query<{ id: string; n: string }>(
                "SELECT user_id AS id, count(*) AS n FROM app.tasks GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
            );
            // The restore point (a second before the deletion) must fall after the backup ended.
            await waitFor("two seconds past the backup", () => (Date.now() > backedUp + 2000 ? true : undefined), 5000);
            await env.query("DELETE FROM app.tasks WHERE user_id = $1", [user.id]);
            assert.equal(await count(env, "SELECT count(*) AS n FROM app.tasks WHERE user_id = $1", [user.id]), 0);
            return { USER_ID: user.id, EXPECTED: user.n };
        },
        check: async (env, vars) => {
            assert.equal(
                await count(env, "SELECT count(*) AS n FROM app.tasks WHERE user_id = $1", [vars.USER_ID]),
                Number(vars.EXPECTED),
                "every deleted task is back",
            );
            assert.ok(!fs.existsSync(path.join(env.state.clusterRoot, "pitr")), "the restored copy is gone");
        },
    },
};

/** Runs `script` in bash with the environment's variables and `vars`, from the repository root. */
function bash(env: LocalEnvironment, script: string, vars: Record<string, string>): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", ["-c", script], {
            cwd: ROOT,
            env: { ...process.env, ...env.env, ...vars },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
}

describe("runbooks: their local steps run as written", function () {
    this.timeout(300_000);
    let env: LocalEnvironment;
    const runbooks = fs
        .readdirSync(RUNBOOKS)
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => ({
            file: f,
            blocks: blocksTagged(codeBlocks(fs.readFileSync(path.join(RUNBOOKS, f), "utf8"), f), ["sh", "local"]),
        }))
        .filter((r) => r.blocks.length > 0);

    before(async () => {
        env = await sharedLocalEnvironment();
    });

    it("finds the local steps of the runbooks that have them", () => {
        const files = runbooks.map((r) => r.file);
        for (const f of Object.keys(SCENARIOS)) assert.ok(files.includes(f), `${f} has sh local blocks`);
        assert.ok(runbooks.find((r) => r.file === "deleted-rows.md")!.blocks.length >= 6);
    });

    for (const { file, blocks } of runbooks)
        it(`${file}: ${blocks.length} local steps, in order, from line ${blocks[0].line}`, async () => {
            const scenario = SCENARIOS[file];
            const vars = (await scenario?.setup(env)) ?? {};
            const script = ["set -euo pipefail", ...blocks.map((b) => `# ${b.file}:${b.line}\n${b.code}`)].join("\n");
            const r = await bash(env, script, vars);
            assert.equal(r.code, 0, `${file} failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
            await scenario?.check(env, vars);
        });
});
