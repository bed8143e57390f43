/** `npm run drill:pitr [-- --users N] [--keep]`: the point-in-time-recovery drill; exits non-zero on any mismatch. */
import * as fs from "fs";
import * as path from "path";
import { main, parseFlags, table, UsageError } from "./lib/cli";
import { runPitrDrill } from "./lib/drill/pitr";
import { REPO } from "./lib/local/localEnv";

const USAGE = "npm run drill:pitr [-- --users N] [--tasks-per-user N] [--keep] [--report FILE]";

type DrillReport = Awaited<ReturnType<typeof runPitrDrill>>;

/** Pure: the drill's summary rows: what was backed up, restored and verified, and the RTO. */
export function drillSummary(report: DrillReport, users: number): string[][] {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    return [
        [
            "data",
            `${report.rowsSeeded.toLocaleString("en")} rows seeded (${users} users), database ${mib(report.databaseBytes)}`,
        ],
        [
            "full backup",
            `${report.backupSeconds.toFixed(1)} s, ${mib(report.backupRepoBytes)} in the repository (compressed, encrypted)`,
        ],
        ["restore point T", report.restorePoint],
        ["rows before T", `${report.markersBefore} of 10 present`],
        ["rows after T", `${report.markersAfter} present (expected 0)`],
        ["schema and counts", report.verdict.ok ? "match the source at T" : report.verdict.problems.join("; ")],
        ["pgbackrest verify", report.verifyClean ? "clean" : "FAILED"],
        ["RTO", `${report.rtoSeconds.toFixed(1)} s (restore start to a promoted, queryable server)`],
    ];
}

function int(name: string, v: string | undefined, d: number): number {
    if (v === undefined) return d;
    if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--${name} must be a positive whole number, got ${v}`);
    return Number(v);
}

main("drill", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            users: { type: "string" },
            "tasks-per-user": { type: "string" },
            keep: { type: "boolean" },
            report: { type: "string" },
        },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const users = int("users", values.users, 300);
    const report = await runPitrDrill({
        users,
        tasksPerUser: int("tasks-per-user", values["tasks-per-user"], 100),
        keep: values.keep,
        progress: (l) => console.log(l),
    });
    console.log(`\n${table(["check", "result"], drillSummary(report, users))}`);
    if (values.report) {
        fs.writeFileSync(
            path.resolve(REPO, values.report),
            `${JSON.stringify({ ...report, date: new Date().toISOString() }, null, 2)}\n`,
        );
    }
    if (!report.verdict.ok || !report.verifyClean)
        throw new Error(
            `drill failed: ${[...report.verdict.problems, ...(report.verifyClean ? [] : ["pgbackrest verify failed"])].join("; ")}`,
        );
    console.log("\ndrill: PASSED");
});
