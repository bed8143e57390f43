/**
 * `npm run backup [-- --type full|diff|incr]` backs up the local environment to its encrypted pgBackRest repository;
 * `npm run backup -- --verify` checks every backup and WAL file in the repository (pgbackrest verify).
 */
import { main, parseFlags, step, table, UsageError } from "./lib/cli";
import { localBackupRepo, openLocalCluster } from "./lib/local/localCluster";
import { readState } from "./lib/local/localEnv";

const USAGE = "npm run backup [-- --type full|diff|incr] [--verify]";

main("backup", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { type: { type: "string" }, verify: { type: "boolean" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const type = values.type ?? "incr";
    if (!["full", "diff", "incr"].includes(type))
        throw new UsageError(`--type must be full, diff or incr, got ${type}`);
    if (!readState().clusterRoot) throw new UsageError("no local environment yet: run npm run local first");
    const cluster = await openLocalCluster();
    if (!(await cluster.isRunning())) throw new UsageError("the local database is stopped: run npm run local first");
    const repo = localBackupRepo(cluster);
    if (values.verify) {
        await step("pgbackrest verify (every backup and archived WAL file)", () => repo.verify());
        console.log("backup: repository verified clean");
        return;
    }
    // pgBackRest turns an incremental or differential without a full into a full by itself; say so.
    await step(`${type} backup`, () => repo.backup(type as "full" | "diff" | "incr"));
    const info = await repo.info();
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    console.log(
        "\n" +
            table(
                ["backup", "type", "taken", "seconds", "database", "added to repository"],
                info.map((b) => [
                    b.label,
                    b.type,
                    new Date(b.stop * 1000).toISOString(),
                    String(b.stop - b.start),
                    mib(b.size),
                    mib(b.repoDelta),
                ]),
            ),
    );
});
