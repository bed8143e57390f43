/** prod on Aurora under mocks: AWS Backup and restore tests of the cluster, its monitoring, RDS Proxy, and refusals. */
import { strict as assert } from "assert";
import { failStack, runStack, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    selection: "aws:backup/selection:Selection",
    rtSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    rule: "aws:cloudwatch/eventRule:EventRule",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    events: "aws:rds/eventSubscription:EventSubscription",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    fn: "aws:lambda/function:Function",
};
const CLUSTER_ARN = "arn:aws:rds:eu-west-1:123456789012:cluster:metacortex-prod";
const INSTANCES = ["metacortex-prod-1", "metacortex-prod-2"];

describe("prod on Aurora: backups, restore tests and monitoring under mocks", () => {
    let run: StackRun;
    const alarms = () => run.ofType(T.alarm).map((a) => a.inputs);
    before(async () => {
        run = await sharedStackRun("prod-aurora");
    });

    it("selects the cluster in the AWS Backup plan, with the DR copy as for the RDS instance", () => {
        assert.deepEqual(run.one(T.selection).inputs.resources, [CLUSTER_ARN]);
        const daily = run.one("aws:backup/plan:Plan").inputs.rules.find((r: any) => r.ruleName === "daily-snapshot");
        assert.equal(daily.copyActions[0].destinationVaultArn, run.outputs.drBackupVaultArn);
    });

    it("tests restores as Aurora, into the database's subnets and security group, with no instance class to set", () => {
        const s = run.one(T.rtSelection).inputs;
        assert.deepEqual([s.protectedResourceType, s.protectedResourceArns], ["Aurora", [CLUSTER_ARN]]);
        assert.deepEqual(Object.keys(s.restoreMetadataOverrides).sort(), ["DBSubnetGroupName", "VpcSecurityGroupIds"]);
    });

    it("validates a restored cluster through an instance it adds, tagged, and may delete only tagged instances", () => {
        const patterns = run.ofType(T.rule).map((r) => r.inputs.eventPattern && JSON.parse(r.inputs.eventPattern));
        assert.ok(patterns.some((p) => p?.source?.[0] === "aws.backup" && p.detail.resourceType[0] === "Aurora"));
        const created = patterns.find((p) => p?.source?.[0] === "aws.rds")!;
        assert.deepEqual(created.detail, {
            EventID: ["RDS-EVENT-0005"],
            SourceIdentifier: [{ suffix: "-validation" }],
        });
        const policy = run.ofType(T.rolePolicy).find((p) => p.name.includes("restore-test-validator"))!;
        const statements = JSON.parse(policy.inputs.policy).Statement as any[];
        const del = statements.find((s) => s.Action === "rds:DeleteDBInstance");
        assert.deepEqual(del.Condition, { Null: { "aws:ResourceTag/metacortex-restore-job": "false" } });
        const create = statements.find((s) => [s.Action].flat().includes("rds:CreateDBInstance"));
        assert.deepEqual(create.Condition, {
            "ForAllValues:StringEquals": { "aws:TagKeys": ["metacortex-restore-job"] },
        });
    });

    it("alarms on Aurora's own metrics per instance: replica lag in ms, buffer cache hits, deadlocks", () => {
        for (const id of INSTANCES) {
            const own = alarms().filter((a) => a.dimensions?.DBInstanceIdentifier === id);
            const by = (metric: string) => own.find((a) => a.metricName === metric)!;
            assert.deepEqual([by("AuroraReplicaLag").threshold, by("AuroraReplicaLag").statistic], [60_000, "Maximum"]);
            assert.deepEqual(
                [by("BufferCacheHitRatio").threshold, by("BufferCacheHitRatio").comparisonOperator],
                [90, "LessThanThreshold"],
            );
            assert.equal(by("Deadlocks").threshold, 5 / 300);
            assert.deepEqual(own.map((a) => a.metricName).sort(), [
                "AuroraReplicaLag",
                "BufferCacheHitRatio",
                "CPUUtilization",
                "DatabaseConnections",
                "Deadlocks",
                "FreeableMemory",
            ]);
        }
        assert.ok(!alarms().some((a) => a.metricName === "ACUUtilization"), "provisioned instances have no ACUs");
    });

    it("alarms on the writer's role for data-wide metrics, on the cluster for the health check and the volume", () => {
        const xid = alarms().find((a) => a.metricName === "MaximumUsedTransactionIDs")!;
        assert.deepEqual(xid.dimensions, { DBClusterIdentifier: "metacortex-prod", Role: "WRITER" });
        const rpo = alarms().find((a) => a.metricName === "SecondsSinceLatestRestorableTime")!;
        assert.deepEqual(
            [rpo.dimensions, rpo.treatMissingData],
            [{ DBClusterIdentifier: "metacortex-prod" }, "breaching"],
        );
        const volume = alarms().find((a) => a.metricQueries?.[0]?.metric?.metricName === "VolumeBytesUsed")!;
        assert.deepEqual(volume.metricQueries[0].metric.dimensions, { DBClusterIdentifier: "metacortex-prod" });
        for (const a of alarms()) assert.deepEqual(a.alarmActions, [run.outputs.alarmTopicArn], a.metricName);
        const health = run.ofType(T.fn).find((f) => f.name.includes("-health-"))!;
        assert.equal(health.inputs.environment.variables.DB_CLUSTER_ID, "metacortex-prod");
    });

    it("subscribes to the cluster's failovers and its instances' failures, and draws every instance", () => {
        const [clusterEvents, instanceEvents] = ["db-cluster", "db-instance"].map(
            (t) => run.ofType(T.events).find((e) => e.inputs.sourceType === t)!.inputs,
        );
        assert.deepEqual(clusterEvents.sourceIds, ["metacortex-prod"]);
        assert.ok(clusterEvents.eventCategories.includes("failover"));
        assert.deepEqual(instanceEvents.sourceIds, INSTANCES);
        const body = JSON.parse(run.one(T.dashboard).inputs.dashboardBody);
        const titles = body.widgets.map((w: any) => w.properties.title);
        for (const t of ["Aurora replica lag (ms)", "Buffer cache hit ratio (%)", "Volume used (bytes)"])
            assert.ok(titles.includes(t), t);
        for (const id of INSTANCES) assert.ok(JSON.stringify(body).includes(`"DBInstanceIdentifier","${id}"`));
    });

    it("draws the database's own view under the cluster and PgBouncer's share over the write and read databases", () => {
        const body = JSON.parse(run.one(T.dashboard).inputs.dashboardBody);
        const widget = (title: string) => body.widgets.find((w: any) => w.properties.title === title)?.properties;
        const bloat = widget("Health check: index bloat, invalid and unused indexes (0 ok, 1 warn, 2 fail)");
        assert.deepEqual(bloat.metrics[0].slice(0, 4), [
            "MetaCortex/Database",
            "HealthCheckStatus",
            "DBClusterIdentifier",
            "metacortex-prod",
        ]);
        const deadTuples = widget("Health check: dead tuples on hot tables (ratio)");
        assert.deepEqual(deadTuples.annotations.horizontal, [{ label: "20% dead", value: 0.2 }]);
        // 2 PgBouncer replicas x (193 on the writer + 193 on the one reader), as the RDS stack with one replica.
        const share = widget("PgBouncer: server connections against its share of the budget");
        assert.deepEqual(share.annotations.horizontal, [{ label: "max_db_connections x replicas", value: 772 }]);
        for (const metric of ["DeadTupleRatioHotTables", "PartitionsPremadeAhead", "PartitionMaintenanceStale"]) {
            const alarm = alarms().find((a) => a.metricName === metric);
            assert.deepEqual(alarm?.dimensions, { DBClusterIdentifier: "metacortex-prod" }, metric);
        }
    });
});

