/**
 * Throwaway PostgreSQL 15 clusters, configured like the stacks: a temp directory the server user owns, a free port,
 * fresh TLS certificates, random passwords. Used by the tests, `npm run db:dump` and the benchmarks.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Client } from "pg";
import { parseStackConfig, type StackConfig } from "../../../config";
import { postgresSettings, type SettingValue } from "../../../postgres/settings";
import { applyRoleModel } from "./bootstrap";
import { freePort, PgCluster } from "./cluster";
import { stackFileConfig } from "../stack/stackFile";

export interface ThrowawayOptions {
    readonly environment?: "dev" | "prod";
    /** Defaults to the class the stack file sizes that environment as. */
    readonly instanceClass?: string;
    readonly overrides?: Readonly<Record<string, SettingValue>>;
    readonly archiveCommand?: string;
}

/** The config a committed stack file yields, as the real program would parse it. */
export function committedStack(stack: "dev" | "prod"): StackConfig {
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
        settings: postgresSettings({
            environment,
            instanceClass: opts.instanceClass ?? stack.instanceClass,
            databaseName: stack.databaseName,
        }),
        overrides: opts.overrides,
        archiveCommand: opts.archiveCommand,
        header: `throwaway cluster (${environment})`,
    });
    await cluster.start();
    return cluster;
}

/** A throwaway cluster with the role model applied; each login role has a random password. */
export interface RoleDatabase {
    readonly cluster: PgCluster;
    readonly passwords: Readonly<Record<string, string>>;
    /** verify-full URL for a role key (`admin`, `migrator`, `app`, ...). */
    url(role: string): string;
    /** A pg client for a role key. */
    client(role: string): Client;
}

export const LOGIN_ROLE_KEYS = ["migrator", "app", "readonly", "auditor", "monitor"] as const;

export async function databaseWithRoles(opts: ThrowawayOptions = {}): Promise<RoleDatabase> {
    const cluster = await throwawayCluster(opts);
    const stack = committedStack(opts.environment ?? "dev");
    const passwords: Record<string, string> = {};
    for (const key of [...LOGIN_ROLE_KEYS, "replicator"]) passwords[key] = crypto.randomBytes(18).toString("base64url");
    await applyRoleModel(cluster.connection(), stack.databaseName, stack.instanceClass, passwords);
    const login = (role: string) => (role === "admin" ? {} : { user: `metacortex_${role}`, password: passwords[role] });
    return {
        cluster,
        passwords,
        url: (role) => cluster.url(login(role)),
        client: (role) => cluster.client(login(role)),
    };
}
