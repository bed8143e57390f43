/**
 * The pack on dev with a standby (Pulumi.dev-replicas.yaml): it passes every mandatory policy, the Docker and
 * credential policies evaluate the standby container too, and a standby broken on its own (a port on every interface,
 * trust in its pg_hba, an unpinned image, a password in its environment) is caught by the policy that owns the rule.
 */
import * as assert from "assert";
import { policies } from "../../policies/policies";
import { runPolicies } from "../../scripts/lib/stack/policyRun";
import { sharedStackRun, type StackRun } from "../harness/stack";
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
        for (const policy of ["docker-ports-localhost", "no-trust-auth", "no-plaintext-passwords"])
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
            ["no-trust-auth"],
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
});
