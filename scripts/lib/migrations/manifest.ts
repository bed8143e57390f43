/**
 * Committed migrations are immutable: sql/migrations.sum records each one's SHA-256 in `sha256sum` format, in version
 * order, and may only grow at the end. The functions here are pure; scripts/migration.ts is the command
 * (`npm run db:new`, `npm run db:sum`) and test/architecture/migrations.test.ts keeps the rule.
 */
import { createHash } from "crypto";

export interface ManifestEntry {
    readonly sum: string;
    readonly file: string;
}

export interface MigrationFile {
    readonly file: string;
    readonly text: string;
}

/** The first line db:new writes; db:sum refuses to record a migration that still has it. */
export const WHY_PLACEHOLDER = "-- Why: TODO";

const MANIFEST = "sql/migrations.sum";
const NAME = /^\d{14}_[a-z][a-z0-9_]*\.sql$/;

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** Pure: the manifest's entries; throws naming the line that is not `<64 hex>  <migration file>`. */
export function parseManifest(text: string): ManifestEntry[] {
    return text
        .split("\n")
        .filter((line, i, all) => line !== "" || i < all.length - 1)
        .map((line, i) => {
            const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
            if (!m || !NAME.test(m[2]))
                throw new Error(`${MANIFEST}:${i + 1}: "${line}" is not "<sha256>  <YYYYMMDDHHMMSS_name.sql>"`);
            return { sum: m[1], file: m[2] };
        });
}

/** Pure: the manifest's text, one `sha256  file` line each, as sha256sum writes it. */
export function renderManifest(entries: readonly ManifestEntry[]): string {
    return entries.map((e) => `${e.sum}  ${e.file}\n`).join("");
}

/** Pure: every way the migrations differ from the manifest other than new files appended after the last entry. */
function broken(entries: readonly ManifestEntry[], files: readonly MigrationFile[]): string[] {
    const byName = new Map(files.map((f) => [f.file, f]));
    const problems: string[] = [];
    entries.forEach((e, i) => {
        const file = byName.get(e.file);
        if (i > 0 && e.file <= entries[i - 1].file)
            problems.push(`${e.file}: listed after ${entries[i - 1].file}; ${MANIFEST} keeps version order`);
        if (!file)
            problems.push(
                `${e.file}: listed in ${MANIFEST} but missing: a committed migration is never deleted or renamed`,
            );
        else if (sha256(file.text) !== e.sum)
            problems.push(
                `${e.file}: changed after it was committed (sha256 ${sha256(file.text).slice(0, 12)}, recorded ${e.sum.slice(0, 12)}): committed migrations are immutable; write a new migration instead`,
            );
    });
    const last = entries[entries.length - 1]?.file ?? "";
    const listed = new Set(entries.map((e) => e.file));
    for (const f of files) {
        if (!NAME.test(f.file)) problems.push(`${f.file}: not named YYYYMMDDHHMMSS_snake_case.sql`);
        else if (!listed.has(f.file) && f.file < last)
            problems.push(`${f.file}: sorts before ${last}, the newest committed migration: give it a newer version`);
    }
    return problems;
}

/** Pure: what the test reports: everything broken, and every migration not yet recorded. */
export function manifestProblems(entries: readonly ManifestEntry[], files: readonly MigrationFile[]): string[] {
    const listed = new Set(entries.map((e) => e.file));
    const unrecorded = files
        .filter((f) => NAME.test(f.file) && !listed.has(f.file))
        .map((f) => `${f.file}: not in ${MANIFEST}; when it is final, run npm run db:sum`);
    return [...broken(entries, files), ...unrecorded];
}

/**
 * Pure: the manifest with every new migration appended in version order. Refuses (throws, naming each file) when
 * anything recorded changed or went missing, when a new file sorts before the newest recorded one, or when a new
 * file still has db:new's placeholder Why line: no existing line is ever rewritten.
 */
export function appendNew(
    entries: readonly ManifestEntry[],
    files: readonly MigrationFile[],
): { entries: ManifestEntry[]; added: string[] } {
    const listed = new Set(entries.map((e) => e.file));
    const fresh = files.filter((f) => !listed.has(f.file)).sort((a, b) => a.file.localeCompare(b.file));
    const problems = [
        ...broken(entries, files),
        ...fresh
            .filter((f) => f.text.startsWith(WHY_PLACEHOLDER))
            .map((f) => `${f.file}: still has the template's "${WHY_PLACEHOLDER}" line; say why before recording it`),
    ];
    if (problems.length) throw new Error(`refusing to update ${MANIFEST}: ${problems.join("; ")}`);
    const added = fresh.map((f) => ({ sum: sha256(f.text), file: f.file }));
    return { entries: [...entries, ...added], added: added.map((a) => a.file) };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const stamp = (d: Date) =>
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/** Pure: a version for a new migration: now (UTC), or a minute after the newest existing one if that is later. */
export function nextVersion(existing: readonly string[], now: Date): string {
    const newest = [...existing].sort().pop();
    if (!newest) return stamp(now);
    const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_/.exec(newest)!;
    const after = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5] + 1, +m[6]));
    return stamp(after > now ? after : now);
}

/** Pure: a new migration's text: the Why header to fill in, up and down sections with the usual timeouts. */
export function migrationTemplate(): string {
    return [
        `${WHY_PLACEHOLDER}: what this changes and why, and why it is safe on a live database (locks, which`,
        "-- expand/contract step it is). docs/migrations.md has the patterns; docs/conventions.md the naming.",
        "",
        "-- migrate:up",
        "SET LOCAL lock_timeout = '5s';",
        "SET LOCAL statement_timeout = '5min';",
        "",
        "",
        "-- migrate:down",
        "SET LOCAL lock_timeout = '5s';",
        "SET LOCAL statement_timeout = '5min';",
        "",
    ].join("\n");
}
