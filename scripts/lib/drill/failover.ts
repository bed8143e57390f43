/**
 * `npm run drill:failover`: writers commit numbered rows through PgBouncer while the primary is lost (every process
 * killed with SIGKILL) and the standby is promoted and PgBouncer re-pointed, with asynchronous and with synchronous
 * replication; and a planned switchover (PAUSE, promote, re-point, RESUME). Each reports the client-visible outage
 * (RTO) and the acknowledged commits missing afterwards (RPO); each ends with the old primary back as a standby
 * through pg_rewind, so the next scenario starts from a healthy pair with the roles swapped. Everything runs on
 * throwaway servers, so the drill runs anywhere, CI included.
 */
import { ROLE } from "../../../postgres/roles/names";
import { PG_BIN, runAsServer } from "../exec";
import type { PgCluster } from "../local/cluster";
import { promote } from "../local/standby";
import {
    drillPair,
    type DrillPair,
    killServer,
    rejoinWithRewind,
    repointBouncer,
    requireSynchronous,
} from "./failoverCluster";
import { outcome, type ScenarioName, type ScenarioResult } from "./failoverReport";
import { bouncerConnection, startWriters, type WriterLog } from "./failoverWriter";

export type Scenario = ScenarioName;
export const SCENARIOS: readonly Scenario[] = ["async", "sync", "switchover"];

