/**
 * Which database a command talks to: DATABASE_URL when it is set, else the local environment's URL for a role. Every
 * way this can be wrong (an empty variable, a reset environment, a CA file that is gone) is one line naming what to
 * do, before anything connects.
 */
import * as fs from "fs";
import { databaseUrl, UsageError } from "./cli";
import { readConnections, readState } from "./local/localEnv";

export interface Target {
    readonly url: string;
    /** Where the URL came from, for messages: "DATABASE_URL" or "the local environment (<role>)". */
    readonly source: string;
    /** True for the local environment (npm run local). */
    readonly local: boolean;
}

/** Pure: host:port/database of a URL, for messages (no user, no password). */
export function where(url: string): string {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

/** DATABASE_URL if set, else the local environment's URL for `role`; throws one line when neither is usable. */
export function resolveTarget(role: string, env: NodeJS.ProcessEnv = process.env): Target {
    if (env.DATABASE_URL !== undefined) {
        if (env.DATABASE_URL.trim() === "")
            throw new UsageError(
                "DATABASE_URL is set but empty: unset it to use the local environment (unset DATABASE_URL), or set it to postgres://user:password@host:port/database",
            );
        return { url: databaseUrl(env.DATABASE_URL, "DATABASE_URL"), source: "DATABASE_URL", local: false };
    }
    const connections = readConnections();
    if (!connections)
        throw new UsageError(
            readState().clusterRoot
                ? "the local environment has no connections file (.local/connections.json): run npm run local"
                : "no local environment (it was never started, or was reset): run npm run local, or set DATABASE_URL=postgres://user:password@host:port/database",
        );
    const url = connections.urls[role];
    if (!url) throw new UsageError(`.local/connections.json has no URL for ${role}: run npm run local`);
    const ca = new URL(url).searchParams.get("sslrootcert");
    if (ca && !fs.existsSync(ca))
        throw new UsageError(
            `the local environment's CA (${ca}) is gone: the environment was reset or moved; run npm run local`,
        );
    return {
        url: databaseUrl(url, `the local environment's ${role} URL`),
        source: `the local environment (${role})`,
        local: true,
    };
}
