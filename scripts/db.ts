/**
 * Migrations: `npm run db:migrate`, `npm run db:rollback [-- --all]`, `npm run db:status`, `npm run db:dump`.
 * Targets DATABASE_URL, or the local environment's migrator when it is unset; migrate and rollback refuse any role but
 * the migrator. `db:dump` rebuilds sql/schema.sql from an empty throwaway cluster, so the committed dump depends on
 * the migrations alone.
 */
import * as fs from "fs";
import { databaseUrl, main, parseFlags, UsageError } from "./lib/cli";
import { defaultDatabaseUrl } from "./lib/local/localEnv";
import { appliedVersions, dbmate, rollbackAll, SCHEMA_FILE } from "./lib/local/migrations";
import { buildSchemaDump } from "./lib/local/schemaBuild";

const USAGE = "npm run db:<migrate|rollback|status|dump> [-- --all]   (DATABASE_URL, or the local environment)";

main("db", async () => {
    const { values, positionals } = parseFlags(process.argv.slice(2), { all: { type: "boolean" } }, USAGE);
    const [command, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}. Usage: ${USAGE}`);
    if (command === "dump") {
        console.log("db: building the schema from an empty cluster (role model + every migration)");
        const dump = await buildSchemaDump();
        fs.writeFileSync(SCHEMA_FILE, dump);
        console.log(`db: wrote sql/schema.sql (${dump.split("\n").length} lines)`);
        return;
    }
    const url = databaseUrl(
        process.env.DATABASE_URL ?? defaultDatabaseUrl("migrator"),
        process.env.DATABASE_URL ? "DATABASE_URL" : "the local environment's migrator URL",
    );
    const where = `${new URL(url).hostname}:${new URL(url).port || 5432}${new URL(url).pathname}`;
    switch (command) {
        case "migrate": {
            process.stdout.write(await dbmate(url, "migrate"));
            console.log(`db: ${where} is at ${(await appliedVersions(url)).pop() ?? "no migration"}`);
            return;
        }
        case "rollback": {
            if (values.all) console.log(`db: rolled back ${await rollbackAll(url)} migrations on ${where}`);
            else process.stdout.write(await dbmate(url, "rollback"));
            console.log(`db: ${where} is at ${(await appliedVersions(url)).pop() ?? "no migration"}`);
            return;
        }
        case "status":
            process.stdout.write(await dbmate(url, "status"));
            return;
        default:
            throw new UsageError(`unknown command ${command ?? "(none)"}. Usage: ${USAGE}`);
    }
});
