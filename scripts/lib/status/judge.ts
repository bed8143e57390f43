/**
 * Pure: the verdict on each status section and the exit code a script can act on.
 *
 * Exit codes: 0 healthy; 1 degraded (a warning, or a section that could not be read); 2 failing; 3 the server could
 * not be reached. A usage error exits 64.
 */
import { DEFAULT_THRESHOLDS } from "../../../postgres/health/types";
import type { Part, SectionName, StatusReport } from "./types";

export type Verdict = "ok" | "warn" | "fail" | "unknown" | "skipped";

export interface Finding {
    readonly section: SectionName;
    readonly verdict: Verdict;
    /** Why, when not ok: one short sentence each, naming what to do where there is something to do. */
    readonly notes: readonly string[];
}

export interface Judgement {
    readonly overall: "healthy" | "degraded" | "failing" | "unreachable";
    readonly exitCode: 0 | 1 | 2 | 3;
    readonly findings: readonly Finding[];
    /** The window a point-in-time restore can reach: the end of the oldest backup to the newest archived WAL. */
    readonly recoverable?: { readonly from: string; readonly to: string };
}

export const EXIT_CODES = { healthy: 0, degraded: 1, failing: 2, unreachable: 3, usage: 64 } as const;

/** Thresholds the verdicts use. */
export const LIMITS = {
    /** Share of a role's connection limit that warns. */
    connectionsWarn: 0.8,
    /** Seconds the oldest waiting PgBouncer client may wait before it warns. */
    pgbouncerMaxWaitSeconds: 5,
    /** WAL segments written but not yet archived (besides the current one) that warn. */
    segmentsWaiting: 2,
    /** Days since the newest full backup that warn. */
    fullBackupDays: 8,
    /** Seconds since a partitioned table's maintenance last succeeded that warn (the jobs run hourly). */
    maintenanceSeconds: 2 * 3600,
    /** Replication lag that warns: where the standbys health check warns, half of what fails it. */
    lagBytes: DEFAULT_THRESHOLDS.replicaLagBytes / 2,
    lagSeconds: DEFAULT_THRESHOLDS.replicaLagSeconds / 2,
    /** An inactive slot holding more WAL than this fails (the health check's limit). */
    slotRetainedBytes: 2 ** 30,
} as const;

type Notes = { fail: string[]; warn: string[] };
type Rule<K extends SectionName> = (
    value: Extract<NonNullable<StatusReport[K]>, { kind: "ok" }>,
    report: StatusReport,
    notes: Notes,
) => void;

const secondsBetween = (from: string | null, to: string) => (from ? (Date.parse(to) - Date.parse(from)) / 1000 : null);

/** Pure: a WAL segment's position (timeline ignored) for segments of `segmentBytes`. */
export function segmentNumber(wal: string, segmentBytes: number): number {
    const perLog = 0x100000000 / segmentBytes;
    return Number.parseInt(wal.slice(8, 16), 16) * perLog + Number.parseInt(wal.slice(16, 24), 16);
}

