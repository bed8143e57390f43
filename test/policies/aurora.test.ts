import * as assert from "assert";
import * as aurora from "../../policies/aurora";
import * as stack from "../../policies/auroraStack";
import { auroraCluster, auroraInstance, TYPES } from "./fixtures";
import { check, checkStack, resource } from "./harness";

type Case = [string, (r: Record<string, any>) => void, string[]];

/** One resource policy: the prod fixture passes, each case changes one property and gets exactly these messages. */
function cases(
    policy: (typeof aurora.auroraPolicies)[number],
    type: string,
    fixture: () => Record<string, any>,
    list: Case[],
    config: Record<string, unknown> = {},
) {
    describe(policy.name, () => {
        it("passes the prod-aurora fixture", async () =>
            assert.deepEqual(await check(policy, type, fixture(), config), []));
        it("does not apply to an RDS instance", async () =>
            assert.equal(await check(policy, TYPES.instance, fixture(), config), "n/a"));
        for (const [title, change, expected] of list) {
            it(`fails on ${title}`, async () => {
                const r = fixture();
                change(r);
                assert.deepEqual(await check(policy, type, r, config), expected);
            });
        }
    });
}
const onCluster = (p: (typeof aurora.auroraPolicies)[number], list: Case[], config?: Record<string, unknown>) =>
    cases(p, TYPES.cluster, auroraCluster, list, config);
const onInstance = (p: (typeof aurora.auroraPolicies)[number], list: Case[], config?: Record<string, unknown>) =>
    cases(p, TYPES.clusterInstance, auroraInstance, list, config);

describe("policies: Aurora cluster", () => {
    onCluster(aurora.auroraEncryptedWithCmk, [
        ["unencrypted storage", (c) => (c.storageEncrypted = false), ["storageEncrypted must be true."]],
        [
            "the AWS-managed key",
            (c) => delete c.kmsKeyId,
            ["kmsKeyId must be a customer-managed KMS key ARN, got none (the AWS-managed aws/rds key)."],
        ],
    ]);
    onCluster(aurora.auroraIamAuth, [
        [
            "IAM auth off",
            (c) => (c.iamDatabaseAuthenticationEnabled = false),
            ["iamDatabaseAuthenticationEnabled must be true."],
        ],
    ]);
    onCluster(aurora.auroraDeletionProtection, [
        ["unprotected", (c) => (c.deletionProtection = false), ["deletionProtection must be true."]],
        ["no final snapshot", (c) => (c.skipFinalSnapshot = true), ["skipFinalSnapshot must be false."]],
        [
            "an unnamed final snapshot",
            (c) => delete c.finalSnapshotIdentifier,
            ["finalSnapshotIdentifier must be set."],
        ],
    ]);
    onCluster(
        aurora.auroraBackupRetention,
        [
            [
                "10 days under prod's 14",
                (c) => (c.backupRetentionPeriod = 10),
                ["backupRetentionPeriod is 10 days; at least 14 required."],
            ],
            [
                "the default of 1 day",
                (c) => delete c.backupRetentionPeriod,
                ["backupRetentionPeriod is 1 days; at least 14 required."],
            ],
            ["tags not copied", (c) => (c.copyTagsToSnapshot = false), ["copyTagsToSnapshot must be true."]],
        ],
        { minDays: 14 },
    );
    onCluster(aurora.auroraLogExports, [
        ["no export", (c) => delete c.enabledCloudwatchLogsExports, ["enabledCloudwatchLogsExports lacks postgresql."]],
    ]);
    onCluster(aurora.auroraManagedMasterPassword, [
        [
            "a password passed in",
            (c) => {
                c.manageMasterUserPassword = false;
                c.masterPassword = "hunter2hunter2";
            },
            [
                "manageMasterUserPassword must be true.",
                "masterPassword must not be set: RDS generates and stores the master password.",
            ],
        ],
        [
            "the secret under the AWS-managed key",
            (c) => delete c.masterUserSecretKmsKeyId,
            ["masterUserSecretKmsKeyId must be a customer-managed KMS key ARN, got none."],
        ],
    ]);
    onCluster(aurora.auroraEngineVersion, [
        ["Aurora MySQL", (c) => (c.engine = "aurora-mysql"), ["engine is aurora-mysql; aurora-postgresql required."]],
        [
            "PostgreSQL 16",
            (c) => (c.engineVersion = "16.4"),
            ["engineVersion is 16.4; Aurora PostgreSQL 15.x required."],
        ],
        [
            "major upgrades as a side effect",
            (c) => (c.allowMajorVersionUpgrade = true),
            ["allowMajorVersionUpgrade must be false: a major upgrade is a planned change, not a side effect."],
        ],
    ]);
});

describe("policies: Aurora instances", () => {
    onInstance(aurora.auroraInstanceNotPublic, [
        ["a public instance", (i) => (i.publiclyAccessible = true), ["publiclyAccessible must be false."]],
    ]);
    onInstance(aurora.auroraPerformanceInsights, [
        ["PI off", (i) => (i.performanceInsightsEnabled = false), ["performanceInsightsEnabled must be true."]],
        [
            "PI under the AWS-managed key",
            (i) => delete i.performanceInsightsKmsKeyId,
            ["performanceInsightsKmsKeyId must be a customer-managed KMS key ARN, got none."],
        ],
    ]);
    onInstance(
        aurora.auroraEnhancedMonitoring,
        [
            [
                "a minute's granularity in prod",
                (i) => (i.monitoringInterval = 60),
                ["monitoringInterval is 60; between 1 and 15 seconds required."],
            ],
            ["no role", (i) => delete i.monitoringRoleArn, ["monitoringRoleArn must be set."]],
        ],
        { maxIntervalSeconds: 15 },
    );
    onInstance(aurora.auroraInstanceMaintenance, [
        ["minor upgrades off", (i) => (i.autoMinorVersionUpgrade = false), ["autoMinorVersionUpgrade must be true."]],
        [
            "an expired CA",
            (i) => (i.caCertIdentifier = "rds-ca-2019"),
            [
                "caCertIdentifier is rds-ca-2019; one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1 required.",
            ],
        ],
    ]);
});

