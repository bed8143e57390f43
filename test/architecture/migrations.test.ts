/**
 * Committed migrations are immutable: sql/migrations.sum records each one's SHA-256, and may only grow at the end.
 * A changed, removed or unrecorded migration fails here, named; `npm run db:sum` records new ones.
 */
import { strict as assert } from "assert";
import { readManifest, readMigrations } from "../../scripts/lib/migrations/files";
import {
    appendNew,
    type ManifestEntry,
    manifestProblems,
    migrationTemplate,
    nextVersion,
    parseManifest,
    renderManifest,
    sha256,
} from "../../scripts/lib/migrations/manifest";

describe("migrations are immutable", () => {
    it("records every migration in sql/migrations.sum, unchanged since it was committed", () => {
        const entries = parseManifest(readManifest());
        assert.ok(entries.length >= 13, `${entries.length} migrations recorded`);
        assert.deepEqual(manifestProblems(entries, readMigrations()), []);
    });
});

describe("the migration manifest", () => {
    const files = [
        { file: "20260101000000_a.sql", text: "-- Why: a\n" },
        { file: "20260102000000_b.sql", text: "-- Why: b\n" },
    ];
    const recorded: ManifestEntry[] = files.map((f) => ({ sum: sha256(f.text), file: f.file }));

    it("reads and writes sha256sum's format, refusing a malformed line by number", () => {
        const text = renderManifest(recorded);
        assert.equal(text.split("\n")[0], `${sha256("-- Why: a\n")}  20260101000000_a.sql`);
        assert.deepEqual(parseManifest(text), recorded);
        assert.deepEqual(parseManifest(""), []);
        assert.throws(
            () => parseManifest(`${text}abc  x.sql\n`),
            /^Error: sql\/migrations\.sum:3: "abc {2}x\.sql" is not/,
        );
    });

    it("fails when a recorded migration changes, naming it", () => {
        const changed = [files[0], { ...files[1], text: "-- Why: b, edited\n" }];
        assert.deepEqual(
            manifestProblems(recorded, changed).map((p) => p.split(" (")[0]),
            ["20260102000000_b.sql: changed after it was committed"],
        );
    });

    it("fails when a recorded migration disappears, naming it", () => {
        assert.match(
            manifestProblems(recorded, [files[0]]).join("\n"),
            /^20260102000000_b\.sql: listed in .* but missing/,
        );
    });

    it("fails when a migration is not recorded, or would be inserted before the newest recorded one", () => {
        const later = { file: "20260103000000_c.sql", text: "-- Why: c\n" };
        const earlier = { file: "20260101120000_x.sql", text: "-- Why: x\n" };
        assert.deepEqual(manifestProblems(recorded, [...files, later]), [
            "20260103000000_c.sql: not in sql/migrations.sum; when it is final, run npm run db:sum",
        ]);
        assert.match(
            manifestProblems(recorded, [...files, earlier])[0],
            /^20260101120000_x\.sql: sorts before 20260102000000_b\.sql/,
        );
    });

    it("appends new migrations in version order and never rewrites a recorded line", () => {
        const c = { file: "20260103000000_c.sql", text: "-- Why: c\n" };
        const d = { file: "20260104000000_d.sql", text: "-- Why: d\n" };
        const { entries, added } = appendNew(recorded, [...files, d, c]);
        assert.deepEqual(added, [c.file, d.file]);
        assert.deepEqual(entries.slice(0, 2), recorded);
        assert.deepEqual(manifestProblems(entries, [...files, c, d]), []);
        const edited = [{ ...files[0], text: "changed" }, files[1], c];
        assert.throws(
            () => appendNew(recorded, edited),
            /refusing to update sql\/migrations\.sum: 20260101000000_a\.sql: changed/,
        );
    });

    it("refuses to record a migration that still has the template's Why line", () => {
        const draft = { file: "20260103000000_c.sql", text: migrationTemplate() };
        assert.throws(() => appendNew(recorded, [...files, draft]), /20260103000000_c\.sql: still has the template's/);
    });

    it("versions a new migration now, or a minute after the newest one when the clock is behind it", () => {
        const now = new Date("2026-11-26T12:05:01Z");
        assert.equal(nextVersion(["20261124090800_a.sql"], now), "20261126120501");
        assert.equal(nextVersion(["20261231235900_a.sql"], now), "20270101000000");
        assert.equal(nextVersion([], now), "20261126120501");
    });
});
