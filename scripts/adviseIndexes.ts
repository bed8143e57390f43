/**
 * `npm run advise:indexes [-- --top N] [--min-gain 0.2]`: for the statements that took the most time
 * (pg_stat_statements), tries candidate indexes as HypoPG hypothetical indexes and prints the best one for each,
 * with the planner's estimated gain, as DDL to review (nothing is built). Works on RDS, where HypoPG is available;
 * needs the admin URL (superuser or rds_superuser, to create the extension): DATABASE_URL, or the local admin.
 */
import { Client } from "pg";
import { databaseUrl, main, parseFlags, table, UsageError } from "./lib/cli";
import { clientConfig } from "./lib/local/connect";
import { defaultDatabaseUrl } from "./lib/local/localEnv";
import { adviseIndexes } from "./lib/tuning/advisor";
import { ROLE } from "../postgres/roles/names";

const USAGE = "npm run advise:indexes -- [--top N] [--min-gain 0.2]";

main("advise:indexes", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { top: { type: "string" }, "min-gain": { type: "string" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const top = Number(values.top ?? "10");
    if (!Number.isInteger(top) || top < 1)
        throw new UsageError(`--top must be a positive whole number, got ${values.top}`);
    const minGain = Number(values["min-gain"] ?? "0.2");
    if (!(minGain > 0 && minGain < 1))
        throw new UsageError(`--min-gain must be between 0 and 1, got ${values["min-gain"]}`);
    const url = databaseUrl(
        process.env.DATABASE_URL ?? defaultDatabaseUrl("admin"),
        process.env.DATABASE_URL ? "DATABASE_URL" : "the local environment's admin URL",
    );
    const client = new Client(clientConfig(url));
    await client.connect();
    try {
        const advice = await adviseIndexes(client, top);
        const short = (q: string) => q.replace(/\s+/g, " ").slice(0, 70);
        console.log(
            table(
                ["statement", "calls", "mean ms", "cost", "suggested index", "est. cost", "gain"],
                advice.map((a) => {
                    const worth = a.best && a.best.gain >= minGain;
                    return [
                        short(a.query),
                        String(a.calls),
                        a.meanMs.toFixed(2),
                        a.cost.toFixed(0),
                        worth ? a.best!.ddl : "-",
                        worth ? a.best!.cost.toFixed(0) : "-",
                        worth ? `${(a.best!.gain * 100).toFixed(0)}%` : "-",
                    ];
                }),
            ),
        );
        const found = advice.filter((a) => a.best && a.best.gain >= minGain).length;
        console.log(
            `\nadvise:indexes: ${advice.length} statements planned, ${found} with an index worth at least ${(minGain * 100).toFixed(0)}% of the estimated cost`,
        );
        const fromApp = await client.query(
            "SELECT count(*)::int AS n FROM ext.pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = ANY($1)",
            [[ROLE.app, ROLE.readonly]],
        );
        if (fromApp.rows[0].n === 0)
            console.log(
                `advise:indexes: pg_stat_statements holds no statement of ${ROLE.app} or ${ROLE.readonly} yet: the advice is for the app's own statements, so run its workload against this database first`,
            );
    } finally {
        await client.end();
    }
});
