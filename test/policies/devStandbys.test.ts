/**
 * The pack on dev with a standby (Pulumi.dev-replicas.yaml): it passes every mandatory policy, the Docker and
 * credential policies evaluate the standby container too, and a standby broken on its own (a port on every interface,
 * trust in its pg_hba, an unpinned image, a password in its environment) is caught by the policy that owns the rule
 * (trust by docker-postgres-tls too: a PostgreSQL container's pg_hba admits no trust).
 */
import * as assert from "assert";
import { policies } from "../../policies/policies";
import { runPolicies } from "../../scripts/lib/stack/policyRun";
import { runStack, sharedStackRun, type StackRun } from "../harness/stack";
import { configOf, variant, violated } from "./harness";

const STANDBY = "metacortex-dev-standby1";

describe("policies on dev with a standby container", function () {
    this.timeout(60_000);
    let run: StackRun;
    before(async () => {
        run = await sharedStackRun("dev-replicas");
    });

    it("passes every mandatory policy, and the Docker and credential policies evaluated the standby", async () => {
        const report = await runPolicies(policies, run.resources, configOf("dev-replicas"), "dev-replicas");
        assert.deepEqual(violated(report), []);
        for (const policy of [
            "docker-ports-localhost",
            "docker-postgres-tls",
            "no-trust-auth",
            "no-plaintext-passwords",
        ])
            assert.ok(
                report.findings.some(
                    (f) => f.policy === policy && f.resource === `${STANDBY}-postgres` && f.result === "pass",
                ),
                policy,
            );
        assert.ok(
            report.findings.some((f) => f.policy === "docker-image-pinned" && f.resource === `${STANDBY}-image`),
            "docker-image-pinned",
        );
    });

    const uploadOf = (p: Record<string, any>, file: string) => p.uploads.find((u: any) => u.file === file);
    const VARIANTS: [string, string, (p: Record<string, any>) => void, string[]][] = [
        [
            "a standby port published on every interface",
            "docker:index/container:Container",
            (p) => (p.ports = [{ internal: 5432, external: 5433, ip: "0.0.0.0", protocol: "tcp" }]),
            ["docker-ports-localhost"],
        ],
        [
            "a standby whose pg_hba trusts the network",
            "docker:index/container:Container",
            (p) => {
                const hba = uploadOf(p, "/etc/postgresql/pg_hba.conf");
                hba.content = hba.content.replace(/(hostssl\s+all\s+all\s+\S+\s+)scram-sha-256/, "$1trust");
            },
            ["docker-postgres-tls", "no-trust-auth"],
        ],
        [
            "a standby with its password in the environment",
            "docker:index/container:Container",
            (p) => (p.envs = ["PGPASSWORD=hunter2-replication"]),
            ["no-plaintext-passwords"],
        ],
        [
            "a standby on the latest image",
            "docker:index/remoteImage:RemoteImage",
            (p) => (p.name = "postgres:latest"),
            ["docker-image-pinned"],
        ],
    ];
    for (const [title, type, change, expected] of VARIANTS)
        it(`fails the stack on ${title}: ${expected.join(", ")}`, async () => {
            const report = await runPolicies(
                policies,
                variant(run, type, change, false, STANDBY),
                configOf("dev-replicas"),
                "dev-replicas",
            );
            assert.deepEqual(violated(report), expected);
            const caught = report.findings.filter((f) => f.result === "violation").map((f) => f.resource);
            assert.ok(
                caught.every((r) => r.startsWith(STANDBY)),
                `only the standby is at fault: ${caught.join(", ")}`,
            );
        });

    /** The stack with PgBouncer's ini changed by `edit`. */
    const withIni = (base: StackRun, edit: (ini: string) => string) =>
        variant(
            base,
            "docker:index/container:Container",
            (p) => {
                const ini = uploadOf(p, "/etc/pgbouncer/pgbouncer.ini");
                ini.content = edit(ini.content);
            },
            false,
            "pgbouncer",
        );

    it("pool-within-budget counts the read database against the standby's budget, not the primary's", async () => {
        const report = await runPolicies(
            policies,
            withIni(run, (ini) =>
                ini.replace(/^(metacortex_ro = .*) max_db_connections=87$/m, "$1 max_db_connections=120"),
            ),
            configOf("dev-replicas"),
            "dev-replicas",
        );
        assert.deepEqual(violated(report), ["pool-within-budget"]);
        assert.match(
            report.findings.find((f) => f.result === "violation")!.message,
            /metacortex_ro may open 120 server connections on metacortex-dev-standby1-postgres \(1 x 120\); their budget is 87/,
        );
    });

    it("pool-within-budget counts a read database on the primary with the write database (dev without a standby)", async () => {
        const dev = await runStack("dev");
        const grown = withIni(dev, (ini) =>
            ini.replace(/^(metacortex_ro = .*) max_db_connections=17$/m, "$1 max_db_connections=40"),
        );
        const report = await runPolicies(policies, grown, configOf("dev"), "dev");
        assert.deepEqual(violated(report), ["pool-within-budget"]);
        assert.match(report.findings.find((f) => f.result === "violation")!.message, /may open 110 server connections/);
    });
});
