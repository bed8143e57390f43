/**
 * Pure: what the failover drill concludes from the writers' log and the rows on the new primary. RTO is what clients
 * see: the longest time, from the disruption on, in which no commit was acknowledged (commits that failed, and commits
 * that waited in PgBouncer's queue, both count). The error window is narrower: from the first failed commit to the
 * first commit started after it that succeeded. RPO is the number of acknowledged commits the new primary lacks.
 */
import type { WriterEvent, WriterLog } from "./failoverWriter";

export type ScenarioName = "async" | "sync" | "switchover";

export interface ScenarioResult {
    readonly scenario: ScenarioName;
    readonly writers: number;
    readonly acknowledged: number;
    /** Acknowledged commits missing on the new primary (the RPO, in commits). */
    readonly lost: readonly number[];
    readonly failedAttempts: number;
    /** Sent, but the answer never came; how many of them the new primary has anyway. */
    readonly inDoubt: number;
    readonly inDoubtCommitted: number;
    /** The longest time, from the disruption on, in which no commit was acknowledged. */
    readonly rtoSeconds: number;
    /** First failed commit to the first commit started after it that succeeded; 0 when nothing failed. */
    readonly errorWindowSeconds: number;
    /** First failed commit until every writer had succeeded again. */
    readonly allWritersBackSeconds: number;
    /** The slowest acknowledged commit (in a switchover: how long clients were held). */
    readonly maxCommitMs: number;
    /** The drill's own steps, ms after the disruption began (promoted, re-pointed, paused, resumed). */
    readonly steps: Readonly<Record<string, number>>;
    readonly rewindSeconds: number;
    readonly rejoinedInRecovery: boolean;
    readonly passed: boolean;
    readonly problems: readonly string[];
}

/** The start of a successful event's transaction. */
const startedAt = (e: WriterEvent) => e.at - (e.latencyMs ?? 0);

/** Pure: the longest time without an acknowledged commit, from the last one before `since` to the last one logged. */
export function longestGap(events: readonly WriterEvent[], since: number): number {
    const acks = events.filter((e) => e.ok).map((e) => e.at);
    const before = acks.filter((at) => at <= since);
    const times = [before.length > 0 ? Math.max(...before) : since, ...acks.filter((at) => at > since)].sort(
        (a, b) => a - b,
    );
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
    return gap / 1000;
}

/** Pure: the error window (first failure to a success started after it), and when every writer was back. */
export function outage(events: readonly WriterEvent[], writers: number) {
    const failures = events.filter((e) => !e.ok);
    if (failures.length === 0) return { errorWindowSeconds: 0, allWritersBackSeconds: 0, recovered: true };
    const first = Math.min(...failures.map((e) => e.at));
    const after = events.filter((e) => e.ok && startedAt(e) > first);
    const back = Math.min(...after.map((e) => e.at));
    const perWriter = Array.from({ length: writers }, (_, w) => {
        const lastFailure = Math.max(first, ...failures.filter((e) => e.writer === w).map((e) => e.at));
        return Math.min(...after.filter((e) => e.writer === w && startedAt(e) > lastFailure).map((e) => e.at));
    });
    const allBack = Math.max(...perWriter);
    return {
        errorWindowSeconds: Number.isFinite(back) ? (back - first) / 1000 : Infinity,
        allWritersBackSeconds: Number.isFinite(allBack) ? (allBack - first) / 1000 : Infinity,
        recovered: Number.isFinite(allBack),
    };
}

/** Pure: the scenario's result and whether it passed. */
export function outcome(
    scenario: ScenarioName,
    log: WriterLog,
    present: ReadonlySet<number>,
    extra: {
        steps: Readonly<Record<string, number>>;
        disruptedAt: number;
        rewindSeconds: number;
        rejoinedInRecovery: boolean;
        writers: number;
    },
): ScenarioResult {
    const lost = log.acknowledged.filter((n) => !present.has(n)).sort((a, b) => a - b);
    const failed = log.events.filter((e) => !e.ok);
    const { errorWindowSeconds, allWritersBackSeconds, recovered } = outage(log.events, extra.writers);
    const problems = [
        ...(scenario !== "async" && lost.length > 0
            ? [
                  `${lost.length} acknowledged commit(s) lost (${lost.slice(0, 5).join(", ")}); ${scenario} must lose none`,
              ]
            : []),
        ...(scenario === "switchover" && failed.length > 0
            ? [`${failed.length} commit(s) failed during the switchover: ${failed[0].error}`]
            : []),
        ...(recovered ? [] : ["a writer never committed again within 60 s"]),
        ...(extra.rejoinedInRecovery ? [] : ["the old primary did not come back as a standby"]),
        ...(log.acknowledged.length === 0 ? ["no commit was acknowledged"] : []),
    ];
    const ok = log.events.filter((e) => e.ok);
    return {
        scenario,
        writers: extra.writers,
        acknowledged: log.acknowledged.length,
        lost,
        failedAttempts: failed.length,
        inDoubt: log.inDoubt.length,
        inDoubtCommitted: log.inDoubt.filter((n) => present.has(n)).length,
        rtoSeconds: longestGap(log.events, extra.disruptedAt),
        errorWindowSeconds,
        allWritersBackSeconds,
        maxCommitMs: Math.max(0, ...ok.map((e) => e.latencyMs ?? 0)),
        steps: extra.steps,
        rewindSeconds: extra.rewindSeconds,
        rejoinedInRecovery: extra.rejoinedInRecovery,
        passed: problems.length === 0,
        problems,
    };
}

