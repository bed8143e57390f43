/**
 * `npm run report:queries [-- --log FILE ...] [--rds] [--out FILE]`: an HTML query-performance report by pgBadger
 * from the server's log (slowest statements with their plans, the most time-consuming normalized queries, waits,
 * temporary files, checkpoints, autovacuum, connections). Without --log it reads the local environment's log
 * directory. --rds parses logs downloaded from RDS (its fixed log line prefix); docs/performance.md shows how to
 * download them with the AWS CLI.
 */
import * as path from "path";
import { main, parseFlags, UsageError } from "./lib/cli";
import { LOCAL_DIR, readConnections } from "./lib/local/localEnv";
import { localLogFiles, pgbadgerReport, RDS_LOG_LINE_PREFIX, selfManagedLogLinePrefix } from "./lib/tuning/pgbadger";

const USAGE = "npm run report:queries -- [--log FILE ...] [--rds] [--out FILE]";

main("report:queries", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { log: { type: "string", multiple: true }, rds: { type: "boolean" }, out: { type: "string" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    let logs = values.log ?? [];
    if (logs.length === 0) {
        const connections = readConnections();
        if (!connections) throw new UsageError("no --log given and no local environment: run `npm run local` first");
        logs = localLogFiles(connections.server.logDir);
        if (logs.length === 0) throw new UsageError(`no log files in ${connections.server.logDir}`);
    }
    const out = path.resolve(values.out ?? path.join(LOCAL_DIR, "reports", "queries.html"));
    const prefix = values.rds ? RDS_LOG_LINE_PREFIX : selfManagedLogLinePrefix();
    console.log(`report:queries: pgBadger on ${logs.length} log file(s), prefix '${prefix}'`);
    await pgbadgerReport({ logs, out, prefix });
    console.log(`report:queries: wrote ${out} (open it in a browser)`);
});
