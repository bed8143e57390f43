/**
 * The local PgBouncer as an operator sees it: `SHOW POOLS` on its admin console, as the stats user (the monitor role,
 * pgbouncer.ini's stats_users), over TLS verified against the local CA. Read-only.
 */
import { Client } from "pg";
import type { CheckResult } from "../../../postgres/health/checks";
import { clientConfig } from "./connect";
import { readConnections, readState } from "./localEnv";

export interface PoolRow {
    readonly database: string;
    readonly user: string;
    readonly clientsActive: number;
    readonly clientsWaiting: number;
    readonly serversActive: number;
    readonly serversIdle: number;
    /** How long the oldest waiting client has waited. */
    readonly maxWaitSeconds: number;
    readonly mode: string;
}

export interface PgbouncerState {
    /** absent: this target has no PgBouncer to check (DATABASE_URL, or a local environment without one). */
    readonly state: "up" | "down" | "absent";
    readonly where?: string;
    readonly pools: readonly PoolRow[];
    readonly error?: string;
}

/** Pure: the admin console's URL: the monitor's URL on PgBouncer's port, database `pgbouncer`. */
export function adminConsoleUrl(monitorUrl: string, port: number): string {
    const u = new URL(monitorUrl);
    u.port = String(port);
    u.pathname = "/pgbouncer";
    return u.toString();
}

/** Pure: SHOW POOLS rows as PoolRow (pgbouncer 1.18 and later; maxwait_us added to maxwait). */
export function poolRows(rows: ReadonlyArray<Record<string, unknown>>): PoolRow[] {
    const n = (v: unknown) => Number(v ?? 0);
    return rows
        .filter((r) => r.database !== "pgbouncer")
        .map((r) => ({
            database: String(r.database),
            user: String(r.user),
            clientsActive: n(r.cl_active),
            clientsWaiting: n(r.cl_waiting),
            serversActive: n(r.sv_active),
            serversIdle: n(r.sv_idle),
            maxWaitSeconds: n(r.maxwait) + n(r.maxwait_us) / 1e6,
            mode: String(r.pool_mode ?? ""),
        }));
}

/** SHOW POOLS through the admin console at `url`. */
export async function showPools(url: string): Promise<PoolRow[]> {
    const client = new Client({ ...clientConfig(url), connectionTimeoutMillis: 5000 });
    client.on("error", () => undefined);
    await client.connect();
    try {
        return poolRows((await client.query("SHOW POOLS")).rows);
    } finally {
        await client.end();
    }
}

/** The local environment's PgBouncer: up with its pools, down with the reason, or absent. */
export async function localPgbouncer(): Promise<PgbouncerState> {
    const port = readState().pgbouncerPort;
    const monitor = readConnections()?.urls.monitor;
    if (!port || !monitor) return { state: "absent", pools: [] };
    const where = `127.0.0.1:${port}`;
    try {
        return { state: "up", where, pools: await showPools(adminConsoleUrl(monitor, port)) };
    } catch (error) {
        const e = error as Error & { code?: string };
        return { state: "down", where, pools: [], error: e.code === "ECONNREFUSED" ? "connection refused" : e.message };
    }
}

/** Pure: the health check's verdict on a PgBouncer the environment has; undefined when it has none. */
export function pgbouncerCheck(p: PgbouncerState): CheckResult | undefined {
    if (p.state === "absent") return undefined;
    const waiting = p.pools.reduce((a, r) => a + r.clientsWaiting, 0);
    return {
        check: "pgbouncer",
        status: p.state === "down" ? "fail" : "ok",
        value:
            p.state === "down"
                ? `not answering on ${p.where}: ${p.error}`
                : `answering on ${p.where}, ${p.pools.length} pools, ${waiting} clients waiting`,
        threshold: "the environment's PgBouncer answers SHOW POOLS (npm run local starts it)",
        metric: { name: "PgbouncerDown", value: p.state === "down" ? 1 : 0 },
    };
}