/** A prod-aurora stack's relevant resources, each changeable before the stack policy runs. */
function clusterStack(change: { readers?: Record<string, any>[] } = {}) {
    const c = auroraCluster();
    const instances = change.readers ?? [auroraInstance(1, "eu-west-1a"), auroraInstance(2, "eu-west-1b")];
    const cpu = (id: string, n: number) =>
        Array.from({ length: n }, (_, k) =>
            resource(TYPES.alarm, `alarm-${id}-${k}`, {
                dimensions: { DBInstanceIdentifier: id },
                alarmActions: ["t"],
            }),
        );
    const body = JSON.stringify({
        m: instances.map((i) => ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", i.identifier]),
    });
    return [
        resource(TYPES.cluster, "cluster", c),
        ...instances.map((i) => resource(TYPES.clusterInstance, i.identifier, i)),
        resource(TYPES.selection, "selection", { resources: [c.arn] }),
        resource(TYPES.restoreSelection, "rt", { protectedResourceType: "Aurora", protectedResourceArns: [c.arn] }),
        resource(TYPES.dashboard, "dashboard", { dashboardBody: body }),
        resource(TYPES.eventSubscription, "events", {
            sourceType: "db-cluster",
            sourceIds: [c.clusterIdentifier],
            eventCategories: ["failover", "failure"],
        }),
        ...instances.flatMap((i) => cpu(i.identifier, 6)),
    ];
}

describe("policies: Aurora across the stack", () => {
    const none = [resource(TYPES.instance, "db", { identifier: "metacortex-prod" })];
    for (const p of stack.auroraStackPolicies) {
        it(`${p.name} passes the prod-aurora stack and does not apply without a cluster`, async () => {
            assert.deepEqual(await checkStack(p, clusterStack(), { minAlarms: 6 }), []);
            assert.equal(await checkStack(p, none), "n/a");
        });
    }
    it(`${stack.auroraInstancesAcrossAzs.name} fails on one instance, or two in one zone`, async () => {
        assert.deepEqual(
            await checkStack(stack.auroraInstancesAcrossAzs, clusterStack({ readers: [auroraInstance(1)] })),
            ["Aurora cluster metacortex-prod has 1 instances; at least 2 required, so a reader can take over."],
        );
        const sameZone = clusterStack({ readers: [auroraInstance(1, "eu-west-1a"), auroraInstance(2, "eu-west-1a")] });
        assert.deepEqual(await checkStack(stack.auroraInstancesAcrossAzs, sameZone), [
            "Aurora cluster metacortex-prod has its instances in one zone (eu-west-1a); at least two zones required.",
        ]);
        assert.deepEqual(
            await checkStack(stack.auroraInstancesAcrossAzs, clusterStack({ readers: [auroraInstance(1)] }), {
                minInstances: 1,
            }),
            [],
        );
    });
    it(`${stack.auroraInBackupPlan.name} fails on a cluster no selection names`, async () => {
        const resources = clusterStack().map((r) =>
            r.type === TYPES.selection
                ? { ...r, state: { resources: ["arn:aws:rds:eu-west-1:123456789012:db:other"] } }
                : r,
        );
        assert.deepEqual(await checkStack(stack.auroraInBackupPlan, resources), [
            "Aurora cluster metacortex-prod is in no backup selection.",
        ]);
    });
    it(`${stack.auroraRestoreTesting.name} fails on a selection tested as RDS, and can be waived`, async () => {
        const resources = clusterStack().map((r) =>
            r.type === TYPES.restoreSelection ? { ...r, state: { ...r.state, protectedResourceType: "RDS" } } : r,
        );
        assert.deepEqual(await checkStack(stack.auroraRestoreTesting, resources), [
            "Aurora cluster metacortex-prod is in no Aurora restore testing selection.",
        ]);
        assert.equal(await checkStack(stack.auroraRestoreTesting, resources, { required: false }), "n/a");
    });
    it(`${stack.auroraMonitored.name} fails on an undrawn instance, too few alarms and no failover events`, async () => {
        const third = auroraInstance(3, "eu-west-1c");
        const resources = clusterStack().map((r) =>
            r.type === TYPES.eventSubscription ? { ...r, state: { ...r.state, eventCategories: ["failure"] } } : r,
        );
        resources.push(resource(TYPES.clusterInstance, third.identifier, third));
        assert.deepEqual(await checkStack(stack.auroraMonitored, resources, { minAlarms: 6 }), [
            "Aurora cluster metacortex-prod has no db-cluster event subscription for failover.",
            "Aurora instance metacortex-prod-3 is on no dashboard.",
            "Aurora instance metacortex-prod-3 has 0 alarms on its metrics; at least 6 required.",
        ]);
    });
});
