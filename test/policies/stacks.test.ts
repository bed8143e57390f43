/**
 * The pack against the real program: both committed stacks pass every mandatory policy with their policy config,
 * every policy that concerns a stack actually ran there (not vacuously n/a), and deliberately broken variants of
 * prod (resource inputs changed after the program ran, as a hand edit or a new component could) are each caught by
 * the policy that owns the rule. `npm run policy` itself is run as a user would.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../policies/policies";
import { type PolicyReport, runPolicies } from "../../scripts/lib/stack/policyRun";
import { runStack, sharedStackRun, type StackRun } from "../harness/stack";
import { runScript } from "../harness/cli";
import { configOf, ran, variant, violated } from "./harness";
import { REPLICA_VARIANTS } from "./replicaVariants";

describe("policies on the real stacks", function () {
    // Each legal resize runs the whole prod program (225 resources since the replicas) under mocks.
    this.timeout(180_000);
    let prod: StackRun;
    let prodReport: PolicyReport;
    before(async () => {
        prod = await sharedStackRun("prod");
        prodReport = await runPolicies(policies, prod.resources, configOf("prod"), "prod");
    });

    it("prod passes every mandatory policy, and every AWS and Kubernetes policy ran on it", () => {
        assert.deepEqual(violated(prodReport), []);
        const expected = policies
            .map((p) => p.name)
            // rds-proxy: test/stack/rdsProxy.test.ts; aurora: prod-aurora (auroraStacks.test.ts).
            .filter((n) => !n.startsWith("docker-") && !n.startsWith("rds-proxy-") && !n.startsWith("aurora-"));
        assert.deepEqual(
            expected.filter((n) => !ran(prodReport).has(n)),
            [],
        );
    });

    it("dev passes every mandatory policy, and the Docker, PgBouncer and credential policies ran on it", async () => {
        const dev = await sharedStackRun("dev");
        const report = await runPolicies(policies, dev.resources, configOf("dev"), "dev");
        assert.equal(
            report.mandatoryViolations,
            0,
            JSON.stringify(report.findings.filter((f) => f.result === "violation")),
        );
        for (const name of [
            "docker-image-pinned",
            "docker-ports-localhost",
            "docker-postgres-tls",
            "pgbouncer-server-tls",
            "pgbouncer-client-tls",
            "pool-within-budget",
            "no-trust-auth",
            "no-plaintext-passwords",
        ])
            assert.ok(ran(report).has(name), name);
        assert.ok(
            !ran(report).has("rds-encrypted-with-cmk") && !ran(report).has("backup-database-in-plan"),
            "RDS policies do not apply to dev",
        );
    });

    it("legal config changes that resize the pool still fit the budget (the policy agrees with the sizing)", async () => {
        for (const overrides of [
            { pgbouncerReplicas: "3" },
            { pgbouncerReplicas: "5" },
            { instanceClass: "db.t4g.micro" },
            { instanceClass: "db.r6g.4xlarge" },
        ]) {
            const run = await runStack("prod", overrides);
            assert.deepEqual(
                violated(await runPolicies(policies, run.resources, configOf("prod"), "prod")),
                [],
                JSON.stringify(overrides),
            );
        }
    });

    const VARIANTS: [string, string, (p: Record<string, any>) => void, string[], boolean?, string?][] = [
        ["a public instance", "aws:rds/instance:Instance", (p) => (p.publiclyAccessible = true), ["rds-not-public"]],
        [
            "unencrypted storage",
            "aws:rds/instance:Instance",
            (p) => {
                p.storageEncrypted = false;
                delete p.kmsKeyId;
            },
            ["rds-encrypted-with-cmk"],
        ],
        [
            "3-day PITR and no final snapshot",
            "aws:rds/instance:Instance",
            (p) => {
                p.backupRetentionPeriod = 3;
                p.skipFinalSnapshot = true;
            },
            ["rds-backup-retention", "rds-final-snapshot"],
        ],
        [
            "PostgreSQL 16 on the 15 parameter group",
            "aws:rds/instance:Instance",
            (p) => (p.engineVersion = "16.4"),
            ["rds-engine-version"],
        ],
        [
            "TLS not forced",
            "aws:rds/parameterGroup:ParameterGroup",
            (p) =>
                p.parameters.forEach((x: any) => {
                    if (x.name === "rds.force_ssl") x.value = "0";
                }),
            ["params-force-ssl"],
        ],
        [
            "pgaudit not preloaded",
            "aws:rds/parameterGroup:ParameterGroup",
            (p) =>
                p.parameters.forEach((x: any) => {
                    if (x.name === "shared_preload_libraries") x.value = "pg_stat_statements";
                }),
            ["params-preload-libraries"],
        ],
        [
            "a vault on the AWS-managed key",
            "aws:backup/vault:Vault",
            (p) => delete p.kmsKeyArn,
            ["backup-vault-encrypted"],
        ],
        [
            "the database left out of the backup plan",
            "aws:backup/selection:Selection",
            () => undefined,
            ["backup-database-in-plan"],
            true,
        ],
        [
            "no restore testing",
            "aws:backup/restoreTestingSelection:RestoreTestingSelection",
            () => undefined,
            ["backup-restore-testing"],
            true,
        ],
        [
            "alarms that notify nobody",
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            (p) => (p.alarmActions = []),
            ["alarm-has-actions"],
        ],
        ["no dashboard", "aws:cloudwatch/dashboard:Dashboard", () => undefined, ["monitoring-for-database"], true],
        [
            "5432 open to the internet",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            (p) => {
                delete p.referencedSecurityGroupId;
                p.cidrIpv4 = "0.0.0.0/0";
            },
            ["no-world-ingress-to-database"],
        ],
        [
            "PgBouncer behind a LoadBalancer",
            "kubernetes:core/v1:Service",
            (p) => (p.spec.type = "LoadBalancer"),
            ["pooler-service-internal"],
        ],
        [
            "PgBouncer with sslmode require to RDS",
            "kubernetes:core/v1:ConfigMap",
            (p) =>
                (p.data["pgbouncer.ini"] = p.data["pgbouncer.ini"].replace(
                    "server_tls_sslmode = verify-full",
                    "server_tls_sslmode = require",
                )),
            ["pgbouncer-server-tls"],
        ],
        [
            "PgBouncer scaled by hand to 4 replicas",
            "kubernetes:apps/v1:Deployment",
            (p) => (p.spec.replicas = 4),
            ["pool-within-budget"],
        ],
        [
            "PgBouncer trusting clients",
            "kubernetes:core/v1:ConfigMap",
            (p) =>
                (p.data["pgbouncer.ini"] = p.data["pgbouncer.ini"].replace(
                    "auth_type = scram-sha-256",
                    "auth_type = trust",
                )),
            ["no-trust-auth"],
        ],
        [
            "a role with a cleartext password",
            "postgresql:index/role:Role",
            (p) => {
                if (p.password) p.password = "hunter2";
            },
            ["no-plaintext-passwords"],
        ],
        ...REPLICA_VARIANTS,
    ];
    for (const [title, type, change, expected, drop, only] of VARIANTS) {
        it(`fails the stack on ${title}: ${expected.join(", ")}`, async () => {
            const report = await runPolicies(
                policies,
                variant(prod, type, change, drop, only),
                configOf("prod"),
                "prod",
            );
            assert.deepEqual(violated(report), expected);
            assert.ok(report.mandatoryViolations > 0);
        });
    }

    it("npm run policy -- --stack prod: a table, JSON for CI, exit 0", async () => {
        const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-policy-")), "prod.json");
        const r = await runScript("policy.ts", ["--stack", "prod", "--json", json]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^policy\s+level\s+resource\s+result\s+message$/m);
        // The primary, its read replica and the DR replica.
        assert.match(r.stdout, /^rds-encrypted-with-cmk\s+mandatory\s+3 resources\s+pass/m);
        const report = JSON.parse(fs.readFileSync(json, "utf8")) as PolicyReport;
        assert.equal(report.mandatoryViolations, 0);
        assert.equal(
            new Set(report.findings.map((f) => f.policy)).size,
            policies.filter((p) => !/^(aurora|docker|rds-proxy)-/.test(p.name)).length,
            "all but the Aurora, Docker and RDS Proxy ones",
        );
    });

    it("exits non-zero with one line on a bad flag, an unknown stack or a prod config that lowers enforcement", async () => {
        const bad = await runScript("policy.ts", ["--stak", "prod"]);
        assert.equal(bad.code, 2);
        assert.equal(bad.stderr.trim().split("\n").length, 1);
        const unknown = await runScript("policy.ts", ["--stack", "qa"]);
        assert.equal(unknown.code, 2);
        assert.match(
            unknown.stderr,
            /^policy: --stack qa: no Pulumi\.qa\.yaml; stacks: dev-replicas, dev, prod-aurora, prod$/m,
        );
        const lowered = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-policy-")), "prod.json");
        fs.writeFileSync(lowered, JSON.stringify({ "rds-multi-az": "advisory" }));
        const r = await runScript("policy.ts", ["--stack", "prod", "--config", lowered]);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /rds-multi-az\.enforcementLevel = advisory: every policy is mandatory in prod$/m);
    });
});
