/** Read-replica policies, and how the instance, backup, monitoring and pool policies judge a replica. */
import * as assert from "assert";
import * as backup from "../../policies/backup";
import * as k8s from "../../policies/kubernetes";
import * as monitoring from "../../policies/monitoring";
import * as rds from "../../policies/rds";
import * as replicas from "../../policies/replicas";
import { check, checkStack, resource } from "./harness";
import {
    alarm,
    configMap,
    deployment,
    drReplica,
    instance,
    parameterGroup,
    PGBOUNCER_INI,
    replica,
    TYPES,
} from "./fixtures";

const SOURCE_KEY = instance().kmsKeyId;
const stack = (...extra: ReturnType<typeof resource>[]) => [
    resource(TYPES.instance, "db", instance()),
    resource(TYPES.instance, "replica", replica()),
    resource(TYPES.instance, "dr", drReplica()),
    ...extra,
];
const lagAlarm = (id: string, threshold = 60) =>
    resource(TYPES.alarm, `lag-${id}-${threshold}`, {
        ...alarm(),
        namespace: "AWS/RDS",
        metricName: "ReplicaLag",
        threshold,
        dimensions: { DBInstanceIdentifier: id },
    });

describe("policies: read replicas", () => {
    describe(replicas.replicaKeyOfItsRegion.name, () => {
        const policy = replicas.replicaKeyOfItsRegion;
        it("passes a replica beside its source on the source's key, and the DR replica on its region's key", async () => {
            assert.deepEqual(await check(policy, TYPES.instance, replica()), []);
            assert.deepEqual(await check(policy, TYPES.instance, drReplica()), []);
        });
        it("does not apply to a primary, or to other resource types", async () => {
            assert.equal(await check(policy, TYPES.instance, instance()), "n/a");
            assert.equal(await check(policy, TYPES.vault, drReplica()), "n/a");
        });
        it("fails on a DR replica under its source region's key", async () =>
            assert.deepEqual(await check(policy, TYPES.instance, { ...drReplica(), kmsKeyId: SOURCE_KEY }), [
                "kmsKeyId is a key of eu-west-1; a replica in eu-central-1 needs a key of its own region.",
            ]));
        it("fails on a DR replica's Performance Insights under its source region's key", async () =>
            assert.deepEqual(
                await check(policy, TYPES.instance, { ...drReplica(), performanceInsightsKmsKeyId: SOURCE_KEY }),
                [
                    "performanceInsightsKmsKeyId is a key of eu-west-1; a replica in eu-central-1 needs a key of its own region.",
                ],
            ));
        it("fails on a replica beside its source whose Performance Insights key is of another region", async () =>
            assert.deepEqual(
                await check(policy, TYPES.instance, {
                    ...replica(),
                    performanceInsightsKmsKeyId: drReplica().kmsKeyId,
                }),
                [
                    "performanceInsightsKmsKeyId is a key of eu-central-1; a replica in eu-west-1 needs a key of its own region.",
                ],
            ));
        it("leaves a missing or AWS-managed key to rds-encrypted-with-cmk", async () =>
            assert.deepEqual(await check(policy, TYPES.instance, { ...drReplica(), kmsKeyId: undefined }), []));
    });

    describe(replicas.drReplicaOtherRegion.name, () => {
        const policy = replicas.drReplicaOtherRegion;
        it("passes the prod shape: a DR replica in eu-central-1 of a source in eu-west-1, required", async () =>
            assert.deepEqual(await checkStack(policy, stack(), { required: true }), []));
        it("does not apply to a stack without an RDS instance", async () =>
            assert.equal(await checkStack(policy, [resource(TYPES.vault, "v", {})]), "n/a"));
        it("passes a stack without a DR replica when none is required, and fails it when one is", async () => {
            const noDr = stack().filter((r) => r.name !== "dr");
            assert.deepEqual(await checkStack(policy, noDr), []);
            assert.deepEqual(await checkStack(policy, noDr, { required: true }), [
                "No read replica in another region: the database would not survive the loss of its region.",
            ]);
        });
        it("fails on a cross-region replica in its source's region", async () => {
            const same = resource(TYPES.instance, "dr", { ...drReplica(), region: "eu-west-1" });
            assert.deepEqual(await checkStack(policy, [...stack().slice(0, 2), same]), [
                "Read replica metacortex-prod-dr is in its source's region eu-west-1: it would not survive the loss of that region.",
            ]);
        });
        it("fails on a cross-region replica that names its source by identifier", async () => {
            const byId = resource(TYPES.instance, "dr", { ...drReplica(), replicateSourceDb: "metacortex-prod" });
            assert.deepEqual(await checkStack(policy, [...stack().slice(0, 2), byId]), [
                "Read replica metacortex-prod-dr in eu-central-1 names its source as metacortex-prod; a cross-region replica names it by ARN.",
            ]);
        });
    });

    describe(replicas.replicaLagAlarm.name, () => {
        const policy = replicas.replicaLagAlarm;
        const both = [lagAlarm("metacortex-prod-replica-1"), lagAlarm("metacortex-prod-dr")];
        it("passes when every replica has a ReplicaLag alarm at 60 s, under prod's 120", async () =>
            assert.deepEqual(await checkStack(policy, stack(...both), { maxSeconds: 120 }), []));
        it("does not apply to a stack without read replicas", async () =>
            assert.equal(await checkStack(policy, [resource(TYPES.instance, "db", instance())]), "n/a"));
        it("fails on a replica without a lag alarm (an alarm on another metric does not count)", async () => {
            const cpu = resource(TYPES.alarm, "cpu", {
                ...alarm(),
                dimensions: { DBInstanceIdentifier: "metacortex-prod-dr" },
            });
            assert.deepEqual(await checkStack(policy, stack(both[0], cpu)), [
                "Read replica metacortex-prod-dr has no ReplicaLag alarm.",
            ]);
        });
        it("fails on a lag alarm that fires too late", async () =>
            assert.deepEqual(
                await checkStack(policy, stack(both[0], lagAlarm("metacortex-prod-dr", 600)), { maxSeconds: 120 }),
                ["Read replica metacortex-prod-dr's ReplicaLag alarm fires above 600 s; at most 120 s required."],
            ));
    });
});

