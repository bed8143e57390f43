/**
 * Collects `npm run status` from a live server, read-only: the session is read-only with a statement timeout, and
 * nothing on disk is written. A server that cannot be reached gives a report with `unreachable` and nothing else.
 */
import { Client } from "pg";
import { runHealth } from "../../../postgres/health/checks";
import { explainError } from "../errors";
import { clientConfig } from "../local/connect";
import { localPgbouncer, type PgbouncerState, pgbouncerCheck } from "../local/pgbouncerAdmin";
import type { Target } from "../target";
import { where } from "../target";
import { localBackups, migrations } from "./collectLocal";
import { archiving, connections, cronJobs, partitions, replication, server } from "./collectServer";
import type { HealthSummary, Part, StatusReport } from "./types";

/** Runs a collector: a refusal for lack of privilege means "not for this role" (skipped), anything else unavailable. */
async function section<T extends object>(role: string, collect: () => Promise<T>): Promise<Part<T>> {
    try {
        return { kind: "ok", ...(await collect()) };
    } catch (error) {
        const e = error as Error & { code?: string };
        const reason = e.message.split("\n")[0];
        if (e.code === "42501") return { kind: "skipped", reason: `not visible to ${role} (${reason})` };
        return { kind: "unavailable", reason };
    }
}

function pgbouncerPart(p: PgbouncerState, local: boolean): NonNullable<StatusReport["pgbouncer"]> {
    if (p.state !== "absent") return { kind: "ok", state: p.state, where: p.where, pools: p.pools, error: p.error };
    return {
        kind: "skipped",
        reason: local
            ? "this local environment runs no PgBouncer"
            : "not checked for DATABASE_URL (prod's PgBouncer: the dashboard's PgBouncer widgets)",
    };
}

async function health(db: Client, url: string, bouncer: PgbouncerState): Promise<HealthSummary> {
    const mode = new URL(url).searchParams.get("sslmode") ?? "verify-full";
    const report = await runHealth(db, { verified: mode === "verify-full", mode });
    const extra = pgbouncerCheck(bouncer);
    const checks = extra ? [...report.checks, extra] : report.checks;
    const by = (s: string) => checks.filter((c) => c.status === s);
    return {
        ok: by("ok").length,
        warn: by("warn").length,
        fail: by("fail").length,
        failing: by("fail").map((c) => c.check),
        warned: by("warn").map((c) => c.check),
    };
}

/** Everything `npm run status` shows, for `target` connected as `role`. */
export async function collectStatus(target: Target, role: string, now = () => new Date()): Promise<StatusReport> {
    const base = { target: { where: where(target.url), source: target.source, role }, collectedAt: "" };
    const db = new Client({ ...clientConfig(target.url), connectionTimeoutMillis: 10_000 });
    db.on("error", () => undefined);
    try {
        await db.connect();
        await db.query("SET default_transaction_read_only = on; SET statement_timeout = '10s'");
    } catch (error) {
        return { ...base, collectedAt: now().toISOString(), unreachable: explainError(error) };
    }
    try {
        const bouncer = target.local ? await localPgbouncer() : ({ state: "absent", pools: [] } as PgbouncerState);
        const report: StatusReport = {
            ...base,
            server: await section(role, () => server(db)),
            connections: await section(role, () => connections(db)),
            pgbouncer: pgbouncerPart(bouncer, target.local),
            archiving: await section(role, () => archiving(db)),
            backups: target.local
                ? await section(role, localBackups)
                : {
                      kind: "skipped",
                      reason: "not read for DATABASE_URL (RDS: aws rds describe-db-instances, LatestRestorableTime)",
                  },
            migrations: await section(role, () => migrations(db)),
            cron: await section(role, () => cronJobs(db)),
            partitions: await section(role, () => partitions(db)),
            replication: await section(role, () => replication(db)),
            health: await section(role, () => health(db, target.url, bouncer)),
        };
        return { ...report, collectedAt: now().toISOString() };
    } finally {
        await db.end().catch(() => undefined);
    }
}
