/**
 * The local environment's files under .local/ (git-ignored): generated secrets, state, and connections.json, the
 * file other commands (db:migrate, db:seed, health, backup, bench) read when DATABASE_URL is not set.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parseStackConfig } from "../../../stackConfig/parse";
import type { StackConfig } from "../../../stackConfig/types";
import { stackFileConfig } from "../stack/stackFile";
import { REPO } from "../repo";

export { REPO };
/** .local/ in the checkout; tests point METACORTEX_LOCAL_DIR at a temp directory so they never touch a developer's. */
export const LOCAL_DIR = process.env.METACORTEX_LOCAL_DIR ?? path.join(REPO, ".local");
export const CONNECTIONS_FILE = path.join(LOCAL_DIR, "connections.json");
const SECRETS_FILE = path.join(LOCAL_DIR, "secrets.json");
const STATE_FILE = path.join(LOCAL_DIR, "state.json");

export interface LocalState {
    port?: number;
    clusterRoot?: string;
    pgbouncerPort?: number;
}

export interface Connections {
    generatedAt: string;
    server: {
        host: string;
        port: number;
        database: string;
        caCert: string;
        sslmode: "verify-full";
        dataDir: string;
        logDir: string;
    };
    /** libpq URL per role (sslmode=verify-full). */
    urls: Record<string, string>;
    [extra: string]: unknown;
}

/** The dev stack's configuration, as `pulumi up --stack dev` would parse it: local mirrors dev. */
export function devStackConfig(): StackConfig {
    return parseStackConfig(stackFileConfig("dev"), "dev");
}

function readJson<T>(file: string, fallback: T): T {
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as T) : fallback;
}

/** Writes a file atomically (temp + rename) with owner-only permissions: no half-written state. */
export function writePrivate(file: string, content: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, content, { mode: 0o600 });
    fs.renameSync(tmp, file);
}

export function readState(): LocalState {
    return readJson<LocalState>(STATE_FILE, {});
}

export function writeState(state: LocalState): void {
    writePrivate(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}

/** Returns the generated password for `name`, creating and saving it the first time. */
export function localSecret(name: string): string {
    const secrets = readJson<Record<string, string>>(SECRETS_FILE, {});
    if (!secrets[name]) {
        secrets[name] = crypto.randomBytes(24).toString("base64url");
        writePrivate(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`);
    }
    return secrets[name];
}

/** Every generated secret of the local environment, read-only (empty when there is none). */
export function readSecrets(): Record<string, string> {
    return readJson<Record<string, string>>(SECRETS_FILE, {});
}

export function readConnections(): Connections | undefined {
    return fs.existsSync(CONNECTIONS_FILE)
        ? readJson<Connections>(CONNECTIONS_FILE, undefined as unknown as Connections)
        : undefined;
}

export function writeConnections(connections: Connections): void {
    writePrivate(CONNECTIONS_FILE, `${JSON.stringify(connections, null, 2)}\n`);
}

/** DATABASE_URL if set, else the local environment's URL for `role` (admin by default). */
export function defaultDatabaseUrl(role = "admin"): string | undefined {
    if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
    return readConnections()?.urls[role];
}