describe("policies: the instance rules on a read replica", () => {
    it("exempt it from what concerns its source: backups, Multi-AZ, the master password", async () => {
        for (const policy of [rds.rdsBackupRetention, rds.rdsMultiAz, rds.rdsManagedMasterPassword])
            assert.equal(await check(policy, TYPES.instance, replica()), "n/a", policy.name);
        assert.deepEqual(await check(rds.rdsMultiAz, TYPES.instance, { ...instance(), multiAz: false }), [
            "multiAz must be true.",
        ]);
    });
    it("require it to skip its final snapshot, which RDS refuses to take of a replica", async () => {
        const message =
            "a read replica must set skipFinalSnapshot and no finalSnapshotIdentifier: RDS refuses to delete it otherwise.";
        assert.deepEqual(await check(rds.rdsFinalSnapshot, TYPES.instance, replica()), []);
        assert.deepEqual(
            await check(rds.rdsFinalSnapshot, TYPES.instance, { ...replica(), skipFinalSnapshot: false }),
            [message],
        );
        assert.deepEqual(
            await check(rds.rdsFinalSnapshot, TYPES.instance, { ...replica(), finalSnapshotIdentifier: "final" }),
            [message],
        );
    });
    it("let it run its source's version unset, but not name another major", async () => {
        assert.deepEqual(await check(rds.rdsEngineVersion, TYPES.instance, replica()), []);
        assert.deepEqual(await check(rds.rdsEngineVersion, TYPES.instance, { ...replica(), engineVersion: "16.4" }), [
            "engineVersion is 16.4; PostgreSQL 15.x required.",
        ]);
    });
    it("hold it to a customer-managed key and Performance Insights like any instance", async () => {
        assert.deepEqual(await check(rds.rdsEncryptedWithCmk, TYPES.instance, { ...replica(), kmsKeyId: undefined }), [
            "kmsKeyId must be a customer-managed KMS key ARN, got none (the AWS-managed aws/rds key).",
        ]);
        assert.deepEqual(
            await check(rds.rdsPerformanceInsights, TYPES.instance, {
                ...drReplica(),
                performanceInsightsEnabled: false,
            }),
            ["performanceInsightsEnabled must be true."],
        );
    });
});