const WHAT: Record<ScenarioName, string> = {
    async: "failover, asynchronous replication (primary killed)",
    sync: "failover, synchronous replication (primary killed)",
    switchover: "planned switchover (PAUSE, promote, re-point, RESUME)",
};

/** Pure: one summary row per scenario: RTO, RPO, failures, the slowest commit, the rewind. */
export function summaryRows(results: readonly ScenarioResult[]): string[][] {
    return results.map((r) => [
        WHAT[r.scenario],
        `${r.rtoSeconds.toFixed(2)} s`,
        `${r.lost.length} of ${r.acknowledged.toLocaleString("en")}`,
        `${r.failedAttempts} (${r.inDoubt} in doubt, ${r.inDoubtCommitted} of them committed)`,
        `${r.errorWindowSeconds.toFixed(2)} s`,
        `${r.maxCommitMs} ms`,
        `${r.rewindSeconds.toFixed(1)} s, ${r.rejoinedInRecovery ? "streaming" : "NOT a standby"}`,
        r.passed ? "passed" : `FAILED: ${r.problems.join("; ")}`,
    ]);
}

export const SUMMARY_HEADER = [
    "scenario",
    "RTO",
    "RPO (acknowledged commits lost)",
    "failed commits",
    "first failure to next success",
    "slowest commit",
    "old primary: pg_rewind, then",
    "result",
];

const median = (xs: readonly number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Pure: one row per scenario over every run: RTO median and worst, commits lost in total, failures, verdict. */
export function aggregateRows(results: readonly ScenarioResult[]): string[][] {
    const names = [...new Set(results.map((r) => r.scenario))];
    return names.map((name) => {
        const rs = results.filter((r) => r.scenario === name);
        const rto = rs.map((r) => r.rtoSeconds);
        const lost = rs.reduce((n, r) => n + r.lost.length, 0);
        const acked = rs.reduce((n, r) => n + r.acknowledged, 0);
        return [
            WHAT[name],
            String(rs.length),
            `${median(rto).toFixed(2)} s`,
            `${Math.max(...rto).toFixed(2)} s`,
            `${lost} of ${acked.toLocaleString("en")}`,
            String(rs.reduce((n, r) => n + r.failedAttempts, 0)),
            `${median(rs.map((r) => r.rewindSeconds)).toFixed(1)} s`,
            rs.every((r) => r.passed) ? "passed" : "FAILED",
        ];
    });
}

export const AGGREGATE_HEADER = [
    "scenario",
    "runs",
    "RTO median",
    "RTO worst",
    "RPO: acknowledged commits lost",
    "failed commits",
    "pg_rewind median",
    "result",
];

/** Pure: the committed Markdown report. */
export function failoverMarkdown(
    results: readonly ScenarioResult[],
    meta: { machine: string; date: string; writers: number; seconds: number; fsync: boolean },
): string {
    const cell = (row: readonly string[]) => `| ${row.join(" | ")} |`;
    return [
        "# Failover drill",
        "",
        `${meta.machine}, ${meta.date}. ${meta.writers} writers committing numbered rows through PgBouncer (transaction pooling, TLS) as the app role, ` +
            `${meta.seconds} s before the primary is lost and ${meta.seconds} s after writes succeed again; fsync ${meta.fsync ? "on" : "off"}. ` +
            "Primary and standby on one machine (loopback), so the network adds nothing. Generated by `npm run drill:failover`.",
        "",
        cell(AGGREGATE_HEADER),
        cell(AGGREGATE_HEADER.map(() => "---")),
        ...aggregateRows(results).map(cell),
        "",
        "Every run, in order (the pair's roles swap each time; the old primary rejoins as a standby through pg_rewind):",
        "",
        cell(SUMMARY_HEADER),
        cell(SUMMARY_HEADER.map(() => "---")),
        ...summaryRows(results).map(cell),
        "",
        "RTO: the longest time, from the disruption on, in which no writer had a commit acknowledged (failed commits and",
        "commits held in PgBouncer's queue both count). The drill detects the loss at once (it causes it); a real failover",
        "adds detection time. Steps, ms after the disruption began:",
        "",
        ...results.map(
            (r) =>
                `- ${r.scenario}: ${Object.entries(r.steps)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(", ")}; every writer back after ${r.allWritersBackSeconds.toFixed(2)} s`,
        ),
        "",
    ].join("\n");
}
