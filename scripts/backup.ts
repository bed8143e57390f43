/**
 * `npm run backup [-- --type full|diff|incr]` backs up the local environment to its encrypted pgBackRest repository
 * and reports the type pgBackRest actually made (it makes a full when an incremental or differential has nothing to
 * build on); `--list` only lists the backups and the recoverable window (read-only, like `pgo show backup`);
 * `--verify` checks every backup and WAL file in the repository (pgbackrest verify).
 */
import { main, parseFlags, step, UsageError } from "./lib/cli";
import { backupTable, madeLine } from "./lib/local/backupReport";
import { localBackupRepo, openLocalCluster } from "./lib/local/localCluster";
import { readState } from "./lib/local/localEnv";
import { backupsFromInfo, localBackups } from "./lib/status/collectLocal";

const USAGE = "npm run backup [-- --type full|diff|incr | --list | --verify]";

async function list(): Promise<void> {
    const backups = (await localBackups()).backups;
    console.log(backupTable(backups));
    if (backups.length > 0)
        console.log(
            `\nrecoverable from ${backups[0].stoppedAt} (end of the oldest backup) to the newest archived WAL (npm run status shows it)`,
        );
}

main("backup", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { type: { type: "string" }, verify: { type: "boolean" }, list: { type: "boolean" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const type = values.type ?? "incr";
    if (!["full", "diff", "incr"].includes(type))
        throw new UsageError(`--type must be full, diff or incr, got ${type}`);
    if (!readState().clusterRoot) throw new UsageError("no local environment yet: run npm run local first");
    if (values.list) return list();
    const cluster = await openLocalCluster();
    if (!(await cluster.isRunning())) throw new UsageError("the local database is stopped: run npm run local first");
    const repo = localBackupRepo(cluster);
    if (values.verify) {
        await step("pgbackrest verify (every backup and archived WAL file)", () => repo.verify());
        console.log("backup: repository verified clean");
        return;
    }
    const before = new Set(
        backupsFromInfo(JSON.parse(await repo.run(["--output=json", "info"]))).backups.map((b) => b.label),
    );
    await step(`backup (${type} asked for)`, () => repo.backup(type as "full" | "diff" | "incr"));
    const backups = (await localBackups()).backups;
    const made = backups.find((b) => !before.has(b.label));
    if (made) console.log(madeLine(type, made));
    console.log(`\n${backupTable(backups)}`);
});
