/**
 * A whole local environment (`npm run local`) in a temp directory, for the tests of the operator's commands: they
 * run as a user runs them (runScript), against the real server, PgBouncer and pgBackRest repository.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { clientConfig } from "../../scripts/lib/local/connect";
import { type CliResult, runScript } from "./cli";

export class LocalEnvironment {
    private constructor(readonly dir: string) {}

    /** Starts a new environment; fails with npm run local's output if it does not start. */
    static async start(): Promise<LocalEnvironment> {
        const env = new LocalEnvironment(fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-console-")));
        const r = await env.run("local.ts");
        if (r.code !== 0) throw new Error(`npm run local failed (${r.code}): ${r.stdout}${r.stderr}`);
        return env;
    }

    /** The variables that point every command at this environment (and never at DATABASE_URL). */
    get env(): Record<string, string | undefined> {
        return { METACORTEX_LOCAL_DIR: this.dir, DATABASE_URL: undefined };
    }

    run(
        script: string,
        args: readonly string[] = [],
        extra: Record<string, string | undefined> = {},
    ): Promise<CliResult> {
        return runScript(script, args, { ...this.env, ...extra });
    }

    get connections(): { urls: Record<string, string>; server: { port: number; dataDir: string } } {
        return JSON.parse(fs.readFileSync(path.join(this.dir, "connections.json"), "utf8"));
    }

    get state(): { port: number; clusterRoot: string; pgbouncerPort: number } {
        return JSON.parse(fs.readFileSync(path.join(this.dir, "state.json"), "utf8"));
    }

    get secrets(): Record<string, string> {
        return JSON.parse(fs.readFileSync(path.join(this.dir, "secrets.json"), "utf8"));
    }

    /** Runs SQL as `role` (admin by default) and returns the rows. */
    async query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], role = "admin"): Promise<T[]> {
        const client = new Client(clientConfig(this.connections.urls[role]));
        await client.connect();
        try {
            return (await client.query(sql, params)).rows as T[];
        } finally {
            await client.end();
        }
    }

    /** Deletes the environment (stops its servers first). */
    async destroy(): Promise<void> {
        if (fs.existsSync(path.join(this.dir, "state.json"))) await this.run("local.ts", ["--reset", "--yes"]);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

let shared: Promise<LocalEnvironment> | undefined;

// A root hook (this module loads while mocha reads the test files): the shared environment goes after the last test.
after(async () => {
    if (shared) await (await shared).destroy();
});

/**
 * One environment for the test files that leave it as they found it (running, migrated), started by the first that
 * asks and deleted after the last test of the run.
 */
export function sharedLocalEnvironment(): Promise<LocalEnvironment> {
    shared ??= LocalEnvironment.start();
    return shared;
}
