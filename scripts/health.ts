/**
 * `npm run health [-- --json]`: the database health checks (postgres/health/checks.ts) against DATABASE_URL, or
 * the local environment's monitor role. Prints a table (or JSON) with each threshold; exits 1 when a check fails.
 */
import { Client } from "pg";
import { type HealthReport, runHealth, summarize } from "../postgres/health/checks";
import { clientConfig } from "./lib/local/connect";
import { databaseUrl, main, parseFlags, table, UsageError } from "./lib/cli";
import { defaultDatabaseUrl } from "./lib/local/localEnv";

const USAGE = "npm run health [-- --json]   (DATABASE_URL, or the local environment's monitor role)";

main("health", async () => {
    const { values, positionals } = parseFlags(process.argv.slice(2), { json: { type: "boolean" } }, USAGE);
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const url = databaseUrl(
        process.env.DATABASE_URL ?? defaultDatabaseUrl("monitor"),
        process.env.DATABASE_URL ? "DATABASE_URL" : "the local environment's monitor URL",
    );
    const mode = new URL(url).searchParams.get("sslmode") ?? "verify-full";
    const client = new Client(clientConfig(url));
    await client.connect();
    let report: HealthReport;
    try {
        report = await runHealth(client, { verified: mode === "verify-full", mode });
    } finally {
        await client.end();
    }
    if (values.json) {
        console.log(JSON.stringify(report, null, 2));
    } else {
        console.log(
            table(
                ["check", "status", "value", "threshold"],
                report.checks.map((c) => [
                    c.check,
                    c.status.toUpperCase(),
                    c.value + (c.detail ? ` (${c.detail})` : ""),
                    c.threshold,
                ]),
            ),
        );
        if (report.topStatements.length > 0) {
            console.log("\ntop statements by total time (pg_stat_statements)");
            console.log(
                table(
                    ["total ms", "calls", "mean ms", "query"],
                    report.topStatements.map((s) => [
                        s.totalMs.toFixed(0),
                        String(s.calls),
                        s.meanMs.toFixed(1),
                        s.query,
                    ]),
                ),
            );
        }
    }
    if (!report.ok) throw new Error(summarize(report));
    if (!values.json) console.log(`\nhealth: ${summarize(report)}`);
});
