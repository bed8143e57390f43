/** prod on Aurora (Pulumi.prod-aurora.yaml) under mocks: the cluster, its instances and parameter groups, and the
 * roles and PgBouncer that take the cluster as they take the RDS instance. */
import { strict as assert } from "assert";
import { parseIni } from "../../policies/lib";
import { runStack, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    cluster: "aws:rds/cluster:Cluster",
    instance: "aws:rds/clusterInstance:ClusterInstance",
    rdsInstance: "aws:rds/instance:Instance",
    clusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    params: "aws:rds/parameterGroup:ParameterGroup",
    provider: "pulumi:providers:postgresql",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    configMap: "kubernetes:core/v1:ConfigMap",
};
const WRITER = "metacortex-prod.cluster-abcdefghijkl.eu-west-1.rds.amazonaws.com";
const READER = "metacortex-prod.cluster-ro-abcdefghijkl.eu-west-1.rds.amazonaws.com";
const SERVERLESS = { instanceClass: undefined, auroraMinAcu: "2", auroraMaxAcu: "16" };

const params = (r: { inputs: Record<string, any> }) =>
    new Map<string, { value: string; applyMethod: string }>(
        r.inputs.parameters.map((p: any) => [p.name, { value: p.value, applyMethod: p.applyMethod }]),
    );
const pgbouncerIni = (run: StackRun) =>
    parseIni(run.ofType(T.configMap).find((c) => c.inputs.data?.["pgbouncer.ini"])!.inputs.data["pgbouncer.ini"]);

describe("prod on Aurora (AWS) under mocks, from Pulumi.prod-aurora.yaml", () => {
    let run: StackRun;
    let cluster: Record<string, any>;
    let keyArn: string;
    before(async () => {
        run = await sharedStackRun("prod-aurora");
        cluster = run.one(T.cluster).inputs;
        keyArn = run.outputs.kmsKeyArn as string;
    });

    it("builds an Aurora PostgreSQL 15 cluster and no RDS instance", () => {
        assert.equal(run.ofType(T.rdsInstance).length, 0);
        assert.deepEqual(
            [
                cluster.clusterIdentifier,
                cluster.engine,
                cluster.engineVersion,
                cluster.engineMode,
                cluster.databaseName,
            ],
            ["metacortex-prod", "aurora-postgresql", "15", "provisioned", "metacortex"],
        );
        assert.equal(run.outputs.endpoint, WRITER, "clients write through the cluster endpoint");
    });

    it("encrypts storage and the RDS-managed master secret with the CMK, with IAM auth and Standard storage", () => {
        assert.match(keyArn, /^arn:aws:kms:eu-west-1:123456789012:key\//);
        assert.deepEqual(
            [
                cluster.storageEncrypted,
                cluster.kmsKeyId,
                cluster.manageMasterUserPassword,
                cluster.masterUserSecretKmsKeyId,
            ],
            [true, keyArn, true, keyArn],
        );
        assert.equal(cluster.masterPassword, undefined);
        assert.equal(cluster.iamDatabaseAuthenticationEnabled, true);
        assert.equal(cluster.storageType, "aurora");
    });

    it("protects and backs the cluster up as the instance: 14 days, windows apart, tags copied, a final snapshot", () => {
        assert.deepEqual(
            [cluster.deletionProtection, cluster.backupRetentionPeriod, cluster.preferredBackupWindow],
            [true, 14, "03:00-03:30"],
        );
        assert.equal(cluster.preferredMaintenanceWindow, "sun:04:00-sun:05:00");
        assert.deepEqual(
            [cluster.copyTagsToSnapshot, cluster.skipFinalSnapshot, cluster.finalSnapshotIdentifier],
            [true, false, "metacortex-prod-final"],
        );
        assert.deepEqual(cluster.enabledCloudwatchLogsExports, ["postgresql"]);
        const log = run.ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.name.endsWith("-logs-postgresql"))!;
        assert.deepEqual(
            [log.inputs.name, log.inputs.kmsKeyId],
            ["/aws/rds/cluster/metacortex-prod/postgresql", keyArn],
        );
    });

    it("places the cluster in the database's subnet group and security group, with its own cluster parameter group", () => {
        assert.match(cluster.dbSubnetGroupName, /-aurora-net-subnets-1234567$/);
        assert.equal(cluster.vpcSecurityGroupIds.length, 1);
        assert.equal(cluster.dbClusterParameterGroupName, run.one(T.clusterParams).state.name);
    });

    it("runs a writer and a reader of db.r6g.large in two zones, failover tiers 0 and 1, PI under the CMK", () => {
        const instances = run.ofType(T.instance).map((i) => i.inputs);
        assert.deepEqual(
            instances.map((i) => [i.identifier, i.instanceClass, i.availabilityZone, i.promotionTier]),
            [
                ["metacortex-prod-1", "db.r6g.large", "eu-west-1b", 0],
                ["metacortex-prod-2", "db.r6g.large", "eu-west-1c", 1],
            ],
        );
        const role = run.ofType("aws:iam/role:Role").find((r) => r.name.includes("aurora-monitoring"))!;
        for (const i of instances) {
            assert.equal(i.clusterIdentifier, "metacortex-prod");
            assert.deepEqual([i.performanceInsightsEnabled, i.performanceInsightsKmsKeyId], [true, keyArn]);
            assert.deepEqual([i.monitoringInterval, i.monitoringRoleArn], [15, role.state.arn]);
            assert.deepEqual([i.publiclyAccessible, i.caCertIdentifier], [false, "rds-ca-rsa2048-g1"]);
            assert.equal(i.dbParameterGroupName, run.one(T.params).state.name);
        }
    });

    it("splits the settings source between the cluster and the instance parameter groups", () => {
        const c = params(run.one(T.clusterParams));
        const i = params(run.one(T.params));
        assert.equal(run.one(T.clusterParams).inputs.family, "aurora-postgresql15");
        assert.equal(run.one(T.params).inputs.family, "aurora-postgresql15");
        assert.equal(c.get("rds.force_ssl")?.value, "1");
        assert.equal(c.get("rds.accepted_password_auth_method")?.value, "scram");
        assert.deepEqual(c.get("shared_preload_libraries")?.applyMethod, "pending-reboot");
        assert.equal(c.get("autovacuum_naptime")?.value, "15");
        assert.deepEqual(i.get("max_connections"), { value: "400", applyMethod: "pending-reboot" });
        assert.equal(i.get("work_mem")?.value, String(4 * 1024), "sized around Aurora's 75% buffer cache");
        assert.equal(i.get("hot_standby_feedback")?.value, "1");
        for (const name of ["shared_buffers", "max_wal_size", "checkpoint_timeout", "lock_timeout"])
            assert.ok(!c.has(name) && !i.has(name), name);
    });

    it("manages roles through the cluster endpoint with the cluster's master secret, and stores their credentials", () => {
        const provider = run.one(T.provider).inputs;
        assert.deepEqual([provider.host, provider.sslmode, provider.superuser], [WRITER, "verify-full", "false"]);
        const app = run.ofType(T.secretVersion).find((s) => s.name.includes("role-secrets-app"))!;
        const secret = JSON.parse(app.inputs.secretString);
        assert.deepEqual([secret.host, secret.port, secret.dbname], [WRITER, 5432, "metacortex"]);
        assert.ok(app.secretPaths.includes("secretString"), "the credentials travel as a secret");
    });

    it("pools writes on the cluster endpoint and reads on the reader endpoint, each 193 per PgBouncer replica", () => {
        const ini = pgbouncerIni(run);
        assert.match(
            ini.databases.metacortex,
            new RegExp(`^host=${WRITER} port=5432 dbname=metacortex max_db_connections=193$`),
        );
        assert.match(
            ini.databases.metacortex_ro,
            new RegExp(`^host=${READER} port=5432 dbname=metacortex pool_size=154 max_db_connections=193$`),
        );
        assert.equal(run.outputs.readerEndpoint, READER);
        assert.equal(
            run.outputs.readOnlyUrl,
            "postgresql://metacortex_app@pgbouncer.metacortex-db.svc.cluster.local:5432/metacortex_ro?sslmode=verify-full",
        );
    });

    it("caches the endpoints' addresses for 1 s (their TTL), so a failover's new writer is dialled at once; RDS keeps 15", async () => {
        assert.equal(pgbouncerIni(run).pgbouncer.dns_max_ttl, "1");
        assert.equal(pgbouncerIni(await sharedStackRun("prod")).pgbouncer.dns_max_ttl, undefined);
    });
});