describe("Aurora variants of operations under mocks", function () {
    this.timeout(60_000);

    it("Serverless v2 alarms on ACU utilization and capacity near the maximum, per instance", async () => {
        const run = await runStack("prod-aurora", { instanceClass: undefined, auroraMinAcu: "2", auroraMaxAcu: "16" });
        const alarms = run.ofType(T.alarm).map((a) => a.inputs);
        const acu = alarms.filter((a) => a.metricName === "ACUUtilization");
        const capacity = alarms.filter((a) => a.metricName === "ServerlessDatabaseCapacity");
        assert.deepEqual(
            acu.map((a) => [a.dimensions.DBInstanceIdentifier, a.threshold]),
            INSTANCES.map((id) => [id, 90]),
        );
        assert.deepEqual(
            capacity.map((a) => a.threshold),
            [14.4, 14.4],
        );
    });

    it("RDS Proxy fronts the cluster by its identifier", async () => {
        const run = await runStack("prod-aurora", { pooler: "rds-proxy" });
        const target = run.one("aws:rds/proxyTarget:ProxyTarget").inputs;
        assert.deepEqual([target.dbClusterIdentifier, target.dbInstanceIdentifier], ["metacortex-prod", undefined]);
    });

    it("refuses aurora on docker before registering anything", async () => {
        const { error, registered } = await failStack("dev", { engine: "aurora" });
        assert.match(error.message, /metacortex-db:engine = "aurora": aurora only for target aws/);
        assert.equal(registered, 0);
    });
});