export interface FailoverOptions {
    readonly scenarios: readonly Scenario[];
    /** Times the scenarios run, in order, on the same pair. */
    readonly runs: number;
    /** Writers committing concurrently. */
    readonly writers: number;
    /** Seconds of writing before the primary is lost, and after writes succeed again. */
    readonly seconds: number;
    /** Real fsync (the measured run); off in CI, where only the behaviour is checked. */
    readonly fsync: boolean;
    readonly progress: (line: string) => void;
    /** Leave the servers' directories behind (stopped), to read their logs. */
    readonly keep?: boolean;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes for `seconds`, runs `disrupt`, then writes until every writer has succeeded again, plus `seconds`. */
async function underLoad(pair: DrillPair, o: FailoverOptions, disrupt: () => Promise<Record<string, number>>) {
    const connection = bouncerConnection(
        pair.bouncer.port,
        ROLE.app,
        pair.db.passwords.app,
        pair.db.cluster.options.databaseName,
        pair.db.cluster.tls.caCert,
    );
    const writers = startWriters({ connection, userId: pair.userId, writers: o.writers, retryMs: 10 });
    await pause(o.seconds * 1000);
    const disruptedAt = Date.now();
    const steps = await disrupt();
    const log = await writersBackAfter(writers, o);
    return { log, steps, disruptedAt };
}

/** Keeps the writers going until each has committed again (60 s at most), then `seconds` more; stops them. */
async function writersBackAfter(writers: ReturnType<typeof startWriters>, o: FailoverOptions): Promise<WriterLog> {
    const since = Date.now();
    const deadline = since + 60_000;
    const back = () =>
        new Set(
            writers
                .peek()
                .events.filter((e) => e.ok && e.at > since)
                .map((e) => e.writer),
        );
    while (back().size < o.writers && Date.now() < deadline) await pause(20);
    await pause(o.seconds * 1000);
    return writers.stop();
}

/** The numbered rows present on `server`. */
async function presentRows(server: PgCluster): Promise<Set<number>> {
    const rows = await server.query("SELECT substr(title, 10)::int AS n FROM app.tasks WHERE title LIKE 'failover-%'");
    return new Set(rows.map((r) => r.n as number));
}

/** Loses the primary (SIGKILL to every process), promotes the standby, re-points PgBouncer. */
async function failover(pair: DrillPair, o: FailoverOptions): Promise<Record<string, number>> {
    const t0 = Date.now();
    const killed = killServer(pair.primary);
    o.progress(`drill: primary lost (SIGKILL to ${killed.processes} processes)`);
    await promote(pair.standby);
    const promotedMs = Date.now() - t0;
    await repointBouncer(pair, pair.standby);
    const repointedMs = Date.now() - t0;
    o.progress(`drill: standby promoted after ${promotedMs} ms, PgBouncer re-pointed after ${repointedMs} ms`);
    await killed.gone();
    return { promotedMs, repointedMs };
}

/** The final LSN of a cleanly stopped server (its shutdown checkpoint), from pg_controldata. */
async function shutdownLsn(server: PgCluster): Promise<string> {
    const out = await runAsServer(`${PG_BIN}/pg_controldata`, ["-D", server.dataDir]);
    const m = /Latest checkpoint location:\s+(\S+)/.exec(out);
    if (!m) throw new Error(`pg_controldata gave no checkpoint location for ${server.dataDir}`);
    return m[1];
}

/** PAUSE, stop the primary cleanly, wait until the standby has its last WAL, promote, re-point, RESUME. */
async function switchover(pair: DrillPair, o: FailoverOptions): Promise<Record<string, number>> {
    const t0 = Date.now();
    await pair.bouncer.console("PAUSE");
    const pausedMs = Date.now() - t0;
    await pair.primary.stop();
    const lsn = await shutdownLsn(pair.primary);
    const deadline = Date.now() + 30_000;
    while (
        !(await pair.standby.query("SELECT pg_last_wal_receive_lsn() >= $1::pg_lsn AS ok", [lsn], "postgres"))[0].ok
    ) {
        if (Date.now() > deadline)
            throw new Error(`the standby did not receive the primary's last WAL (${lsn}) within 30 s`);
        await pause(20);
    }
    await promote(pair.standby);
    await repointBouncer(pair, pair.standby);
    await pair.bouncer.console("RESUME");
    const resumedMs = Date.now() - t0;
    o.progress(`drill: paused after ${pausedMs} ms, resumed on the new primary after ${resumedMs} ms`);
    return { pausedMs, resumedMs };
}

/** One scenario on the pair as it stands; ends with the roles swapped and both nodes healthy again. */
export async function runScenario(pair: DrillPair, scenario: Scenario, o: FailoverOptions): Promise<ScenarioResult> {
    o.progress(
        `drill: ${scenario}: primary ${pair.primaryNode.name}, standby ${pair.standbyNode.name}${scenario === "sync" ? " (synchronous)" : ""}, ${o.writers} writers`,
    );
    if (scenario === "sync") await requireSynchronous(pair.primary, pair.standbyNode.name);
    const { log, steps, disruptedAt } = await underLoad(pair, o, () =>
        scenario === "switchover" ? switchover(pair, o) : failover(pair, o),
    );
    const present = await presentRows(pair.standby);
    o.progress(`drill: ${log.acknowledged.length} commits acknowledged; rejoining the old primary with pg_rewind`);
    const rewind = await rejoinWithRewind(pair);
    o.progress(`drill: pg_rewind ${rewind.seconds.toFixed(1)} s: ${rewind.said}`);
    const [{ r: rejoinedInRecovery }] = await pair.standby.query("SELECT pg_is_in_recovery() AS r");
    return outcome(scenario, log, present, {
        steps,
        disruptedAt,
        rewindSeconds: rewind.seconds,
        rejoinedInRecovery,
        writers: o.writers,
    });
}

/** Every scenario, `runs` times, on one pair of servers; then they are stopped and (unless kept) deleted. */
export async function runFailoverDrill(o: FailoverOptions): Promise<ScenarioResult[]> {
    o.progress(`drill: a primary and a standby${o.fsync ? "" : " (fsync off)"}, PgBouncer in front`);
    const pair = await drillPair({ fsync: o.fsync });
    const results: ScenarioResult[] = [];
    try {
        for (let run = 0; run < o.runs; run++)
            for (const scenario of o.scenarios) results.push(await runScenario(pair, scenario, o));
        return results;
    } finally {
        await pair.bouncer.stop().catch(() => undefined);
        await pair.standby.stop().catch(() => undefined);
        await pair.primary.stop().catch(() => undefined);
        if (o.keep) o.progress(`drill: kept ${pair.db.cluster.options.root}`);
        else await pair.db.cluster.destroy().catch(() => undefined);
    }
}
