/**
 * `npm run policy -- --stack <dev|prod> [--json FILE] [--config FILE]`: the CrossGuard pack, offline. Loads the real
 * program under Pulumi's mocks with the stack's committed config, runs every policy with the stack's policy config
 * (policies/config/<stack>.json), prints a table of violations and a pass count per policy, writes the full result
 * as JSON (default .local/policy/<stack>.json) and exits 1 on any mandatory violation.
 */
import * as fs from "fs";
import * as path from "path";
import { main, parseFlags, UsageError } from "./lib/cli";
import { REPO } from "./lib/local/localEnv";
import { runStack } from "./lib/stack/mockStack";
import { stackFlag } from "./lib/stack/stackFile";
import { effectivePolicies } from "./lib/stack/policyConfig";
import { policyCounts, policyCountsLine, reportTable, runPolicies } from "./lib/stack/policyRun";
import { policies } from "../policies/policies";

const USAGE = "npm run policy -- --stack <name> [--json FILE] [--config FILE]";

main("policy", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        { stack: { type: "string" }, json: { type: "string" }, config: { type: "string" } },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const stack = stackFlag(values.stack, USAGE);
    const configFile = values.config ?? path.join(REPO, "policies", "config", `${stack}.json`);
    if (!fs.existsSync(configFile)) throw new UsageError(`--config ${path.relative(REPO, configFile)}: no such file`);
    let raw: unknown;
    try {
        raw = JSON.parse(fs.readFileSync(configFile, "utf8"));
    } catch (error) {
        throw new UsageError(`${path.relative(REPO, configFile)}: not JSON (${(error as Error).message})`);
    }
    const effective = effectivePolicies(policies, raw, stack, path.relative(REPO, configFile));
    console.log(
        `policy: ${policies.length} policies on stack ${stack} (config ${path.relative(REPO, configFile)}), program under Pulumi mocks`,
    );
    const run = await runStack(stack);
    const report = await runPolicies(policies, run.resources, effective, stack);
    console.log(reportTable(report.findings));
    console.log(
        policyCountsLine(
            stack,
            policyCounts(
                policies.map((p) => p.name),
                effective,
                report.findings,
            ),
        ),
    );
    const jsonFile = values.json ?? path.join(REPO, ".local", "policy", `${stack}.json`);
    fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
    fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    const passes = report.findings.filter((f) => f.result === "pass").length;
    console.log(
        `\npolicy: ${report.resources} resources, ${passes} passing checks, ${report.mandatoryViolations} mandatory and ${report.advisoryViolations} advisory violations; JSON in ${path.relative(process.cwd(), jsonFile)}`,
    );
    if (report.mandatoryViolations > 0)
        throw new Error(`${report.mandatoryViolations} mandatory policy violations on stack ${stack}`);
});