describe("Aurora variants under mocks", function () {
    this.timeout(60_000);

    it("Serverless v2: db.serverless instances, the ACU range on the cluster, settings sized for 16 ACUs", async () => {
        const run = await runStack("prod-aurora", SERVERLESS);
        assert.deepEqual(run.one(T.cluster).inputs.serverlessv2ScalingConfiguration, {
            minCapacity: 2,
            maxCapacity: 16,
        });
        assert.deepEqual(
            run.ofType(T.instance).map((i) => i.inputs.instanceClass),
            ["db.serverless", "db.serverless"],
        );
        assert.equal(params(run.one(T.params)).get("max_connections")?.value, "800");
        assert.equal(pgbouncerIni(run).pgbouncer.max_db_connections, "393", "(800 - 3 - 10) / 2");
    });

    it("more readers: one per zone in turn, one reader endpoint (any PgBouncer), a read pool sized from all of them", async () => {
        const run = await runStack("prod-aurora", { auroraReaders: "3" });
        assert.deepEqual(
            run
                .ofType(T.instance)
                .map((i) => [i.inputs.identifier, i.inputs.availabilityZone])
                .sort(),
            [
                ["metacortex-prod-1", "eu-west-1b"],
                ["metacortex-prod-2", "eu-west-1c"],
                ["metacortex-prod-3", "eu-west-1a"],
                ["metacortex-prod-4", "eu-west-1b"],
            ],
        );
        assert.match(pgbouncerIni(run).databases.metacortex_ro, /pool_size=464 max_db_connections=580$/);
    });

    it("no reader: reads stay on the writer, carved from its readonly share", async () => {
        const run = await runStack("prod-aurora", { environment: "prod", auroraReaders: "0" }).catch((e) => e);
        assert.match(String(run.message ?? run), /auroraReaders = "0": a whole number from 1 to 15 readers in prod/);
        const dev = await runStack("prod-aurora", { environment: "dev", auroraReaders: "0" });
        assert.equal(dev.ofType(T.instance).length, 1);
        assert.match(
            pgbouncerIni(dev).databases.metacortex_ro,
            /^host=metacortex-dev\.cluster-abcdefghijkl\.eu-west-1\.rds\.amazonaws\.com .* pool_size=38 max_db_connections=38$/,
        );
    });

    it("without PgBouncer: the read-only URL names the reader endpoint itself, verified, no password", async () => {
        const run = await runStack("prod-aurora", { pooler: "none" });
        assert.equal(
            run.outputs.readOnlyUrl,
            `postgresql://metacortex_app@${READER}:5432/metacortex?sslmode=verify-full`,
        );
    });

    it("I/O-Optimized storage on request", async () => {
        const run = await runStack("prod-aurora", { auroraStorageType: "aurora-iopt1" });
        assert.equal(run.one(T.cluster).inputs.storageType, "aurora-iopt1");
    });
});
