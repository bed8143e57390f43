/**
 * `npm run db:repack [-- --table app.tasks] [--min-spread 2] [--force] [--dry-run]`: keeps each tenant's rows
 * together. Measures how spread out users' rows are (scripts/lib/repack/locality.ts) and, when the median spread is
 * at least --min-spread (or with --force), rewrites the table online with pg_repack in its clustering index's order.
 * Meant for a weekly schedule at a quiet hour (docs/performance.md). Needs the admin URL (superuser, or
 * rds_superuser on RDS): DATABASE_URL, or the local environment's admin.
 */
import { Client } from "pg";
import { databaseUrl, main, parseFlags, UsageError } from "./lib/cli";
import { clientConfig } from "./lib/local/connect";
import { defaultDatabaseUrl } from "./lib/local/localEnv";
import { measureLocality } from "./lib/repack/locality";
import { repackTable } from "./lib/repack/repack";

const USAGE = "npm run db:repack -- [--table app.tasks] [--min-spread N] [--force] [--dry-run]";

main("repack", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            table: { type: "string" },
            "min-spread": { type: "string" },
            force: { type: "boolean" },
            "dry-run": { type: "boolean" },
        },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const table = values.table ?? "app.tasks";
    if (!/^app\.[a-z_]+$/.test(table))
        throw new UsageError(`--table must be an app table like app.tasks, got ${table}`);
    const minSpread = Number(values["min-spread"] ?? "2");
    if (!(minSpread >= 1))
        throw new UsageError(`--min-spread must be a number of at least 1, got ${values["min-spread"]}`);
    const url = databaseUrl(
        process.env.DATABASE_URL ?? defaultDatabaseUrl("admin"),
        process.env.DATABASE_URL ? "DATABASE_URL" : "the local environment's admin URL",
    );
    const client = new Client(clientConfig(url));
    await client.connect();
    try {
        const before = await measureLocality(client, table);
        console.log(
            `repack: ${table}: a user's rows span ${before.pagesPerUser} heap pages, ${before.spread}x the fewest possible (${before.sampledUsers} users sampled, ${before.rowsPerPage} rows a page)`,
        );
        if (before.spread < minSpread && !values.force) {
            console.log(`repack: below --min-spread ${minSpread}: nothing to do`);
            return;
        }
        const r = await repackTable(client, url, table, { dryRun: values["dry-run"] });
        if (values["dry-run"]) return console.log(`repack: dry run: ${r.output || "pg_repack would repack the table"}`);
        const after = await measureLocality(client, table);
        console.log(
            `repack: done in ${r.seconds} s (needed ${(r.extraBytes / 2 ** 20).toFixed(0)} MiB of free disk): ${after.pagesPerUser} pages a user, ${after.spread}x the fewest`,
        );
    } finally {
        await client.end();
    }
});
