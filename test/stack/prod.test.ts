import { strict as assert } from "assert";
import { primaryInstance, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    instance: "aws:rds/instance:Instance",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    params: "aws:rds/parameterGroup:ParameterGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

describe("prod stack (AWS) under mocks, from Pulumi.prod.yaml", () => {
    let run: StackRun;
    let db: Record<string, any>;
    let keyArn: string;
    before(async () => {
        run = await sharedStackRun("prod");
        db = primaryInstance(run).inputs;
        keyArn = run.outputs.kmsKeyArn as string;
    });

    it("registers no Docker resource: AWS, the database's roles, PgBouncer on Kubernetes and our components only", () => {
        const allowed = [
            "aws:",
            "metacortex:",
            "postgresql:",
            "pulumi:providers:postgresql",
            "pulumi:providers:aws",
            "random:",
            "kubernetes:",
            "tls:",
        ];
        const foreign = run.resources.filter((r) => !allowed.some((p) => r.type.startsWith(p)));
        assert.deepEqual(
            foreign.map((r) => r.type),
            [],
        );
    });

    it("uses a customer-managed KMS key with rotation and an alias", () => {
        const key = run.ofType(T.key).find((k) => k.name === "metacortex-prod-aws-kms-key")!.inputs;
        assert.equal(key.enableKeyRotation, true);
        assert.equal(key.deletionWindowInDays, 30);
        const policy = JSON.parse(key.policy);
        assert.equal(policy.Statement[0].Principal.AWS, "arn:aws:iam::123456789012:root");
        assert.deepEqual(
            run
                .ofType(T.alias)
                .map((a) => a.inputs.name)
                .sort(),
            ["alias/metacortex-prod/backup-dr", "alias/metacortex-prod/database", "alias/metacortex-prod/dr-replica"],
        );
        assert.match(keyArn, /^arn:aws:kms:eu-west-1:123456789012:key\//);
    });

    it("runs PostgreSQL 15 on gp3 with storage autoscaling", () => {
        assert.equal(db.engine, "postgres");
        assert.equal(db.engineVersion, "15");
        assert.equal(db.instanceClass, "db.r6g.large");
        assert.equal(db.storageType, "gp3");
        assert.equal(db.allocatedStorage, 100);
        assert.equal(db.maxAllocatedStorage, 1000);
    });

    it("encrypts storage, the master secret and Performance Insights with the CMK", () => {
        assert.equal(db.storageEncrypted, true);
        assert.equal(db.kmsKeyId, keyArn);
        assert.equal(db.manageMasterUserPassword, true);
        assert.equal(db.masterUserSecretKmsKeyId, keyArn);
        assert.equal(db.password, undefined, "no password may be passed in");
        assert.equal(db.performanceInsightsEnabled, true);
        assert.equal(db.performanceInsightsKmsKeyId, keyArn);
    });

    it("is private, Multi-AZ, deletion-protected, with a current CA and IAM auth", () => {
        assert.equal(db.publiclyAccessible, false);
        assert.equal(db.multiAz, true);
        assert.equal(db.deletionProtection, true);
        assert.equal(db.caCertIdentifier, "rds-ca-rsa2048-g1");
        assert.equal(db.iamDatabaseAuthenticationEnabled, true);
    });

    it("keeps a final snapshot, copies tags to snapshots and takes minor upgrades only", () => {
        assert.equal(db.skipFinalSnapshot, false);
        assert.equal(db.finalSnapshotIdentifier, "metacortex-prod-final");
        assert.equal(db.copyTagsToSnapshot, true);
        assert.equal(db.autoMinorVersionUpgrade, true);
        assert.equal(db.allowMajorVersionUpgrade, false);
        assert.equal(db.deleteAutomatedBackups, false);
    });

    it("takes backups and maintenance windows from config, so PITR covers 14 days", () => {
        assert.equal(db.backupRetentionPeriod, 14);
        assert.equal(db.backupWindow, "03:00-03:30");
        assert.equal(db.maintenanceWindow, "sun:04:00-sun:05:00");
        assert.equal(db.applyImmediately, false);
    });

    it("has Enhanced Monitoring through its own role, and exports postgresql and upgrade logs", () => {
        assert.equal(db.monitoringInterval, 15);
        const role = run.ofType(T.role).find((r) => r.name.includes("monitoring"));
        assert.ok(role, "monitoring role registered");
        assert.equal(db.monitoringRoleArn, `arn:aws:iam:eu-west-1:123456789012:${role.name}`);
        const trust = JSON.parse(role.inputs.assumeRolePolicy);
        assert.equal(trust.Statement[0].Principal.Service, "monitoring.rds.amazonaws.com");
        const attached = run
            .ofType(T.attachment)
            .filter((a) => a.name.includes("-monitoring-"))
            .map((a) => a.inputs.policyArn);
        assert.deepEqual(attached, ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
        assert.deepEqual(db.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
    });

    it("places the instance in a subnet group over the configured private subnets", () => {
        const group = run.ofType(T.subnetGroup).find((g) => g.name === "metacortex-prod-aws-net-subnets")!;
        assert.deepEqual(group.inputs.subnetIds, [
            "subnet-0a1b2c3d4e5f60711",
            "subnet-0a1b2c3d4e5f60722",
            "subnet-0a1b2c3d4e5f60733",
        ]);
        assert.equal(db.dbSubnetGroupName, `${group.name}-1234567`);
    });

    it("admits the DB port only from the app security group, with no egress", () => {
        const sg = run.ofType(T.sg).find((g) => g.name === "metacortex-prod-aws-net-sg")!;
        assert.equal(sg.inputs.vpcId, "vpc-0a1b2c3d4e5f60718");
        assert.deepEqual(sg.inputs.egress, []);
        // The database network's own rules (the restore-validation function adds its own, tested with backups).
        const rules = run
            .ofType(T.ingress)
            .filter((r) => r.name.startsWith("metacortex-prod-aws-net-in-"))
            .map((r) => r.inputs);
        assert.equal(rules.length, 1);
        assert.deepEqual(
            {
                from: rules[0].fromPort,
                to: rules[0].toPort,
                proto: rules[0].ipProtocol,
                sg: rules[0].referencedSecurityGroupId,
                cidr: rules[0].cidrIpv4,
            },
            { from: 5432, to: 5432, proto: "tcp", sg: "sg-0a1b2c3d4e5f60799", cidr: undefined },
        );
        assert.deepEqual(db.vpcSecurityGroupIds, [`${sg.name}-id`]);
    });

    it("attaches a postgres15 parameter group that forces SSL", () => {
        const group = run.ofType(T.params).find((g) => g.name === "metacortex-prod-aws-params-postgres15")!.inputs;
        assert.equal(group.family, "postgres15");
        const forceSsl = group.parameters.find((p: any) => p.name === "rds.force_ssl");
        assert.deepEqual(forceSsl, { name: "rds.force_ssl", value: "1", applyMethod: "immediate" });
        assert.equal(db.parameterGroupName, run.outputs.parameterGroupName);
    });

    it("tags everything it can with project, environment and the configured tags", () => {
        const untaggable = [
            T.alias,
            T.attachment,
            "aws:secretsmanager/secretVersion:SecretVersion",
            "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
            "aws:backup/selection:Selection",
            "aws:backup/restoreTestingSelection:RestoreTestingSelection",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:cloudwatch/eventTarget:EventTarget",
            "aws:lambda/permission:Permission",
            "aws:cloudwatch/dashboard:Dashboard",
            "aws:sns/topicSubscription:TopicSubscription",
            "aws:cloudwatch/logMetricFilter:LogMetricFilter",
            "aws:cloudwatch/queryDefinition:QueryDefinition",
        ];
        const registered = new Set(run.resources.map((r) => r.type));
        const stale = untaggable.filter((type) => !registered.has(type));
        assert.deepEqual(stale, [], "every exempt type is one the stack registers");
        const taggable = run.resources.filter((r) => r.type.startsWith("aws:") && !untaggable.includes(r.type));
        const taggableTypes = new Set(taggable.map((r) => r.type));
        for (const type of [
            T.instance,
            T.key,
            T.subnetGroup,
            T.sg,
            T.params,
            T.role,
            "aws:backup/vault:Vault",
            "aws:sns/topic:Topic",
            "aws:cloudwatch/logGroup:LogGroup",
            "aws:lambda/function:Function",
            "aws:secretsmanager/secret:Secret",
        ])
            assert.ok(taggableTypes.has(type), `${type} is among the resources checked`);
        for (const r of taggable) {
            assert.deepEqual(
                { project: r.inputs.tags?.project, environment: r.inputs.tags?.environment, team: r.inputs.tags?.team },
                { project: "metacortex", environment: "prod", team: "platform" },
                `${r.type} ${r.name}`,
            );
        }
    });

    it("exports endpoint, port, database, CA, secret ARN, KMS key and parameter group, none secret-bearing", () => {
        assert.equal(run.outputs.endpoint, "metacortex-prod.abcdefghijkl.eu-west-1.rds.amazonaws.com");
        assert.equal(run.outputs.port, 5432);
        assert.equal(run.outputs.databaseName, "metacortex");
        assert.deepEqual(run.outputs.caCertificate, {
            identifier: "rds-ca-rsa2048-g1",
            bundle: "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem",
        });
        assert.deepEqual(run.outputs.adminSecret, {
            kind: "aws-secretsmanager",
            ref: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-abcdef",
        });
        assert.equal(run.outputs.adminPassword, undefined);
        assert.match(String(run.outputs.parameterGroupName), /^metacortex-prod-aws-params-postgres15/);
    });
});
