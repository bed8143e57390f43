/** `pooler: rds-proxy` in prod, under mocks: TLS and IAM required, sized from the budget, reachable from the app only. */
import { strict as assert } from "assert";
import prodPolicyConfig from "../../policies/config/prod.json";
import { policies } from "../../policies/policies";
import { effectivePolicies } from "../../scripts/lib/stack/policyConfig";
import { runPolicies } from "../../scripts/lib/stack/policyRun";
import { failStack, runStack, type StackRun } from "../harness/stack";

describe("prod with RDS Proxy under mocks", () => {
    let run: StackRun;
    before(async () => {
        run = await runStack("prod", { pooler: "rds-proxy" });
    });

    it("requires TLS and IAM auth, logging in to PostgreSQL with the app and readonly role secrets", () => {
        const proxy = run.one("aws:rds/proxy:Proxy").inputs;
        assert.equal(proxy.engineFamily, "POSTGRESQL");
        assert.equal(proxy.requireTls, true);
        assert.equal(proxy.debugLogging, false);
        assert.deepEqual(
            proxy.auths.map((a: any) => [a.description, a.iamAuth, a.authScheme, a.secretArn.split(":").pop()]),
            [
                ["app role", "REQUIRED", "SECRETS", "metacortex-prod-role-secrets-app"],
                ["readonly role", "REQUIRED", "SECRETS", "metacortex-prod-role-secrets-readonly"],
            ],
        );
    });

    it("may read those two secrets and decrypt them through Secrets Manager, nothing else", () => {
        const policy = JSON.parse(
            run.ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.name.includes("-proxy-"))!.inputs.policy,
        );
        assert.deepEqual(policy.Statement[0].Action, ["secretsmanager:GetSecretValue"]);
        assert.equal(policy.Statement[0].Resource.length, 2);
        assert.deepEqual(policy.Statement[1].Action, ["kms:Decrypt"]);
        assert.ok(policy.Statement[1].Condition.StringEquals["kms:ViaService"].startsWith("secretsmanager."));
    });

    it("pools 96% of max_connections (384 of 400, within the budget of 387) without pinning on SET", () => {
        const group = run.one("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup").inputs;
        assert.deepEqual(group.connectionPoolConfig, {
            maxConnectionsPercent: 96,
            maxIdleConnectionsPercent: 48,
            connectionBorrowTimeout: 30,
            sessionPinningFilters: ["EXCLUDE_VARIABLE_SETS"],
        });
        assert.equal(run.one("aws:rds/proxyTarget:ProxyTarget").inputs.dbInstanceIdentifier, "metacortex-prod");
    });

    it("admits only the app's security groups, and the database admits the proxy", () => {
        const sg = run.ofType("aws:ec2/securityGroup:SecurityGroup").find((s) => s.name.endsWith("-proxy-sg"))!.inputs;
        assert.deepEqual(
            sg.ingress.map((r: any) => [r.fromPort, r.securityGroups, r.cidrBlocks]),
            [[5432, ["sg-0a1b2c3d4e5f60799"], undefined]],
        );
        const rule = run
            .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .find((r) => r.name.endsWith("-proxy-to-db"))!.inputs;
        assert.equal(rule.referencedSecurityGroupId, "metacortex-prod-proxy-sg-id");
        assert.equal(rule.securityGroupId, "metacortex-prod-aws-net-sg-id");
    });

    it("replaces PgBouncer, exports the proxy endpoint, and passes every mandatory policy, the proxy's included", async () => {
        assert.equal(run.ofType("kubernetes:apps/v1:Deployment").length, 0);
        assert.ok("rdsProxyEndpoint" in run.outputs);
        const effective = effectivePolicies(policies, prodPolicyConfig, "prod", "prod.json");
        const report = await runPolicies(policies, run.resources, effective, "prod");
        assert.deepEqual(
            report.findings.filter((f) => f.result === "violation"),
            [],
        );
        const ran = new Set(report.findings.map((f) => f.policy));
        assert.ok(ran.has("rds-proxy-tls-iam") && ran.has("pool-within-budget"));
    });

    it("refuses dev, naming the key, the value and what is allowed", async () => {
        const { error, registered } = await failStack("dev", { pooler: "rds-proxy" });
        assert.match(error.message, /metacortex-db:pooler = "rds-proxy": rds-proxy only for target aws/);
        assert.equal(registered, 0);
    });
});
