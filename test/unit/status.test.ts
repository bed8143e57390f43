/** `npm run status`'s pure parts: the verdict per section, the exit code, the screen and the JSON, without a server. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { backupsFromInfo, migrationState } from "../../scripts/lib/status/collectLocal";
import { EXIT_CODES, judge, judgeSection, recoverableWindow, segmentNumber } from "../../scripts/lib/status/judge";
import { duration, renderStatus, statusJson } from "../../scripts/lib/status/render";
import { SECTIONS, type StatusReport } from "../../scripts/lib/status/types";

const AT = "2026-11-26T12:00:00.000Z";
const ago = (s: number) => new Date(Date.parse(AT) - s * 1000).toISOString();

/** A healthy local environment, as collectStatus would report it (collected at AT). */
const healthy = (): StatusReport => JSON.parse(fs.readFileSync(path.join(__dirname, "statusFixture.json"), "utf8"));

describe("npm run status: verdicts and exit codes", () => {
    it("is healthy (exit 0) when every section is fine, and shows the recoverable window", () => {
        const j = judge(healthy(), SECTIONS);
        assert.deepEqual([j.overall, j.exitCode], ["healthy", 0]);
        assert.deepEqual(j.recoverable, { from: ago(7200), to: ago(30) });
        assert.ok(
            j.findings.every((f) => f.verdict === "ok"),
            JSON.stringify(j.findings),
        );
    });

    it("fails (exit 2) on PgBouncer down, naming where and what to do", () => {
        const r = {
            ...healthy(),
            pgbouncer: {
                kind: "ok" as const,
                state: "down" as const,
                where: "127.0.0.1:6432",
                pools: [],
                error: "connection refused",
            },
        };
        const j = judge(r, SECTIONS);
        assert.deepEqual([j.overall, j.exitCode], ["failing", 2]);
        assert.deepEqual(judgeSection("pgbouncer", r).notes, [
            "not answering on 127.0.0.1:6432: connection refused; npm run local restarts it",
        ]);
    });

    it("fails on archiving whose last failure is newer than its last success, and warns on segments waiting", () => {
        const a = healthy().archiving as Extract<StatusReport["archiving"], { kind: "ok" }>;
        const failing = {
            ...healthy(),
            archiving: { ...a, failedCount: 3, lastFailedWal: "00000001000000000000000C", lastFailedAt: ago(5) },
        };
        assert.equal(judgeSection("archiving", failing).verdict, "fail");
        const recovered = { ...healthy(), archiving: { ...a, failedCount: 3, lastFailedAt: ago(600) } };
        assert.equal(
            judgeSection("archiving", recovered).verdict,
            "ok",
            "a failure before the last success is history",
        );
        const behind = { ...healthy(), archiving: { ...a, currentWal: "000000010000000100000002" } };
        // 0x1_02 - 0x0B - 1 = 256 + 2 - 11 - 1 segments of 16 MiB.
        assert.deepEqual(judgeSection("archiving", behind).notes, ["246 WAL segments waiting to be archived"]);
    });

    it("fails on a failed pg_cron run, quoting its error, and on rows in a default partition", () => {
        const r = healthy();
        const cron = {
            kind: "ok" as const,
            jobs: [
                {
                    name: "metacortex-partman-app.habit_checkins",
                    schedule: "7 * * * *",
                    active: true,
                    lastRunAt: ago(60),
                    lastStatus: "failed",
                    lastMessage: "ERROR:  updated partition constraint for default partition would be violated",
                    failuresSinceSuccess: 1,
                },
            ],
        };
        assert.deepEqual(judgeSection("cron", { ...r, cron }).notes, [
            "metacortex-partman-app.habit_checkins failed: ERROR:  updated partition constraint for default partition would be violated",
        ]);
        const partitions = {
            kind: "ok" as const,
            tables: [
                { parent: "app.habit_checkins", premake: 4, ahead: 3, defaultRows: 2, lastMaintenanceAt: ago(60) },
            ],
        };
        const f = judgeSection("partitions", { ...r, partitions });
        assert.deepEqual(
            [f.verdict, f.notes],
            [
                "fail",
                [
                    "app.habit_checkins: 2 rows in the default partition",
                    "app.habit_checkins: 3 partitions ahead, premake 4",
                ],
            ],
        );
    });

    it("warns (exit 1) on pending migrations and on a section it could not read; skipped sections do not count", () => {
        const pending = {
            ...healthy(),
            migrations: {
                kind: "ok" as const,
                applied: [],
                pending: ["20261126111500_purge_cron_run_history.sql"],
                unknown: [],
            },
        };
        assert.deepEqual([judge(pending, SECTIONS).overall, judge(pending, SECTIONS).exitCode], ["degraded", 1]);
        const unreadable = {
            ...healthy(),
            backups: { kind: "unavailable" as const, reason: "pgbackrest: stanza missing" },
        };
        assert.equal(judge(unreadable, SECTIONS).exitCode, 1);
        const skipped = {
            ...healthy(),
            pgbouncer: { kind: "skipped" as const, reason: "not checked for DATABASE_URL" },
        };
        assert.equal(judge(skipped, SECTIONS).exitCode, 0);
    });

    it("fails with no backup at all, and on a role at its connection limit", () => {
        const r = { ...healthy(), backups: { kind: "ok" as const, backups: [], newestWal: null } };
        assert.equal(judgeSection("backups", r).verdict, "fail");
        assert.equal(recoverableWindow(r), undefined);
        const c = healthy().connections as Extract<StatusReport["connections"], { kind: "ok" }>;
        const full = {
            ...healthy(),
            connections: { ...c, roles: [{ role: "metacortex_app", connections: 70, limit: 70 }] },
        };
        assert.deepEqual(judgeSection("connections", full).notes, ["metacortex_app at its connection limit (70)"]);
    });

    it("lists every standby and slot generically: a lagging standby and an inactive slot are named", () => {
        const replication = {
            kind: "ok" as const,
            standbys: [
                {
                    name: "standby-b",
                    clientAddr: "127.0.0.1",
                    state: "catchup",
                    syncState: "async",
                    lagBytes: 2 ** 31,
                    replayLagSeconds: 3,
                },
            ],
            slots: [{ name: "standby_b", type: "physical", active: false, retainedBytes: 2 ** 31 }],
        };
        const f = judgeSection("replication", { ...healthy(), replication });
        assert.equal(f.verdict, "fail");
        assert.deepEqual(f.notes, [
            "inactive slot standby_b holds 2147483648 bytes of WAL",
            "standby standby-b is catchup",
            "standby standby-b lags 2147483648 bytes, 3 s",
        ]);
        const text = renderStatus({ ...healthy(), replication }, judge({ ...healthy(), replication }, SECTIONS));
        assert.match(text, /standby standby-b \(127\.0\.0\.1\): catchup, async, lag 2048\.0 MiB, replay 3\.0 s/);
    });

    it("is unreachable (exit 3) when the server cannot be reached, and says why", () => {
        const r: StatusReport = {
            target: healthy().target,
            collectedAt: AT,
            unreachable: "cannot connect to 127.0.0.1:5433: connection refused",
        };
        const j = judge(r, SECTIONS);
        assert.deepEqual([j.overall, j.exitCode], ["unreachable", EXIT_CODES.unreachable]);
        assert.equal(
            renderStatus(r, j).split("\n")[1],
            "UNREACHABLE (exit 3): cannot connect to 127.0.0.1:5433: connection refused",
        );
    });
});

