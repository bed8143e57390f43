/**
 * The pack against the committed Aurora prod (Pulumi.prod-aurora.yaml): it passes every mandatory policy with its
 * policy config, every policy that concerns a cluster ran on it, and broken variants of it are each caught by the
 * policy that owns the rule. `npm run policy -- --stack prod-aurora` itself is run as a user would.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { policies } from "../../policies/policies";
import { type PolicyReport, runPolicies } from "../../scripts/lib/stack/policyRun";
import { runScript } from "../harness/cli";
import { sharedStackRun, type StackRun } from "../harness/stack";
import { configOf, ran, variant, violated } from "./harness";

const T = {
    cluster: "aws:rds/cluster:Cluster",
    instance: "aws:rds/clusterInstance:ClusterInstance",
    clusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
};

type Variant = [string, string, (p: Record<string, any>) => void, string[], boolean?, string?];
const VARIANTS: Variant[] = [
    ["an unencrypted cluster", T.cluster, (p) => (p.storageEncrypted = false), ["aurora-encrypted-with-cmk"]],
    ["IAM auth off", T.cluster, (p) => (p.iamDatabaseAuthenticationEnabled = false), ["aurora-iam-auth"]],
    ["a deletable cluster", T.cluster, (p) => (p.deletionProtection = false), ["aurora-deletion-protection"]],
    ["3-day PITR", T.cluster, (p) => (p.backupRetentionPeriod = 3), ["aurora-backup-retention"]],
    ["no log export", T.cluster, (p) => (p.enabledCloudwatchLogsExports = []), ["aurora-log-exports"]],
    [
        "a master password RDS does not manage",
        T.cluster,
        (p) => (p.manageMasterUserPassword = false),
        ["aurora-managed-master-password"],
    ],
    ["Aurora PostgreSQL 16", T.cluster, (p) => (p.engineVersion = "16.4"), ["aurora-engine-version"]],
    [
        "a public reader",
        T.instance,
        (p) => (p.publiclyAccessible = true),
        ["aurora-instance-not-public"],
        false,
        "instance-2",
    ],
    [
        "a reader without PI",
        T.instance,
        (p) => (p.performanceInsightsEnabled = false),
        ["aurora-performance-insights"],
        false,
        "instance-2",
    ],
    ["a minute's OS metrics", T.instance, (p) => (p.monitoringInterval = 60), ["aurora-enhanced-monitoring"]],
    ["an expired CA", T.instance, (p) => (p.caCertIdentifier = "rds-ca-2019"), ["aurora-instance-maintenance"]],
    [
        "both instances in one zone",
        T.instance,
        (p) => (p.availabilityZone = "eu-west-1a"),
        ["aurora-instances-across-azs"],
    ],
    [
        "the cluster left out of the plan",
        "aws:backup/selection:Selection",
        () => undefined,
        ["aurora-in-backup-plan"],
        true,
    ],
    [
        "restores tested as an RDS instance",
        "aws:backup/restoreTestingSelection:RestoreTestingSelection",
        (p) => (p.protectedResourceType = "RDS"),
        ["aurora-restore-testing"],
    ],
    [
        "no cluster events",
        "aws:rds/eventSubscription:EventSubscription",
        () => undefined,
        ["aurora-monitored"],
        true,
        "cluster-events",
    ],
    [
        "TLS not forced in the cluster group",
        T.clusterParams,
        (p) =>
            p.parameters.forEach((x: any) => {
                if (x.name === "rds.force_ssl") x.value = "0";
            }),
        ["params-force-ssl"],
    ],
    [
        "a read pool beyond the reader's budget",
        "kubernetes:core/v1:ConfigMap",
        (p) => {
            if (p.data?.["pgbouncer.ini"])
                p.data["pgbouncer.ini"] = p.data["pgbouncer.ini"].replace(
                    /(metacortex_ro = .*max_db_connections=)193/,
                    "$1400",
                );
        },
        ["pool-within-budget"],
    ],
];

describe("policies on the Aurora prod stack", function () {
    this.timeout(60_000);
    let run: StackRun;
    let report: PolicyReport;
    before(async () => {
        run = await sharedStackRun("prod-aurora");
        report = await runPolicies(policies, run.resources, configOf("prod-aurora"), "prod-aurora");
    });

    it("passes every mandatory policy, and every Aurora, parameter, backup and pooling policy ran on it", () => {
        assert.deepEqual(violated(report), []);
        const expected = policies
            .map((p) => p.name)
            .filter((n) => /^(aurora|params|backup-(vault|plan)|pool|pgbouncer|alarm|no-)-/.test(n));
        assert.ok(expected.length >= 30, `${expected.length} policies`);
        assert.deepEqual(
            expected.filter((n) => !ran(report).has(n)),
            [],
        );
        assert.ok(!ran(report).has("rds-encrypted-with-cmk"), "the RDS instance's policies do not apply");
    });

    for (const [title, type, change, expected, drop, only] of VARIANTS) {
        it(`fails the stack on ${title}: ${expected.join(", ")}`, async () => {
            const broken = await runPolicies(
                policies,
                variant(run, type, change, drop, only),
                configOf("prod-aurora"),
                "prod-aurora",
            );
            assert.deepEqual(violated(broken), expected);
            assert.ok(broken.mandatoryViolations > 0);
        });
    }

    it("npm run policy -- --stack prod-aurora: a table, JSON for CI, exit 0", async () => {
        const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-policy-")), "prod-aurora.json");
        const r = await runScript("policy.ts", ["--stack", "prod-aurora", "--json", json]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(
            r.stdout,
            /^aurora-encrypted-with-cmk\s+mandatory\s+metacortex-prod-aurora-cluster-cluster\s+pass/m,
        );
        assert.match(r.stdout, /^aurora-performance-insights\s+mandatory\s+2 resources\s+pass/m);
        assert.equal((JSON.parse(fs.readFileSync(json, "utf8")) as PolicyReport).mandatoryViolations, 0);
    });
});
