/** prod's read replicas under mocks: what each replica is given, and where the stack sends reads. */
import { strict as assert } from "assert";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import { readPool, readRoute } from "../../postgres/pooling/readRouting";
import { primaryInstance, runStack, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    instance: "aws:rds/instance:Instance",
    params: "aws:rds/parameterGroup:ParameterGroup",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    events: "aws:rds/eventSubscription:EventSubscription",
    topic: "aws:sns/topic:Topic",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    subnets: "aws:rds/subnetGroup:SubnetGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
};
const IMAGE_1_25 = "ghcr.io/cloudnative-pg/pgbouncer:1.25.2";
const named = (run: StackRun, type: string, name: string) => {
    const found = run.ofType(type).find((r) => r.name === name);
    assert.ok(found, `${type} ${name} registered`);
    return found;
};
const parameters = (run: StackRun, name: string) =>
    new Map<string, string>(named(run, T.params, name).inputs.parameters.map((p: any) => [p.name, p.value]));
const ini = (run: StackRun): string => run.one("kubernetes:core/v1:ConfigMap").inputs.data["pgbouncer.ini"];
const endpoint = (id: string, region = "eu-west-1") => `${id}.abcdefghijkl.${region}.rds.amazonaws.com`;

describe("prod read replicas under mocks, from Pulumi.prod.yaml", () => {
    let run: StackRun;
    let replica: Record<string, any>;
    before(async () => {
        run = await sharedStackRun("prod");
        replica = named(run, T.instance, "metacortex-prod-replicas-1-instance").inputs;
    });

    it("replicates the primary by identifier, beside it: its subnet group, its security group, its CMK", () => {
        const primary = primaryInstance(run).inputs;
        assert.equal(replica.identifier, "metacortex-prod-replica-1");
        assert.equal(replica.replicateSourceDb, "metacortex-prod");
        assert.equal(replica.dbSubnetGroupName, undefined, "RDS places a same-region replica in its source's group");
        assert.deepEqual(replica.vpcSecurityGroupIds, primary.vpcSecurityGroupIds);
        assert.deepEqual([replica.storageEncrypted, replica.kmsKeyId], [true, run.outputs.kmsKeyArn]);
        assert.deepEqual([replica.instanceClass, replica.port, replica.engine], ["db.r6g.large", 5432, "postgres"]);
        assert.equal(replica.engineVersion, undefined, "a replica runs its source's version");
    });

    it("keeps the primary's TLS, CA, IAM auth, Performance Insights (with the CMK) and Enhanced Monitoring", () => {
        const primary = primaryInstance(run).inputs;
        for (const key of [
            "caCertIdentifier",
            "iamDatabaseAuthenticationEnabled",
            "performanceInsightsEnabled",
            "performanceInsightsKmsKeyId",
            "performanceInsightsRetentionPeriod",
            "monitoringInterval",
            "monitoringRoleArn",
            "enabledCloudwatchLogsExports",
            "publiclyAccessible",
            "deletionProtection",
            "autoMinorVersionUpgrade",
            "maintenanceWindow",
        ])
            assert.deepEqual(replica[key], primary[key], key);
        assert.deepEqual([replica.deletionProtection, replica.publiclyAccessible], [true, false]);
    });

    it("takes no final snapshot (RDS refuses one of a replica) and keeps no backups of its own", () => {
        assert.deepEqual([replica.skipFinalSnapshot, replica.finalSnapshotIdentifier], [true, undefined]);
        assert.equal(replica.backupRetentionPeriod, 0);
    });

    it("exports its logs to encrypted log groups of its own, with the primary's retention", () => {
        for (const type of ["postgresql", "upgrade"]) {
            const group = run
                .ofType(T.logGroup)
                .find((g) => g.inputs.name === `/aws/rds/instance/metacortex-prod-replica-1/${type}`);
            assert.deepEqual([group?.inputs.kmsKeyId, group?.inputs.retentionInDays], [run.outputs.kmsKeyArn, 90]);
        }
    });

    it("has a parameter group of its own: the primary's settings plus the standby rows", () => {
        const own = parameters(run, "metacortex-prod-replicas-params-postgres15");
        const primary = parameters(run, "metacortex-prod-aws-params-postgres15");
        assert.equal(replica.parameterGroupName, "metacortex-prod-replicas-params-postgres15-1234567");
        assert.deepEqual(
            ["hot_standby_feedback", "max_standby_streaming_delay", "max_standby_archive_delay"].map((n) => own.get(n)),
            ["1", "30000", "30000"],
        );
        assert.equal(primary.get("hot_standby_feedback"), undefined, "the primary's group is unchanged");
        for (const [name, value] of primary) assert.equal(own.get(name), value, name);
        assert.equal(own.get("rds.force_ssl"), "1");
    });

    it("routes reads to the replica: PgBouncer's metacortex_ro dials its endpoint, and the outputs name it", () => {
        assert.match(
            ini(run),
            /^metacortex_ro = host=metacortex-prod-replica-1\.abcdefghijkl\.eu-west-1\.rds\.amazonaws\.com port=5432 dbname=metacortex pool_size=154 max_db_connections=193$/m,
        );
        assert.equal(run.outputs.readerEndpoint, endpoint("metacortex-prod-replica-1"));
        assert.equal(
            run.outputs.readOnlyUrl,
            "postgresql://metacortex_app@pgbouncer.metacortex-db.svc.cluster.local:5432/metacortex_ro?sslmode=verify-full",
        );
        assert.deepEqual(run.outputs.readReplicaIdentifiers, ["metacortex-prod-replica-1"]);
        assert.ok(!String(run.outputs.readOnlyUrl).includes(":mock-"), "no password in the URL");
    });

    it("alarms on each replica's lag at the configured 60 s and on its own machine, to the primary's topic", () => {
        const own = run
            .ofType(T.alarm)
            .filter((a) => a.inputs.dimensions?.DBInstanceIdentifier === "metacortex-prod-replica-1");
        assert.deepEqual(own.map((a) => a.inputs.metricName).sort(), [
            "CPUUtilization",
            "DatabaseConnections",
            "DiskQueueDepth",
            "FreeStorageSpace",
            "FreeableMemory",
            "ReadLatency",
            "ReplicaLag",
        ]);
        const lag = own.find((a) => a.inputs.metricName === "ReplicaLag")!.inputs;
        assert.deepEqual([lag.threshold, lag.statistic, lag.evaluationPeriods, lag.period], [60, "Maximum", 5, 60]);
        for (const a of own) assert.deepEqual(a.inputs.alarmActions, [run.outputs.alarmTopicArn], a.name);
    });

    it("sends the replicas' failover and read-replica events to the primary's topic", () => {
        const sub = named(run, T.events, "metacortex-prod-replica-monitoring-events").inputs;
        assert.deepEqual(
            [sub.sourceType, sub.sourceIds, sub.snsTopic],
            ["db-instance", ["metacortex-prod-replica-1"], run.outputs.alarmTopicArn],
        );
        for (const c of ["read replica", "failover", "failure", "availability"])
            assert.ok(sub.eventCategories.includes(c), c);
    });

    it("draws the replicas' lag, CPU and connections on the dashboard, the DR replica from its region", () => {
        const widgets = JSON.parse(run.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody).widgets as any[];
        const lag = widgets.find((w) => w.properties.title === "Replicas: lag (s)");
        assert.deepEqual(lag.properties.metrics, [
            [
                "AWS/RDS",
                "ReplicaLag",
                "DBInstanceIdentifier",
                "metacortex-prod-replica-1",
                { label: "metacortex-prod-replica-1" },
            ],
            [
                "AWS/RDS",
                "ReplicaLag",
                "DBInstanceIdentifier",
                "metacortex-prod-dr",
                { region: "eu-central-1", label: "metacortex-prod-dr (eu-central-1)" },
            ],
        ]);
        assert.deepEqual(lag.properties.annotations.horizontal, [{ label: "60 s lag", value: 60 }]);
    });
});