describe("npm run status: the screen and the JSON", () => {
    it("puts the verdict and the findings first, then one line per section", () => {
        const r = {
            ...healthy(),
            migrations: {
                kind: "ok" as const,
                applied: ["20261124090000"],
                pending: ["20261126111500_x.sql"],
                unknown: [],
            },
        };
        const lines = renderStatus(r, judge(r, SECTIONS)).split("\n");
        assert.equal(
            lines[0],
            "MetaCortex database localhost:5433/metacortex (the local environment (admin)), 2026-11-26 12:00:00 UTC",
        );
        assert.equal(lines[1], "DEGRADED (exit 1): 0 failing, 1 warning, 0 unknown, 9 ok");
        assert.equal(lines[2], "  warn    Migrations   1 pending: npm run db:migrate");
        assert.ok(
            lines.includes("WAL archive  last 00000001000000000000000B, 30 s ago; 12 archived, 0 failed"),
            lines.join("\n"),
        );
        assert.ok(
            lines.includes(
                "             recoverable from 2026-11-26 10:00:00 UTC to 2026-11-26 11:59:30 UTC (the newest archived WAL)",
            ),
        );
        assert.ok(
            lines.includes(
                "Backups      full 20261126-100000F 2 h 0 min ago, diff none, incr 20261126-100000F_20261126-113000I 30 min ago (2 in the repository)",
            ),
        );
        assert.ok(lines.length < 40, `one screen: ${lines.length} lines`);
    });

    it("says why a section is missing instead of leaving it out", () => {
        const r = { ...healthy(), cron: { kind: "skipped" as const, reason: "not visible to metacortex_monitor" } };
        assert.match(
            renderStatus(r, judge(r, SECTIONS)),
            /^pg_cron {6}not applicable: not visible to metacortex_monitor$/m,
        );
    });

    it("gives scripts the same facts as JSON, with the judgement", () => {
        const parsed = JSON.parse(statusJson(healthy(), judge(healthy(), SECTIONS)));
        assert.equal(parsed.judgement.exitCode, 0);
        assert.equal(parsed.archiving.lastArchivedWal, "00000001000000000000000B");
        assert.deepEqual(
            parsed.judgement.findings.map((f: { section: string }) => f.section),
            [...SECTIONS],
        );
    });

    it("formats durations for people", () => {
        assert.deepEqual(
            [duration(42), duration(300), duration(10_920), duration(90_000)],
            ["42 s", "5 min", "3 h 2 min", "1 d 1 h"],
        );
    });
});