const RULES: { [K in SectionName]: Rule<K> } = {
    server: (s, _r, n) => {
        if (s.pendingRestart.length > 0)
            n.warn.push(`${s.pendingRestart.join(", ")} wait for a restart (npm run local restarts when it must)`);
    },
    connections: (c, _r, n) => {
        const usable = c.maxConnections - c.superuserReserved;
        if (c.total >= usable) n.fail.push(`${c.total} of ${usable} connection slots in use`);
        else if (c.total >= usable * LIMITS.connectionsWarn)
            n.warn.push(`${c.total} of ${usable} connection slots in use`);
        for (const r of c.roles.filter((x) => x.limit > 0)) {
            if (r.connections >= r.limit) n.fail.push(`${r.role} at its connection limit (${r.limit})`);
            else if (r.connections >= r.limit * LIMITS.connectionsWarn)
                n.warn.push(`${r.role} at ${r.connections} of its ${r.limit} connections`);
        }
    },
    pgbouncer: (p, _r, n) => {
        if (p.state === "down") n.fail.push(`not answering on ${p.where}: ${p.error}; npm run local restarts it`);
        const waiting = p.pools.reduce((a, x) => a + x.clientsWaiting, 0);
        const maxWait = Math.max(0, ...p.pools.map((x) => x.maxWaitSeconds));
        if (waiting > 0) n.warn.push(`${waiting} clients waiting for a server connection`);
        if (maxWait > LIMITS.pgbouncerMaxWaitSeconds) n.warn.push(`a client has waited ${maxWait.toFixed(1)} s`);
    },
    archiving: (a, _r, n) => {
        const failing =
            a.failedCount > 0 && (!a.lastArchivedAt || Date.parse(a.lastFailedAt ?? "") > Date.parse(a.lastArchivedAt));
        if (failing) n.fail.push(`archiving is failing (last failure ${a.lastFailedWal}); pgBackRest's log says why`);
        if (a.archivedCount === 0) n.warn.push("nothing archived yet");
        if (a.currentWal && a.lastArchivedWal) {
            const waiting =
                segmentNumber(a.currentWal, a.walSegmentBytes) -
                segmentNumber(a.lastArchivedWal, a.walSegmentBytes) -
                1;
            if (waiting > LIMITS.segmentsWaiting) n.warn.push(`${waiting} WAL segments waiting to be archived`);
        }
    },
    backups: (b, r, n) => {
        if (b.backups.length === 0) {
            n.fail.push("no backup: nothing to restore from; run npm run backup -- --type full");
            return;
        }
        const full = b.backups.filter((x) => x.type === "full").at(-1);
        const age = full ? secondsBetween(full.stoppedAt, r.collectedAt) : null;
        if (age !== null && age > LIMITS.fullBackupDays * 86400)
            n.warn.push(`the newest full backup is ${Math.floor(age / 86400)} days old`);
    },
    migrations: (m, _r, n) => {
        if (m.pending.length > 0) n.warn.push(`${m.pending.length} pending: npm run db:migrate`);
        if (m.unknown.length > 0) n.warn.push(`applied but not in sql/migrations: ${m.unknown.join(", ")}`);
    },
    cron: (c, _r, n) => {
        for (const j of c.jobs) {
            if (j.failuresSinceSuccess > 0 || j.lastStatus === "failed")
                n.fail.push(`${j.name} failed${j.lastMessage ? `: ${j.lastMessage.split("\n")[0]}` : ""}`);
            if (j.active === false) n.warn.push(`${j.name} is inactive`);
        }
    },
    partitions: (p, r, n) => {
        for (const t of p.tables) {
            if (t.defaultRows > 0) n.fail.push(`${t.parent}: ${t.defaultRows} rows in the default partition`);
            const premake = t.premake ?? 1;
            if (t.ahead < premake - 1) n.fail.push(`${t.parent}: ${t.ahead} partitions ahead, premake ${premake}`);
            else if (t.ahead < premake) n.warn.push(`${t.parent}: ${t.ahead} partitions ahead, premake ${premake}`);
            const since = secondsBetween(t.lastMaintenanceAt, r.collectedAt);
            if (since === null) n.warn.push(`${t.parent}: no maintenance recorded`);
            else if (since > LIMITS.maintenanceSeconds)
                n.warn.push(`${t.parent}: maintenance last succeeded ${Math.round(since / 3600)} h ago`);
        }
    },
    replication: (rep, _r, n) => {
        for (const s of rep.standbys) {
            if (s.state !== "streaming") n.warn.push(`standby ${s.name} is ${s.state}`);
            if ((s.lagBytes ?? 0) > LIMITS.lagBytes || (s.replayLagSeconds ?? 0) > LIMITS.lagSeconds)
                n.warn.push(`standby ${s.name} lags ${s.lagBytes ?? "?"} bytes, ${s.replayLagSeconds ?? "?"} s`);
        }
        for (const s of rep.slots.filter((x) => !x.active)) {
            if ((s.retainedBytes ?? 0) > LIMITS.slotRetainedBytes)
                n.fail.push(`inactive slot ${s.name} holds ${s.retainedBytes} bytes of WAL`);
            else n.warn.push(`slot ${s.name} is inactive`);
        }
        if (rep.receiver && rep.receiver.status !== "streaming")
            n.warn.push(`this standby's receiver is ${rep.receiver.status}`);
    },
    health: (h, _r, n) => {
        if (h.fail > 0) n.fail.push(`${h.fail} failing: ${h.failing.join(", ")} (npm run health)`);
        if (h.warn > 0) n.warn.push(`${h.warn} warning: ${h.warned.join(", ")}`);
    },
};

/** Pure: one section's verdict. */
export function judgeSection<K extends SectionName>(name: K, report: StatusReport): Finding {
    const part = report[name] as Part<object> | undefined;
    if (!part) return { section: name, verdict: "unknown", notes: ["not collected"] };
    if (part.kind === "skipped") return { section: name, verdict: "skipped", notes: [part.reason] };
    if (part.kind === "unavailable") return { section: name, verdict: "unknown", notes: [part.reason] };
    const notes: Notes = { fail: [], warn: [] };
    (RULES[name] as Rule<K>)(part as never, report, notes);
    const verdict = notes.fail.length > 0 ? "fail" : notes.warn.length > 0 ? "warn" : "ok";
    return { section: name, verdict, notes: [...notes.fail, ...notes.warn] };
}

/** Pure: the recoverable window, when there is a backup. */
export function recoverableWindow(report: StatusReport): Judgement["recoverable"] {
    const b = report.backups;
    if (b?.kind !== "ok" || b.backups.length === 0) return undefined;
    const lastStop = b.backups[b.backups.length - 1].stoppedAt;
    const a = report.archiving;
    const archived = a?.kind === "ok" && a.lastArchivedAt ? a.lastArchivedAt : lastStop;
    return { from: b.backups[0].stoppedAt, to: Date.parse(archived) > Date.parse(lastStop) ? archived : lastStop };
}

/** Pure: every section judged, and the overall verdict with its exit code. */
export function judge(report: StatusReport, sections: readonly SectionName[]): Judgement {
    if (report.unreachable) return { overall: "unreachable", exitCode: 3, findings: [] };
    const findings = sections.map((s) => judgeSection(s, report));
    const has = (v: Verdict) => findings.some((f) => f.verdict === v);
    const overall = has("fail") ? "failing" : has("warn") || has("unknown") ? "degraded" : "healthy";
    return { overall, exitCode: EXIT_CODES[overall], findings, recoverable: recoverableWindow(report) };
}