describe("read routing with 0 and 3 replicas, a smaller replica class and no pooler", function () {
    this.timeout(60_000);

    it("with no replica: metacortex_ro on the primary with readonly's share, and no replica resources", async () => {
        const run = await runStack("prod", { readReplicas: "0" });
        assert.deepEqual(
            run.ofType(T.instance).map((i) => i.name),
            ["metacortex-prod-aws-rds-instance", "metacortex-prod-dr-replica-instance"],
        );
        const text = ini(run);
        assert.match(
            text,
            /^metacortex = host=metacortex-prod\.abcdefghijkl\.eu-west-1\.rds\.amazonaws\.com port=5432 dbname=metacortex max_db_connections=155$/m,
        );
        assert.match(
            text,
            /^metacortex_ro = host=metacortex-prod\.abcdefghijkl\.eu-west-1\.rds\.amazonaws\.com port=5432 dbname=metacortex pool_size=38 max_db_connections=38$/m,
        );
        assert.equal(run.outputs.readerEndpoint, endpoint("metacortex-prod"));
        assert.equal(run.outputs.readReplicaIdentifiers, undefined);
        assert.ok(!run.ofType(T.events).some((e) => e.name.includes("replica-monitoring")));
    });

    it("with 3 replicas (PgBouncer 1.25): one host list, 580 per PgBouncer replica, 3 x 7 alarms", async () => {
        const run = await runStack("prod", {
            readReplicas: "3",
            pgbouncerImage: IMAGE_1_25,
            replicaLagAlarmSeconds: "120",
        });
        const ids = ["metacortex-prod-replica-1", "metacortex-prod-replica-2", "metacortex-prod-replica-3"];
        assert.deepEqual(run.outputs.readReplicaIdentifiers, ids);
        const hosts = ids.map((id) => endpoint(id));
        assert.ok(
            ini(run)
                .split("\n")
                .includes(
                    `metacortex_ro = host=${hosts.join(",")} port=5432 dbname=metacortex pool_size=464 max_db_connections=580`,
                ),
        );
        assert.match(ini(run), /^metacortex_readonly = max_user_connections=116$/m);
        assert.equal(run.outputs.readerEndpoint, hosts.join(","));
        const pool = readPool(
            poolSizing(387, 2),
            readRoute(
                hosts.map((host) => ({ host, connectionBudget: 387 })),
                "p",
            ),
        );
        assert.deepEqual([pool.perReplica, pool.total], [580, 1160]);
        for (const id of ids) {
            const own = run.ofType(T.alarm).filter((a) => a.inputs.dimensions?.DBInstanceIdentifier === id);
            assert.equal(own.length, 7, id);
            assert.equal(own.find((a) => a.inputs.metricName === "ReplicaLag")!.inputs.threshold, 120);
        }
        assert.deepEqual(named(run, T.events, "metacortex-prod-replica-monitoring-events").inputs.sourceIds, ids);
    });

    it("with a smaller replica class: the replica keeps the primary's max_connections, the read pool its own budget", async () => {
        const run = await runStack("prod", { replicaInstanceClass: "db.t4g.large" });
        const own = parameters(run, "metacortex-prod-replicas-params-postgres15");
        assert.deepEqual(
            [own.get("max_connections"), own.get("shared_buffers")],
            ["400", String((2 * 1024 * 1024) / 8)],
        );
        assert.equal(
            named(run, T.instance, "metacortex-prod-replicas-1-instance").inputs.instanceClass,
            "db.t4g.large",
        );
        // db.t4g.large: 8 GiB, max_connections 200, budget 187: 93 per PgBouncer replica, 74 app.
        assert.match(
            ini(run),
            /^metacortex_ro = host=\S+ port=5432 dbname=metacortex pool_size=74 max_db_connections=93$/m,
        );
    });

    it("without PgBouncer: the read-only URL names the replicas' own endpoints for libpq", async () => {
        const run = await runStack("prod", { readReplicas: "2", pooler: "none" });
        const hosts = ["metacortex-prod-replica-1", "metacortex-prod-replica-2"].map((id) => `${endpoint(id)}:5432`);
        assert.equal(
            run.outputs.readOnlyUrl,
            `postgresql://metacortex_app@${hosts.join(",")}/metacortex?sslmode=verify-full&target_session_attrs=standby&load_balance_hosts=random`,
        );
    });

    it("runs the Docker stack's replicas as standby containers, not RDS instances (test/stack/devStandbys.test.ts)", async () => {
        const run = await runStack("dev", { readReplicas: "2" });
        assert.deepEqual(run.ofType(T.instance), []);
        assert.deepEqual(
            run
                .ofType("docker:index/container:Container")
                .filter((c) => /standby|replica/.test(c.name))
                .map((c) => c.name),
            ["metacortex-dev-standby1-postgres", "metacortex-dev-standby2-postgres"],
        );
        assert.equal(
            run.outputs.readOnlyUrl,
            "postgresql://metacortex_app@127.0.0.1:6432/metacortex_ro?sslmode=verify-full",
        );
    });
});