describe("npm run status: collectors' pure parts", () => {
    it("numbers WAL segments across a log boundary", () => {
        const seg = 16 * 2 ** 20;
        assert.equal(
            segmentNumber("0000000100000001000000FF", seg) - segmentNumber("0000000100000001000000FE", seg),
            1,
        );
        assert.equal(
            segmentNumber("000000010000000200000000", seg) - segmentNumber("0000000100000001000000FF", seg),
            1,
        );
    });

    it("reads pgBackRest's info JSON: backups oldest first, errored ones left out, the newest WAL", () => {
        const info = [
            {
                archive: [{ max: "000000010000000000000009", min: "000000010000000000000001" }],
                backup: [
                    {
                        label: "A",
                        type: "full",
                        error: false,
                        timestamp: { start: 100, stop: 160 },
                        info: { size: 10, repository: { delta: 4 } },
                    },
                    {
                        label: "B",
                        type: "incr",
                        error: true,
                        timestamp: { start: 200, stop: 210 },
                        info: { size: 10, repository: { delta: 1 } },
                    },
                ],
            },
        ];
        assert.deepEqual(backupsFromInfo(info), {
            backups: [
                {
                    label: "A",
                    type: "full",
                    startedAt: "1970-01-01T00:01:40.000Z",
                    stoppedAt: "1970-01-01T00:02:40.000Z",
                    sizeBytes: 10,
                    repoDeltaBytes: 4,
                },
            ],
            newestWal: "000000010000000000000009",
        });
        assert.deepEqual(backupsFromInfo([]), { backups: [], newestWal: null });
    });

    it("compares migrations on disk with those applied: pending files and applied versions with no file", () => {
        assert.deepEqual(migrationState(["1_a.sql", "2_b.sql", "3_c.sql"], ["1", "2", "9"]), {
            applied: ["1", "2", "9"],
            pending: ["3_c.sql"],
            unknown: ["9"],
        });
    });
});
