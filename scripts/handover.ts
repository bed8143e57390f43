/**
 * `npm run db:handover -- compare|stamp`: the one-time handover of an existing database to sql/migrations
 * (docs/migrations.md). DATABASE_URL: an administrator of that database.
 *   compare  the schema against sql/schema.sql (a unified diff of pg_dump --schema-only) and against the models;
 *            exits 1 while anything differs
 *   stamp    records every migration as applied in dbmate's table; refuses while the schema differs
 */
import { databaseUrl, main, parseFlags, UsageError } from "./lib/cli";
import { compareForHandover, stamp } from "./lib/local/handover";

const USAGE = "npm run db:handover -- <compare|stamp>   (DATABASE_URL: an administrator of the existing database)";

main("handover", async () => {
    const { positionals } = parseFlags(process.argv.slice(2), {}, USAGE);
    const [command, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument ${rest[0]}. Usage: ${USAGE}`);
    if (command !== "compare" && command !== "stamp")
        throw new UsageError(`unknown command ${command ?? "(none)"}. Usage: ${USAGE}`);
    const url = databaseUrl(process.env.DATABASE_URL, "DATABASE_URL");
    if (command === "stamp") {
        const added = await stamp(url);
        console.log(
            `handover: stamped ${added.length} migration(s) as applied${added.length ? `: ${added.join(", ")}` : ""}`,
        );
        console.log("handover: from now on, npm run db:migrate applies what is new");
        return;
    }
    const report = await compareForHandover(url);
    const pending = report.versions.filter((v) => !report.stamped.includes(v));
    console.log(
        report.schemaDiff === ""
            ? "schema: identical to sql/schema.sql"
            : `schema: differs from sql/schema.sql\n${report.schemaDiff}`,
    );
    console.log(
        report.modelDifferences.length === 0
            ? "models: identical to the database"
            : `models: ${report.modelDifferences.length} difference(s)\n${report.modelDifferences.map((d) => `  ${d}`).join("\n")}`,
    );
    console.log(
        `dbmate: ${report.versions.length - pending.length} of ${report.versions.length} migrations recorded as applied`,
    );
    const differences = (report.schemaDiff === "" ? 0 : 1) + report.modelDifferences.length;
    if (differences > 0)
        throw new Error("the database differs from the repository: resolve each difference above, then compare again");
    console.log(
        pending.length > 0 ? "handover: ready to stamp (npm run db:handover -- stamp)" : "handover: already stamped",
    );
});
