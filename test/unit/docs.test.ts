import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS } from "../../config";
import { GENERATED_DOCS } from "../../scripts/lib/docs/generatedDocs";
import { ROOT } from "../harness/stack";

describe("generated documents", () => {
    for (const [file, render] of Object.entries(GENERATED_DOCS)) {
        it(`${file} is current (run \`npm run docs\` after changing its source)`, async () => {
            const committed = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.ok(committed === (await render()), `${file} is stale: run npm run docs and commit the result`);
        });
    }
});

describe("docs/config.md", () => {
    it("documents every config key the program reads", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs/config.md"), "utf8");
        const missing = CONFIG_KEYS.filter((key) => !doc.includes(`| \`${key}\` |`));
        assert.deepEqual(missing, []);
    });
});
