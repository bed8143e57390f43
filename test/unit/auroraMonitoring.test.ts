/** Aurora's thresholds, dashboard and alarm targets, and how the restore validation reads what a restore created. */
import { strict as assert } from "assert";
import { alarmTargets } from "../../components/aws/auroraMonitoring";
import { restoredResource, validationInstanceId } from "../../components/aws/lambda/restoreValidationHandler";
import { auroraThresholds, KEPT_FROM_RDS } from "../../postgres/monitoring/aurora";
import { auroraDashboardBody } from "../../postgres/monitoring/auroraDashboard";
import { alarmThresholds } from "../../postgres/monitoring/thresholds";

const provisioned = auroraThresholds({ instanceClass: "db.r6g.large", lagSeconds: 60 });
const serverless = auroraThresholds({ instanceClass: "db.serverless/16", lagSeconds: 60, maxAcu: 16 });

describe("Aurora thresholds", () => {
    it("keep the RDS instance's where the metric means the same, with the same numbers", () => {
        const rds = alarmThresholds("db.r6g.large", 100);
        for (const key of ["cpu", "freeableMemory", "connections", "transactionIds", "rpoFreshness"])
            assert.equal(provisioned[key].threshold, rds[key].threshold, key);
        for (const key of ["freeStorage", "readLatency", "diskQueueDepth", "replicationSlotLag", "frequentCheckpoints"])
            assert.equal(provisioned[key], undefined, `${key} measures what Aurora does not have`);
        assert.equal(provisioned["roleChange-metacortex_app"].scope, "log");
        assert.deepEqual(Object.values(KEPT_FROM_RDS).includes("writer"), true);
    });

    it("add Aurora's own: replica lag in milliseconds, buffer cache hits under 90%, 5 deadlocks in 5 minutes", () => {
        assert.deepEqual(
            [provisioned.replicaLag.metric, provisioned.replicaLag.threshold, provisioned.replicaLag.unit],
            ["AuroraReplicaLag", 60_000, "Milliseconds"],
        );
        assert.deepEqual(
            [provisioned.bufferCacheHitRatio.threshold, provisioned.bufferCacheHitRatio.comparison],
            [90, "LessThanThreshold"],
        );
        assert.equal(provisioned.deadlocks.threshold * provisioned.deadlocks.periodSeconds, 5);
        assert.equal(provisioned.acuUtilization, undefined);
    });

    it("add Serverless v2's capacity near its maximum, and size the rest for it", () => {
        assert.deepEqual([serverless.acuUtilization.threshold, serverless.serverlessCapacity.threshold], [90, 14.4]);
        assert.equal(serverless.connections.threshold, Math.floor((800 - 13) * 0.8));
    });
});

describe("Aurora alarm targets", () => {
    const ids = ["c-1", "c-2"];
    it("alarm per instance, on the writer's role, on the cluster, or on the log", () => {
        assert.deepEqual(alarmTargets("cpu", provisioned.cpu, "c", ids), [
            { suffix: "cpu-c-1", dimensions: { DBInstanceIdentifier: "c-1" } },
            { suffix: "cpu-c-2", dimensions: { DBInstanceIdentifier: "c-2" } },
        ]);
        assert.deepEqual(alarmTargets("transactionIds", provisioned.transactionIds, "c", ids), [
            { suffix: "transactionIds", dimensions: { DBClusterIdentifier: "c", Role: "WRITER" } },
        ]);
        assert.deepEqual(alarmTargets("rpoFreshness", provisioned.rpoFreshness, "c", ids), [
            { suffix: "rpoFreshness", dimensions: { DBClusterIdentifier: "c" } },
        ]);
        assert.deepEqual(alarmTargets("authFailures", provisioned.authFailures, "c", ids), [
            { suffix: "authFailures" },
        ]);
    });
});

describe("Aurora dashboard", () => {
    const body = (maxAcu?: number) =>
        auroraDashboardBody({
            clusterId: "c",
            instanceIds: ["c-1", "c-2"],
            region: "eu-west-1",
            thresholds: maxAcu ? serverless : provisioned,
            maxConnections: 400,
            connectionBudget: 387,
            maxAcu,
        }) as { widgets: any[] };
    const titles = (b: { widgets: any[] }) => b.widgets.map((w) => w.properties.title);

    it("draws every instance on each instance widget, the volume, and the alarms' lines", () => {
        const lag = body().widgets.find((w) => w.properties.title === "Aurora replica lag (ms)");
        assert.deepEqual(
            lag.properties.metrics.map((m: any[]) => m[3]),
            ["c-1", "c-2"],
        );
        assert.deepEqual(lag.properties.annotations.horizontal, [{ label: "60 s lag", value: 60_000 }]);
        assert.ok(titles(body()).includes("Volume used (bytes)"));
        assert.ok(!titles(body()).some((t: string) => t.startsWith("Serverless")));
    });

    it("adds Serverless v2's capacity against its maximum, three widgets a row", () => {
        const b = body(16);
        const capacity = b.widgets.find((w) => w.properties.title === "Serverless v2 capacity (ACUs)");
        assert.ok(capacity.properties.annotations.horizontal.some((a: any) => a.value === 16));
        assert.deepEqual(
            b.widgets.slice(0, 4).map((w) => [w.x, w.y]),
            [
                [0, 0],
                [8, 0],
                [16, 0],
                [0, 6],
            ],
        );
    });
});

describe("restore validation of an Aurora recovery point", () => {
    it("tells an instance restore from a cluster restore by the created ARN", () => {
        assert.deepEqual(restoredResource("arn:aws:rds:eu-west-1:123456789012:db:awsbackup-restore-test-1"), {
            kind: "instance",
            id: "awsbackup-restore-test-1",
        });
        assert.deepEqual(restoredResource("arn:aws:rds:eu-west-1:123456789012:cluster:awsbackup-restore-test-2"), {
            kind: "cluster",
            id: "awsbackup-restore-test-2",
        });
        assert.throws(() => restoredResource("arn:aws:s3:::bucket"), /neither an RDS instance nor an Aurora cluster/);
    });

    it("names the validation instance after the cluster, within RDS's 63 characters", () => {
        assert.equal(validationInstanceId("awsbackup-restore-test-2"), "awsbackup-restore-test-2-validation");
        assert.ok(validationInstanceId("x".repeat(63)).length <= 63);
    });
});
