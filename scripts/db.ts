/**
 * Migrations: `npm run db:migrate`, `npm run db:rollback [-- --all [--yes]]`, `npm run db:status`, `npm run db:dump`.
 * Targets DATABASE_URL, or the local environment's migrator when it is unset; migrate and rollback refuse any role but
 * the migrator. `--all` rolls back every migration, so it shows the database and its rows and asks first (or takes
 * `--yes`). `db:dump` rebuilds sql/schema.sql from an empty throwaway cluster, so the committed dump depends on the
 * migrations alone.
 */
import * as fs from "fs";
import { main, parseFlags, UsageError } from "./lib/cli";
import { confirmDestructive, liveRows } from "./lib/confirm";
import { readMigrations } from "./lib/migrations/files";
import { statusLines } from "./lib/migrations/status";
import { appliedVersions, assertMigrator, dbmate, rollbackAll, SCHEMA_FILE } from "./lib/local/migrations";
import { buildSchemaDump } from "./lib/local/schemaBuild";
import { resolveTarget, where } from "./lib/target";

const USAGE = "npm run db:<migrate|rollback|status|dump> [-- --all [--yes]]   (DATABASE_URL, or the local environment)";

async function rollback(url: string, all: boolean, yes: boolean): Promise<void> {
    await assertMigrator(url);
    const applied = await appliedVersions(url);
    if (applied.length === 0) {
        console.log(`db: nothing to roll back on ${where(url)}: no migration is applied`);
        return;
    }
    if (all) {
        await confirmDestructive(
            `roll back all ${applied.length} migrations (dropping every table and its rows)`,
            await liveRows(url),
            { yes, interactive: Boolean(process.stdin.isTTY) },
        );
        console.log(`db: rolled back ${await rollbackAll(url)} migrations on ${where(url)}`);
    } else process.stdout.write(await dbmate(url, "rollback"));
    console.log(`db: ${where(url)} is at ${(await appliedVersions(url)).pop() ?? "no migration"}`);
}

main("db", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { all: { type: "boolean" }, yes: { type: "boolean" } },
        USAGE,
    );
    const [command, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}. Usage: ${USAGE}`);
    if (command === "dump") {
        console.log("db: building the schema from an empty cluster (role model + every migration)");
        const dump = await buildSchemaDump();
        fs.writeFileSync(SCHEMA_FILE, dump);
        console.log(`db: wrote sql/schema.sql (${dump.split("\n").length} lines)`);
        return;
    }
    if (!["migrate", "rollback", "status"].includes(command ?? ""))
        throw new UsageError(`unknown command ${command ?? "(none)"}. Usage: ${USAGE}`);
    const { url } = resolveTarget("migrator");
    switch (command) {
        case "migrate":
            process.stdout.write(await dbmate(url, "migrate"));
            console.log(`db: ${where(url)} is at ${(await appliedVersions(url)).pop() ?? "no migration"}`);
            return;
        case "rollback":
            return rollback(url, Boolean(values.all), Boolean(values.yes));
        default: {
            const files = readMigrations().map((m) => m.file);
            console.log(statusLines(files, await appliedVersions(url)).join("\n"));
        }
    }
});
