/**
 * The one-time handover of an existing database (made by the backend's own migrations) to sql/migrations:
 * compare its schema with sql/schema.sql and with the models, list what differs, and once nothing does, stamp it
 * (record every migration as applied in dbmate's table) so that `npm run db:migrate` takes over from there.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { type CommandError, run } from "../exec";
import { dumpSchema, MIGRATIONS_DIR, SCHEMA_FILE } from "./migrations";
import { runPython } from "./python";

export interface HandoverReport {
    /** `diff -u` of sql/schema.sql against the database's normalized dump; empty when they are identical. */
    readonly schemaDiff: string;
    /** One line per difference between the models and the database (metacortex_models.schema_check). */
    readonly modelDifferences: readonly string[];
    /** Migration versions in sql/migrations, and those the database records as applied. */
    readonly versions: readonly string[];
    readonly stamped: readonly string[];
}

/** Versions of the migration files, oldest first. */
export function migrationVersions(dir = MIGRATIONS_DIR): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => /^\d{14}_.*\.sql$/.test(f))
        .map((f) => f.slice(0, 14))
        .sort();
}

/** The password of a URL, to keep out of any message. */
function secretsOf(url: string): string[] {
    return [decodeURIComponent(new URL(url).password)].filter((p) => p.length > 0);
}

function without(text: string, secrets: readonly string[]): string {
    return secrets.reduce((out, s) => out.split(s).join("***"), text);
}

/** Unified diff of two texts with the `diff` tool (exit 1 = they differ), labelled. */
async function unifiedDiff(expected: string, actual: string, labels: readonly [string, string]): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-handover-"));
    try {
        fs.writeFileSync(path.join(dir, "expected.sql"), expected);
        fs.writeFileSync(path.join(dir, "actual.sql"), actual);
        const args = ["-u", "--label", labels[0], "--label", labels[1], "expected.sql", "actual.sql"];
        return await run("diff", args, { cwd: dir }).catch((e: CommandError) => {
            if (e.code === 1) return e.stdout;
            throw e;
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

async function stampedVersions(url: string): Promise<string[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
        const [{ exists }] = (
            await client.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL AS exists")
        ).rows;
        if (!exists) return [];
        return (await client.query("SELECT version FROM public.schema_migrations ORDER BY 1")).rows.map(
            (r) => r.version,
        );
    } finally {
        await client.end();
    }
}

/** Compares the database at `url` (an administrator: the dump must see every object) with the repository. */
export async function compareForHandover(url: string): Promise<HandoverReport> {
    const secrets = secretsOf(url);
    const where = `${new URL(url).hostname}${new URL(url).pathname}`;
    let dump: string;
    try {
        dump = await dumpSchema(url);
    } catch (error) {
        throw new Error(
            `pg_dump of ${where} failed: ${without(String((error as Error).message), secrets).split("\n")[0]}`,
        );
    }
    const schemaDiff = await unifiedDiff(fs.readFileSync(SCHEMA_FILE, "utf8"), dump, ["sql/schema.sql", where]);
    const models = await runPython(["-m", "metacortex_models.schema_check"], { DATABASE_URL: url }, secrets);
    if (models.code === 2) throw new Error(`the models comparison could not run: ${models.stderr.trim()}`);
    const modelDifferences = models.stdout.split("\n").filter((l) => /^\S/.test(l));
    return { schemaDiff, modelDifferences, versions: migrationVersions(), stamped: await stampedVersions(url) };
}

/**
 * Records every migration as applied, as dbmate would have (its table, owned by metacortex_owner like the rest).
 * Refuses while the schema differs from sql/schema.sql. Returns the versions it added.
 */
export async function stamp(url: string): Promise<string[]> {
    const report = await compareForHandover(url);
    if (report.schemaDiff !== "")
        throw new Error(
            `the schema differs from sql/schema.sql (${report.schemaDiff.split("\n").length} diff lines): resolve every difference first (npm run db:handover -- compare)`,
        );
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
        await client.query("BEGIN");
        await client.query("SET LOCAL ROLE metacortex_owner");
        await client.query("CREATE TABLE IF NOT EXISTS public.schema_migrations (version varchar(128) PRIMARY KEY)");
        const added = await client.query(
            "INSERT INTO public.schema_migrations (version) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING version",
            [report.versions],
        );
        await client.query("COMMIT");
        return added.rows.map((r) => r.version).sort();
    } finally {
        await client.end();
    }
}
