import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "../harness/stack";

/** The `it` titles of a test file, as patterns (a template title's ${...} parts match anything). */
function titles(file: string): RegExp[] {
    const source = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...source.matchAll(/\bit\(\s*(["`])((?:(?!\1).)+)\1/g)].map(
        ([, , title]) =>
            new RegExp(
                `^${title
                    .split(/\$\{[^}]*\}/)
                    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
                    .join(".*")}$`,
            ),
    );
}

describe("docs/security.md threat model", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs/security.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Threat model"));
    const rows = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| threat"));

    it("has a row per threat, each naming how it is handled and a test", () => {
        assert.ok(rows.length >= 20, `${rows.length} rows`);
        for (const r of rows) {
            const cells = r.split(" | ");
            assert.equal(cells.length, 4, r);
            assert.match(cells[1], /prevented|detected|bounded|cannot be prevented/, r);
        }
    });

    it("cites only tests that exist, by file and `it` title", () => {
        const missing: string[] = [];
        for (const r of rows) {
            const test = r.split(" | ")[3];
            for (const part of test.split(/;\s*/)) {
                const file = /`(test\/[^`]+\.test\.ts)`/.exec(part)?.[1];
                if (!file) continue;
                const known = titles(file);
                for (const [, title] of part.matchAll(/"([^"]+)"/g))
                    if (!known.some((k) => k.test(title))) missing.push(`${file}: ${title}`);
            }
        }
        assert.deepEqual(missing, []);
    });
});
