/**
 * `npm run plan -- --stack <name> [--out FILE]`: renders the stack's resource inventory (scripts/lib/stack/planRender.ts)
 * to docs/stacks/<name>.md, or FILE. Deterministic, so the committed file's diff shows what a change does.
 */
import * as fs from "fs";
import * as path from "path";
import { main, parseFlags, UsageError } from "./lib/cli";
import { REPO } from "./lib/local/localEnv";
import { runStack } from "./lib/stack/mockStack";
import { stackFlag } from "./lib/stack/stackFile";
import { planChange, renderPlan } from "./lib/stack/planRender";

const USAGE = "npm run plan -- --stack <name> [--out FILE]";

main("plan", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { stack: { type: "string" }, out: { type: "string" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const stack = stackFlag(values.stack, USAGE);
    const run = await runStack(stack);
    const out = values.out ?? path.join(REPO, "docs", "stacks", `${stack}.md`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const markdown = renderPlan(stack, run.resources);
    const before = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : undefined;
    fs.writeFileSync(out, markdown);
    const change = planChange(before, markdown);
    console.log(
        `plan: ${run.resources.length} resources of stack ${stack} in ${path.relative(process.cwd(), out)} (${markdown.split("\n").length} lines), ${change}`,
    );
});
