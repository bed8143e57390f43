/**
 * `npm run lint`: Biome (formatting and lint rules, biome.json), type-checks the program, then runs squawk on every migration's up section with
 * --assume-in-transaction (dbmate wraps each file in one transaction). Down sections are not linted: they drop what
 * the up created by design, and the round-trip test proves each one restores the previous schema exactly.
 * No squawk rule is disabled; the few statement-level `squawk-ignore` comments carry their reason on the line above.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "./lib/cli";
import { type CommandError, run } from "./lib/exec";
import { REPO } from "./lib/local/localEnv";
import { MIGRATIONS_DIR } from "./lib/local/migrations";

const SQUAWK = path.join(REPO, "node_modules", ".bin", "squawk");

/** Pure: a migration with its down section blanked (line numbers kept, so squawk's locations stay right). */
export function upSection(sql: string): string {
    const at = sql.indexOf("-- migrate:down");
    if (at < 0 || !sql.includes("-- migrate:up"))
        throw new Error("not a dbmate migration: needs -- migrate:up and -- migrate:down");
    return sql.slice(0, at) + sql.slice(at).replace(/[^\n]/g, "");
}

main("lint", async () => {
    process.stdout.write("lint: biome check (formatting, lint rules) ... ");
    try {
        await run(path.join(REPO, "node_modules", ".bin", "biome"), ["check", "--colors=off", REPO]);
    } catch (error) {
        const e = error as CommandError;
        console.log("problems found");
        console.log(e.stdout + e.stderr);
        throw new Error("biome found formatting or lint problems (above); npx biome check --write fixes most");
    }
    console.log("ok");
    process.stdout.write("lint: tsc --noEmit ... ");
    await run(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", REPO]);
    console.log("ok");
    const files = fs
        .readdirSync(MIGRATIONS_DIR)
        .filter((f) => f.endsWith(".sql"))
        .sort();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-squawk-"));
    try {
        for (const f of files)
            fs.writeFileSync(path.join(tmp, f), upSection(fs.readFileSync(path.join(MIGRATIONS_DIR, f), "utf8")));
        process.stdout.write(`lint: squawk on ${files.length} migrations ... `);
        try {
            await run(
                SQUAWK,
                ["--assume-in-transaction", "--pg-version", "15", ...files.map((f) => path.join(tmp, f))],
                { env: { ...process.env, NO_COLOR: "1" } },
            );
            console.log("ok");
        } catch (error) {
            console.log("problems found");
            const e = error as CommandError;
            console.log((e.stdout + e.stderr).split(tmp + path.sep).join("sql/migrations/"));
            throw new Error("squawk found unsafe migration statements (above)");
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});
