/**
 * `npm run db:new -- <name>`: a new migration from the template (a Why header to fill in, up and down sections),
 * versioned after every existing one. `npm run db:sum`: records new migrations' SHA-256 at the end of
 * sql/migrations.sum, refusing if any recorded migration changed or went missing. Committed migrations are immutable.
 */
import * as fs from "fs";
import * as path from "path";
import { main, parseFlags, UsageError } from "./lib/cli";
import { MANIFEST_FILE, MIGRATIONS_DIR, readManifest, readMigrations } from "./lib/migrations/files";
import { appendNew, migrationTemplate, nextVersion, parseManifest, renderManifest } from "./lib/migrations/manifest";

const USAGE = "npm run db:new -- <snake_case_name>  |  npm run db:sum";

function create(name: string | undefined): void {
    if (!name || !/^[a-z][a-z0-9_]*$/.test(name))
        throw new UsageError(`the name must be snake_case (a-z, 0-9, _), got ${name ?? "nothing"}. Usage: ${USAGE}`);
    const version = nextVersion(
        readMigrations().map((m) => m.file),
        new Date(),
    );
    const file = path.join(MIGRATIONS_DIR, `${version}_${name}.sql`);
    fs.writeFileSync(file, migrationTemplate(), { flag: "wx" });
    console.log(`db:new: wrote ${path.relative(process.cwd(), file)}`);
    console.log("db:new: fill in the Why header, up and down; when it is final, npm run db:sum records it");
}

function sum(): void {
    const { entries, added } = appendNew(parseManifest(readManifest()), readMigrations());
    if (added.length === 0) {
        console.log(`db:sum: ${entries.length} migrations recorded, nothing new`);
        return;
    }
    fs.writeFileSync(MANIFEST_FILE, renderManifest(entries));
    for (const file of added) console.log(`db:sum: recorded ${file}`);
    console.log(
        `db:sum: commit ${path.relative(process.cwd(), MANIFEST_FILE)} with the migration; it is immutable from now on`,
    );
}

main("migration", async () => {
    const { positionals } = parseFlags(process.argv.slice(2), {}, USAGE);
    const [command, ...rest] = positionals;
    if (command === "new" && rest.length <= 1) return create(rest[0]);
    if (command === "sum" && rest.length === 0) return sum();
    throw new UsageError(`unexpected arguments ${positionals.join(" ") || "(none)"}. Usage: ${USAGE}`);
});
