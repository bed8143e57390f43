/** `npm run docs`: regenerates the documents rendered from code, from the prod stack under mocks, or from a migrated database. */
import * as fs from "fs";
import * as path from "path";
import { main } from "./lib/cli";
import { REPO } from "./lib/local/localEnv";
import { STACK_DOCS } from "./lib/docs/dashboardDoc";
import { DATABASE_DOCS, GENERATED_DOCS } from "./lib/docs/generatedDocs";
import { runStack } from "./lib/stack/mockStack";
import { dbmate } from "./lib/local/migrations";
import { databaseWithRoles } from "./lib/local/throwaway";

function write(file: string, content: string): void {
    const target = path.join(REPO, file);
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    console.log(`docs: ${file} ${before === content ? "unchanged" : "written"}`);
}

main("docs", async () => {
    for (const [file, render] of Object.entries(GENERATED_DOCS)) write(file, await render());
    console.log("docs: running the prod stack under mocks for the dashboard");
    const prod = await runStack("prod");
    for (const [file, render] of Object.entries(STACK_DOCS)) write(file, render(prod));
    console.log("docs: migrating a throwaway database for the catalog-derived documents");
    const db = await databaseWithRoles();
    try {
        await dbmate(db.url("migrator"), "migrate");
        for (const [file, render] of Object.entries(DATABASE_DOCS)) write(file, await render(db.cluster.connection()));
    } finally {
        await db.cluster.destroy();
    }
});
