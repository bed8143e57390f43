/** dr-replica-secrets: with a cross-region replica, every Secrets Manager secret has a replica there under its key. */
import * as assert from "assert";
import * as replicas from "../../policies/replicas";
import { checkStack, resource } from "./harness";
import { drReplica, instance, replica, roleSecret, TYPES } from "./fixtures";

const HOME_KEY = instance().kmsKeyId;
const DR_KEY = drReplica().kmsKeyId;
const secret = (change: Record<string, any> = {}, role = "app") =>
    resource(TYPES.smSecret, `secret-${role}`, { ...roleSecret(role), ...change });
const stack = (...secrets: ReturnType<typeof resource>[]) => [
    resource(TYPES.instance, "db", instance()),
    resource(TYPES.instance, "replica", replica()),
    resource(TYPES.instance, "dr", drReplica()),
    ...secrets,
];

describe(`policies: ${replicas.drReplicaSecrets.name}`, () => {
    const policy = replicas.drReplicaSecrets;
    it("passes the prod shape: every role secret replicated to eu-central-1 under a key of eu-central-1", async () =>
        assert.deepEqual(await checkStack(policy, stack(secret(), secret({}, "migrator"))), []));

    it("does not apply to a stack without a cross-region replica, whatever its secrets", async () => {
        const noDr = stack(secret({ replicas: undefined })).filter((r) => r.name !== "dr");
        assert.equal(await checkStack(policy, noDr), "n/a");
    });

    it("leaves a replica in its source's region to dr-replica-other-region", async () => {
        const same = resource(TYPES.instance, "dr", { ...drReplica(), region: "eu-west-1" });
        const resources = stack(secret()).map((r) => (r.name === "dr" ? same : r));
        assert.equal(await checkStack(policy, resources), "n/a");
    });

    it("fails on a secret without replication, naming it and the region", async () =>
        assert.deepEqual(await checkStack(policy, stack(secret(), secret({ replicas: undefined }, "migrator"))), [
            "Secret metacortex-prod/db/migrator is not replicated to eu-central-1, where the DR replica runs: it would be lost with its own region.",
        ]));

    it("fails on a secret replicated to another region than the DR replica's", async () =>
        assert.deepEqual(
            await checkStack(
                policy,
                stack(
                    secret({
                        replicas: [{ region: "us-east-1", kmsKeyId: DR_KEY.replace("eu-central-1", "us-east-1") }],
                    }),
                ),
            ),
            [
                "Secret metacortex-prod/db/app is not replicated to eu-central-1, where the DR replica runs: it would be lost with its own region.",
            ],
        ));

    it("fails on a replica under the AWS-managed key, by default or by alias", async () => {
        const expected = (key: string) => [
            `Secret metacortex-prod/db/app's replica in eu-central-1 is encrypted with ${key}; a customer-managed key of eu-central-1 is required.`,
        ];
        assert.deepEqual(
            await checkStack(policy, stack(secret({ replicas: [{ region: "eu-central-1" }] }))),
            expected("the AWS-managed key aws/secretsmanager"),
        );
        assert.deepEqual(
            await checkStack(
                policy,
                stack(secret({ replicas: [{ region: "eu-central-1", kmsKeyId: "alias/aws/secretsmanager" }] })),
            ),
            expected("alias/aws/secretsmanager"),
        );
    });

    it("fails on a replica under a key of the home region, which Secrets Manager could not use there", async () =>
        assert.deepEqual(
            await checkStack(policy, stack(secret({ replicas: [{ region: "eu-central-1", kmsKeyId: HOME_KEY }] }))),
            [
                `Secret metacortex-prod/db/app's replica in eu-central-1 is encrypted with ${HOME_KEY}; a customer-managed key of eu-central-1 is required.`,
            ],
        ));
});
