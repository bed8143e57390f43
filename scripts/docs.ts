/** `npm run docs`: regenerates the documents that are rendered from code (a test fails when they are stale). */
import * as fs from "fs";
import * as path from "path";
import { main } from "./lib/cli";
import { REPO } from "./lib/localEnv";
import { GENERATED_DOCS } from "./lib/generatedDocs";

main("docs", async () => {
    for (const [file, render] of Object.entries(GENERATED_DOCS)) {
        const target = path.join(REPO, file);
        const content = await render();
        const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
        console.log(`docs: ${file} ${before === content ? "unchanged" : "written"}`);
    }
});
