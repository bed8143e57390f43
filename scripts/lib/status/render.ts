/**
 * Pure: `npm run status` as one screen of text, and as JSON. The headline and the findings first (what is wrong and
 * what to do), then one block per section. Ages are relative to the time the status was collected.
 */
import type { Judgement } from "./judge";
import type { SectionName, StatusReport } from "./types";

const LABELS: Record<SectionName, string> = {
    server: "Server",
    connections: "Connections",
    pgbouncer: "PgBouncer",
    archiving: "WAL archive",
    backups: "Backups",
    migrations: "Migrations",
    cron: "pg_cron",
    partitions: "Partitions",
    replication: "Replication",
    health: "Health",
};

/** Pure: a duration as "42 s", "5 min", "3 h 2 min", "4 d 1 h". */
export function duration(seconds: number): string {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
    return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

const utc = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

type Lines = (r: StatusReport, j: Judgement) => string[];

/** One renderer per section, for its "ok" data; each returns the section's lines (the first next to the label). */
const BLOCKS: {
    [K in SectionName]: (
        v: Extract<NonNullable<StatusReport[K]>, { kind: "ok" }>,
        r: StatusReport,
        j: Judgement,
    ) => string[];
} = {
    server: (s) => [
        `PostgreSQL ${s.version}, up ${duration(s.uptimeSeconds)} (since ${utc(s.startedAt)}), ${s.inRecovery ? "standby (in recovery)" : "primary"}, ${s.pendingRestart.length > 0 ? `waiting for a restart: ${s.pendingRestart.join(", ")}` : "no setting waiting for a restart"}`,
    ],
    connections: (c) => [
        `${c.total} of ${c.maxConnections} (${c.superuserReserved} reserved for superusers)`,
        c.roles.map((r) => `${r.role} ${r.connections}/${r.limit < 0 ? "no limit" : r.limit}`).join(", "),
    ],
    pgbouncer: (p) => [
        p.state === "up"
            ? `up on ${p.where}, ${p.pools.reduce((a, x) => a + x.clientsWaiting, 0)} clients waiting`
            : `DOWN: not answering on ${p.where} (${p.error})`,
        ...p.pools.map(
            (x) =>
                `${x.database}/${x.user}: ${x.clientsActive} active, ${x.clientsWaiting} waiting (longest ${x.maxWaitSeconds.toFixed(1)} s), servers ${x.serversActive} active ${x.serversIdle} idle`,
        ),
    ],
    archiving: (a, r) => [
        a.lastArchivedWal
            ? `last ${a.lastArchivedWal}, ${duration((Date.parse(r.collectedAt) - Date.parse(a.lastArchivedAt ?? r.collectedAt)) / 1000)} ago; ${a.archivedCount} archived, ${a.failedCount} failed${a.lastFailedWal ? ` (last ${a.lastFailedWal} at ${utc(a.lastFailedAt ?? "")})` : ""}`
            : `nothing archived yet (archive_mode ${a.mode}); ${a.failedCount} failed`,
    ],
    backups: (b, r, j) => {
        const newest = (type: string) => {
            const x = b.backups.filter((y) => y.type === type).at(-1);
            return x
                ? `${type} ${x.label} ${duration((Date.parse(r.collectedAt) - Date.parse(x.stoppedAt)) / 1000)} ago`
                : `${type} none`;
        };
        return [
            `${["full", "diff", "incr"].map(newest).join(", ")} (${b.backups.length} in the repository)`,
            j.recoverable
                ? `recoverable from ${utc(j.recoverable.from)} to ${utc(j.recoverable.to)} (the newest archived WAL)`
                : "nothing recoverable: no backup",
        ];
    },
    migrations: (m) => [
        `${m.applied.length} applied${m.applied.length ? `, latest ${m.applied[m.applied.length - 1]}` : ""}; ${m.pending.length} pending${m.pending.length ? `: ${m.pending.join(", ")}` : ""}`,
    ],
    cron: (c, r) => [
        `${c.jobs.length} jobs`,
        ...c.jobs.map(
            (j) =>
                `${j.name}: ${j.lastStatus ?? "never ran"}${j.lastRunAt ? ` ${duration((Date.parse(r.collectedAt) - Date.parse(j.lastRunAt)) / 1000)} ago` : ""}${j.failuresSinceSuccess > 0 ? `, ${j.failuresSinceSuccess} failures since its last success` : ""}`,
        ),
    ],
    partitions: (p, r) =>
        p.tables.map(
            (t) =>
                `${t.parent}: ${t.ahead} ahead (premake ${t.premake ?? "?"}), default ${t.defaultRows === 0 ? "empty" : `${t.defaultRows} rows`}, maintained ${t.lastMaintenanceAt ? `${duration((Date.parse(r.collectedAt) - Date.parse(t.lastMaintenanceAt)) / 1000)} ago` : "never"}`,
        ),
    replication: (rep) => [
        `${rep.standbys.length} standbys, ${rep.slots.length} slots${rep.receiver ? `; this is a standby of ${rep.receiver.upstream} (${rep.receiver.status})` : ""}`,
        ...rep.standbys.map(
            (s) =>
                `standby ${s.name}${s.clientAddr ? ` (${s.clientAddr})` : ""}: ${s.state}, ${s.syncState}, lag ${s.lagBytes === null ? "?" : mib(s.lagBytes)}, replay ${s.replayLagSeconds === null ? "?" : `${s.replayLagSeconds.toFixed(1)} s`}`,
        ),
        ...rep.slots.map(
            (s) =>
                `slot ${s.name} (${s.type}): ${s.active ? "active" : "inactive"}, retains ${s.retainedBytes === null ? "?" : mib(s.retainedBytes)}`,
        ),
    ],
    health: (h) => [
        `${h.ok} ok, ${h.warn} warn, ${h.fail} fail${h.failing.length ? `: ${h.failing.join(", ")}` : ""} (npm run health shows each)`,
    ],
};

const section: Lines = (r, j) =>
    j.findings.flatMap((f) => {
        const part = r[f.section];
        const lines =
            part?.kind === "ok"
                ? (BLOCKS[f.section] as (v: unknown, r: StatusReport, j: Judgement) => string[])(part, r, j)
                : [
                      `${part?.kind === "skipped" ? "not applicable" : "could not read"}: ${part?.reason ?? "not collected"}`,
                  ];
        return lines.map((l, i) => `${(i === 0 ? LABELS[f.section] : "").padEnd(13)}${l}`);
    });

/** Pure: the status screen. */
export function renderStatus(r: StatusReport, j: Judgement): string {
    const head = `MetaCortex database ${r.target.where} (${r.target.source}), ${utc(r.collectedAt)}`;
    if (r.unreachable) return [head, `UNREACHABLE (exit 3): ${r.unreachable}`, ""].join("\n");
    const counted = (v: string) => j.findings.filter((f) => f.verdict === v).length;
    const summary = `${j.overall.toUpperCase()} (exit ${j.exitCode}): ${counted("fail")} failing, ${counted("warn")} warning, ${counted("unknown")} unknown, ${counted("ok")} ok`;
    const findings = j.findings
        .filter((f) => f.verdict === "fail" || f.verdict === "warn" || f.verdict === "unknown")
        .flatMap((f) => f.notes.map((n) => `  ${f.verdict.padEnd(7)} ${LABELS[f.section].padEnd(12)} ${n}`));
    return [head, summary, ...findings, "", ...section(r, j), ""].join("\n");
}

/** Pure: the status as JSON: what was collected, and the judgement. */
export function statusJson(r: StatusReport, j: Judgement): string {
    return `${JSON.stringify({ ...r, judgement: j }, null, 2)}\n`;
}
