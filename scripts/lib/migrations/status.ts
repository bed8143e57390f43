/** What `npm run db:status` prints, in dbmate's own format. */

/** Pure: dbmate's status listing, from the files and the versions applied (read without creating dbmate's table). */
export function statusLines(files: readonly string[], applied: readonly string[]): string[] {
    const done = new Set(applied);
    const known = new Set(files.map((f) => f.split("_")[0]));
    const unknown = applied.filter((v) => !known.has(v));
    return [
        ...files.map((f) => `[${done.has(f.split("_")[0]) ? "X" : " "}] ${f}`),
        ...unknown.map((v) => `[?] ${v} (applied, but no file in sql/migrations)`),
        "",
        `Applied: ${applied.length}`,
        `Pending: ${files.filter((f) => !done.has(f.split("_")[0])).length}`,
    ];
}
