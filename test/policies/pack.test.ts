/** The pack's shape: what the CrossGuard docs and our conventions ask of every policy, and its config handling. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { policies } from "../../policies/policies";
import { effectivePolicies } from "../../scripts/lib/stack/policyConfig";
import { reportTable } from "../../scripts/lib/stack/policyRun";
import { ROOT } from "../harness/stack";

describe("policy pack", () => {
    it("every policy has a unique kebab-case name, a one-sentence description and defaults for its config", () => {
        assert.equal(new Set(policies.map((p) => p.name)).size, policies.length);
        for (const p of policies) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)+$/, p.name);
            assert.match(
                p.description,
                /^[A-Z][^.]*(\.[^ .][^.]*)*\.$/,
                `${p.name}: one sentence ending with a period`,
            );
            for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {}))
                assert.notEqual((schema as any).default, undefined, `${p.name}.${key} has a default`);
        }
    });

    it("every policy has its own tests in test/policies", () => {
        const tests = fs
            .readdirSync(path.join(ROOT, "test", "policies"))
            .filter((f) => f.endsWith(".test.ts") && f !== "pack.test.ts" && f !== "stacks.test.ts")
            .map((f) => fs.readFileSync(path.join(ROOT, "test", "policies", f), "utf8"))
            .join("\n");
        const exported = fs
            .readdirSync(path.join(ROOT, "policies"))
            .filter((f) => f.endsWith(".ts"))
            .map((f) => fs.readFileSync(path.join(ROOT, "policies", f), "utf8"))
            .join("\n");
        for (const p of policies) {
            const symbol = new RegExp(`export const (\\w+)[^=]*= \\{\\s*name: "${p.name}"`).exec(exported)?.[1];
            assert.ok(symbol, `${p.name} is a named export`);
            assert.ok(tests.includes(`.${symbol}`), `${p.name} (${symbol}) is tested`);
        }
    });

    it("the entry only constructs the pack, and PulumiPolicy.yaml names the nodejs runtime", () => {
        const entry = fs
            .readFileSync(path.join(ROOT, "policies", "index.ts"), "utf8")
            .replace(/\/\*\*[\s\S]*?\*\//, "");
        const body = entry
            .split("\n")
            .filter((l) => !l.startsWith("import"))
            .join("\n")
            .trim();
        // One statement: the pack's construction, with every policy mandatory by default.
        assert.match(
            body,
            /^new PolicyPack\(PACK_NAME, \{\s+policies,\s+enforcementLevel: "mandatory",\s+description:[^;]*\}\);$/,
        );
        assert.match(fs.readFileSync(path.join(ROOT, "policies", "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
    });

    describe("per-stack policy config", () => {
        it("applies schema defaults, then the file's values and levels", () => {
            const e = effectivePolicies(
                policies,
                {
                    all: "mandatory",
                    "rds-backup-retention": { minDays: 14 },
                    "pgbouncer-deployment": { enforcementLevel: "advisory" },
                },
                "dev",
                "dev.json",
            );
            assert.deepEqual(e.get("rds-backup-retention"), { enforcementLevel: "mandatory", config: { minDays: 14 } });
            assert.deepEqual(e.get("pgbouncer-deployment"), {
                enforcementLevel: "advisory",
                config: { minReplicas: 2 },
            });
            assert.deepEqual(e.get("rds-log-exports")!.config, { required: ["postgresql", "upgrade"] });
            assert.equal(
                effectivePolicies(policies, { all: "advisory" }, "dev", "dev.json").get("rds-multi-az")!
                    .enforcementLevel,
                "advisory",
            );
        });
        it("refuses, naming the key, the value and what is allowed", () => {
            const cases: [unknown, string, string][] = [
                [
                    { "rds-multi-azz": "advisory" },
                    "dev",
                    "dev.json: unknown policy rds-multi-azz; known: all, rds-encrypted-with-cmk",
                ],
                [
                    { "rds-backup-retention": { minDays: "14" } },
                    "dev",
                    'dev.json: rds-backup-retention.minDays = "14": allowed a whole number',
                ],
                [
                    { "rds-backup-retention": { minDays: 40 } },
                    "dev",
                    "dev.json: rds-backup-retention.minDays = 40: allowed at most 35",
                ],
                [
                    { "rds-backup-retention": { days: 14 } },
                    "dev",
                    "dev.json: rds-backup-retention.days is not a setting of this policy; allowed: minDays",
                ],
                [
                    { "rds-enhanced-monitoring": { maxIntervalSeconds: 20 } },
                    "dev",
                    "dev.json: rds-enhanced-monitoring.maxIntervalSeconds = 20: allowed one of 1, 5, 10, 15, 30, 60",
                ],
                [
                    { "rds-multi-az": "sometimes" },
                    "dev",
                    'dev.json: rds-multi-az.enforcementLevel = "sometimes": allowed advisory, mandatory, remediate, disabled',
                ],
                [
                    { all: "advisory" },
                    "prod",
                    "prod.json: rds-encrypted-with-cmk.enforcementLevel = advisory: every policy is mandatory in prod",
                ],
                [
                    { "no-trust-auth": "disabled" },
                    "prod",
                    "prod.json: no-trust-auth.enforcementLevel = disabled: every policy is mandatory in prod",
                ],
            ];
            for (const [raw, stack, message] of cases)
                assert.throws(
                    () => effectivePolicies(policies, raw, stack, `${stack}.json`),
                    (e: Error) => e.message.startsWith(message),
                    message,
                );
        });
        it("the committed prod config keeps everything mandatory and is at least as strict as the defaults", () => {
            const prod = effectivePolicies(
                policies,
                JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", "prod.json"), "utf8")),
                "prod",
                "prod.json",
            );
            assert.ok([...prod.values()].every((p) => p.enforcementLevel === "mandatory"));
            assert.equal(prod.get("rds-backup-retention")!.config.minDays, 14);
            assert.equal(prod.get("backup-restore-testing")!.config.required, true);
        });
    });

    it("prints violations first, then one pass line per policy", () => {
        const out = reportTable([
            { policy: "a-b", enforcementLevel: "mandatory", resource: "r1", type: "t", result: "pass", message: "" },
            { policy: "a-b", enforcementLevel: "mandatory", resource: "r2", type: "t", result: "pass", message: "" },
            {
                policy: "c-d",
                enforcementLevel: "advisory",
                resource: "r3",
                type: "t",
                result: "violation",
                message: "x must be y.",
            },
        ]).split("\n");
        assert.deepEqual(
            out.map((l) => l.split(/\s{2,}/)),
            [
                ["policy", "level", "resource", "result", "message"],
                out[1].split(/\s{2,}/),
                ["c-d", "advisory", "r3", "VIOLATION", "x must be y."],
                ["a-b", "mandatory", "2 resources", "pass"],
            ],
        );
    });
});

describe("the GitHub Actions workflow", () => {
    const text = fs.readFileSync(path.join(ROOT, ".github", "workflows", "database.yml"), "utf8");
    const wf = parse(text) as {
        on: Record<string, unknown>;
        jobs: Record<
            string,
            {
                if?: string;
                permissions?: Record<string, string>;
                steps: { uses?: string; run?: string; with?: Record<string, unknown> }[];
            }
        >;
    };
    const pulumiStep = (job: string) => wf.jobs[job].steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;

    it("previews with the pack and prod's policy config on pull requests, commenting the diff", () => {
        assert.match(wf.jobs.preview.if!, /pull_request/);
        assert.deepEqual(pulumiStep("preview").with, {
            command: "preview",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
            "stack-name": "${{ vars.PULUMI_STACK }}",
            diff: true,
            "comment-on-pr": true,
            policyPacks: "policies",
            policyPackConfigs: "policies/config/prod.json",
        });
        assert.ok(fs.existsSync(path.join(ROOT, String(pulumiStep("preview").with!.policyPackConfigs))));
    });
    it("runs pulumi up with the same pack on main only", () => {
        assert.match(wf.jobs.deploy.if!, /refs\/heads\/main/);
        assert.equal(pulumiStep("deploy").with!.command, "up");
        assert.equal(pulumiStep("deploy").with!.policyPacks, "policies");
    });
    it("gets AWS credentials from OIDC, never from stored keys, and runs the tests first with .ci/run", () => {
        for (const job of ["preview", "deploy"]) assert.equal(wf.jobs[job].permissions!["id-token"], "write");
        assert.doesNotMatch(text, /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
        assert.ok(wf.jobs.test.steps.some((s) => s.run === "bash .ci/run"));
    });
});