describe("policies: backup, monitoring and pools with read replicas", () => {
    it("backup-database-in-plan and backup-restore-testing leave replicas to their source's backups", async () => {
        const selected = resource(TYPES.selection, "selection", { resources: [instance().arn] });
        assert.deepEqual(await checkStack(backup.backupDatabaseInPlan, stack(selected)), []);
        const tests = [
            resource(TYPES.restorePlan, "restore-plan", {}),
            resource(TYPES.restoreSelection, "restore-selection", {
                protectedResourceType: "RDS",
                protectedResourceArns: [instance().arn],
            }),
        ];
        assert.deepEqual(await checkStack(backup.backupRestoreTesting, stack(...tests)), []);
    });

    it("monitoring-for-database holds a replica to the replica minimum, not the primary's", async () => {
        const metrics = [
            ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "metacortex-prod"],
            ["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", "metacortex-prod-replica-1"],
        ];
        const dashboard = resource(TYPES.dashboard, "dash", {
            dashboardBody: JSON.stringify({ widgets: [{ properties: { metrics } }] }),
        });
        const alarms = (id: string, n: number) =>
            Array.from({ length: n }, (_, i) =>
                resource(TYPES.alarm, `${id}-${i}`, { ...alarm(), dimensions: { DBInstanceIdentifier: id } }),
            );
        const resources = [
            resource(TYPES.instance, "db", instance()),
            resource(TYPES.instance, "replica", replica()),
            dashboard,
            ...alarms("metacortex-prod", 10),
        ];
        const config = { minAlarms: 10, minReplicaAlarms: 5 };
        assert.deepEqual(
            await checkStack(
                monitoring.monitoringForDatabase,
                [...resources, ...alarms("metacortex-prod-replica-1", 5)],
                config,
            ),
            [],
        );
        assert.deepEqual(
            await checkStack(
                monitoring.monitoringForDatabase,
                [...resources, ...alarms("metacortex-prod-replica-1", 4)],
                config,
            ),
            ["RDS instance metacortex-prod-replica-1 has 4 alarms on its metrics; at least 5 required."],
        );
    });

    describe("pool-within-budget with a read database", () => {
        const component = "urn:pulumi:test::metacortex-db::metacortex:kubernetes:Pgbouncer::pgbouncer";
        const withRead = (write: number, readHost: string, read: number) => [
            resource(TYPES.instance, "db", instance()),
            resource(TYPES.parameterGroup, "params", parameterGroup()),
            resource(TYPES.instance, "replica", replica()),
            resource(TYPES.parameterGroup, "replica-params", {
                ...parameterGroup(),
                name: "metacortex-prod-replica-params",
            }),
            resource(TYPES.deployment, "pgbouncer", deployment(), component),
            resource(
                TYPES.configMap,
                "pgbouncer-config",
                configMap(
                    PGBOUNCER_INI.replace(
                        "metacortex = host=db.example port=5432 dbname=metacortex",
                        `metacortex = host=db.example port=5432 dbname=metacortex max_db_connections=${write}\n` +
                            `metacortex_ro = host=${readHost} port=5432 dbname=metacortex pool_size=${read} max_db_connections=${read}`,
                    ),
                ),
                component,
            ),
        ];
        const onReplica = replica().address;

        it("passes 2 x 193 on the primary and 2 x 193 on the replica, each within its budget of 387", async () =>
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, withRead(193, onReplica, 193)), []));
        it("fails when the read database overruns the replica's budget", async () =>
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, withRead(193, onReplica, 200)), [
                "pgbouncer: metacortex_ro may open 400 server connections on metacortex-prod-replica-1 (2 x 200); their budget is 387 (1 x 387).",
            ]));
        it("counts a read database on the primary against the primary: 155 + 38 fits, 155 + 39 does not", async () => {
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, withRead(155, "db.example", 38)), []);
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, withRead(155, "db.example", 39)), [
                "The poolers may open 388 server connections (2 x 194); the budget of metacortex-prod is 387 (max_connections 400 - reserved 3 - headroom 10).",
            ]);
        });
        it("fails on a read database without a cap", async () =>
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, withRead(193, onReplica, 0)), [
                "pgbouncer: metacortex_ro: max_db_connections must be set (0 is unlimited).",
            ]));
    });
});
