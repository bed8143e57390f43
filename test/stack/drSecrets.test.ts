/**
 * The role secrets follow the DR replica: under mocks, each Secrets Manager secret is sent with a replica in the DR
 * replica's region under that region's key, the stack exports the replicas' ARNs, and nothing is replicated where
 * there is no DR replica (prod without one, Aurora).
 */
import { strict as assert } from "assert";
import { replicaSecretArn } from "../../components/aws/roleSecrets";
import { runStack, sharedStackRun, type StackRun } from "../harness/stack";

const SECRET = "aws:secretsmanager/secret:Secret";
const ROLES = ["app", "auditor", "migrator", "monitor", "readonly"];
const roleSecrets = (run: StackRun) =>
    run.ofType(SECRET).filter((s) => s.name.startsWith("metacortex-prod-role-secrets-"));

describe("prod role secrets in the DR region under mocks", () => {
    let run: StackRun;
    let drKeyArn: string;
    before(async () => {
        run = await sharedStackRun("prod");
        drKeyArn = (run.outputs.drReplica as { kmsKeyArn: string }).kmsKeyArn;
    });

    it("replicates each of the five role secrets to eu-central-1 under the DR replica's key", () => {
        const secrets = roleSecrets(run);
        assert.deepEqual(
            secrets.map((s) => s.inputs.name).sort(),
            ROLES.map((r) => `metacortex-prod/db/${r}`),
        );
        assert.match(drKeyArn, /^arn:aws:kms:eu-central-1:123456789012:key\//);
        for (const s of secrets) {
            assert.deepEqual(s.inputs.replicas, [{ region: "eu-central-1", kmsKeyId: drKeyArn }], s.name);
            // The secret itself stays in the home region, under the database's key there.
            assert.equal(s.inputs.region, undefined, s.name);
            assert.match(s.state.arn, /^arn:aws:secretsmanager:eu-west-1:/, s.name);
            assert.equal(s.inputs.kmsKeyId, run.outputs.kmsKeyArn, s.name);
            assert.notEqual(s.inputs.kmsKeyId, drKeyArn, s.name);
        }
    });

    it("exports each replica's ARN: the home ARN with the DR region", () => {
        const home = run.outputs.roleSecretArns as Record<string, string>;
        const dr = run.outputs.drRoleSecretArns as Record<string, string>;
        assert.deepEqual(Object.keys(dr).sort(), ROLES);
        for (const role of ROLES) {
            assert.equal(
                dr[role],
                `arn:aws:secretsmanager:eu-central-1:123456789012:metacortex-prod-role-secrets-${role}`,
            );
            assert.equal(dr[role], home[role].replace(":eu-west-1:", ":eu-central-1:"));
        }
    });

    it("uses a DR key whose policy lets the account's IAM principals use it, the path Secrets Manager takes", () => {
        const key = run.ofType("aws:kms/key:Key").find((k) => k.state.arn === drKeyArn);
        assert.ok(key, "the DR replica's key is registered");
        const account = JSON.parse(key.inputs.policy).Statement.find(
            (s: any) => s.Principal?.AWS === "arn:aws:iam::123456789012:root",
        );
        assert.deepEqual([account?.Effect, account?.Action, account?.Resource], ["Allow", "kms:*", "*"]);
        assert.match(key.inputs.description, /replicated role secrets \(eu-central-1\)$/);
    });

    it("replicates nothing, and exports no DR ARNs, without a DR replica", async () => {
        const noDr = await runStack("prod", { drReplicaRegion: undefined, drVpcId: undefined, drSubnetIds: undefined });
        assert.equal(noDr.outputs.drReplica, undefined);
        assert.equal(noDr.outputs.drRoleSecretArns, undefined);
        assert.equal(roleSecrets(noDr).length, 5);
        for (const s of roleSecrets(noDr)) assert.equal(s.inputs.replicas, undefined, s.name);
    });

    it("replicates nothing on Aurora, which has no DR replica", async () => {
        const aurora = await sharedStackRun("prod-aurora");
        assert.equal(aurora.outputs.drRoleSecretArns, undefined);
        assert.equal(roleSecrets(aurora).length, 5);
        for (const s of roleSecrets(aurora)) assert.equal(s.inputs.replicas, undefined, s.name);
    });
});

describe("replicaSecretArn", () => {
    it("changes the region of a secret's ARN and nothing else", () => {
        assert.equal(
            replicaSecretArn(
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:metacortex-prod/db/app-AbCdEf",
                "eu-central-1",
            ),
            "arn:aws:secretsmanager:eu-central-1:123456789012:secret:metacortex-prod/db/app-AbCdEf",
        );
        assert.equal(
            replicaSecretArn(
                "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x-AbCdEf",
                "us-gov-east-1",
            ),
            "arn:aws-us-gov:secretsmanager:us-gov-east-1:123456789012:secret:x-AbCdEf",
        );
    });
    it("refuses what is not a secret's ARN, or a region that is not a region code", () => {
        assert.throws(
            () => replicaSecretArn("arn:aws:kms:eu-west-1:123456789012:key/abc", "eu-central-1"),
            /^Error: replicaSecretArn: arn:aws:kms:eu-west-1:123456789012:key\/abc is not a Secrets Manager secret ARN/,
        );
        assert.throws(
            () => replicaSecretArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", "Frankfurt"),
            /region must be an AWS region code such as eu-central-1, got Frankfurt/,
        );
    });
});
