/**
 * Throwaway PostgreSQL 15 clusters for real-server tests: a temp directory the server user owns, a free port, fresh
 * TLS certificates and a random superuser password; destroyed afterwards.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackConfig } from "../../config";
import { postgresSettings, SettingValue } from "../../components/postgres/settings";
import { freePort, PgCluster } from "../../scripts/lib/cluster";
import { stackFileConfig } from "../../scripts/lib/stackFile";

export interface ThrowawayOptions {
    readonly environment?: "dev" | "prod";
    /** Defaults to the class the stack file sizes that environment as. */
    readonly instanceClass?: string;
    readonly overrides?: Readonly<Record<string, SettingValue>>;
    readonly archiveCommand?: string;
}

/** The config a committed stack file yields, as the real program would parse it. */
export function committedStack(stack: "dev" | "prod") {
    return parseStackConfig(stackFileConfig(stack), stack);
}

export async function throwawayCluster(opts: ThrowawayOptions = {}): Promise<PgCluster> {
    const environment = opts.environment ?? "dev";
    const stack = committedStack(environment);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-pg-"));
    const cluster = await PgCluster.create({
        root,
        port: await freePort(),
        superuser: "metacortex_admin",
        password: crypto.randomBytes(18).toString("base64url"),
        databaseName: stack.databaseName,
        settings: postgresSettings({ environment, instanceClass: opts.instanceClass ?? stack.instanceClass, databaseName: stack.databaseName }),
        overrides: opts.overrides,
        archiveCommand: opts.archiveCommand,
        header: `throwaway test cluster (${environment})`,
    });
    await cluster.start();
    return cluster;
}

/** Polls `check` until it returns a value, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
