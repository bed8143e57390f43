/** prod's DR replica under mocks: a cross-region read replica under its own region's key, watched in its region. */
import { strict as assert } from "assert";
import { primaryInstance, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    instance: "aws:rds/instance:Instance",
    params: "aws:rds/parameterGroup:ParameterGroup",
    key: "aws:kms/key:Key",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    events: "aws:rds/eventSubscription:EventSubscription",
    topic: "aws:sns/topic:Topic",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    subnets: "aws:rds/subnetGroup:SubnetGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
};
const named = (run: StackRun, type: string, name: string) => {
    const found = run.ofType(type).find((r) => r.name === name);
    assert.ok(found, `${type} ${name} registered`);
    return found;
};
const parameters = (run: StackRun, name: string) =>
    new Map<string, string>(named(run, T.params, name).inputs.parameters.map((p: any) => [p.name, p.value]));
const endpoint = (id: string, region = "eu-west-1") => `${id}.abcdefghijkl.${region}.rds.amazonaws.com`;

describe("prod DR replica under mocks", () => {
    let run: StackRun;
    let dr: Record<string, any>;
    before(async () => {
        run = await sharedStackRun("prod");
        dr = named(run, T.instance, "metacortex-prod-dr-replica-instance").inputs;
    });

    it("replicates the primary by ARN into eu-central-1, through a provider of that region", () => {
        assert.equal(dr.replicateSourceDb, "arn:aws:rds:eu-west-1:123456789012:db:metacortex-prod");
        assert.equal(dr.region, "eu-central-1");
        assert.equal(named(run, "pulumi:providers:aws", "metacortex-prod-dr-region").inputs.region, "eu-central-1");
        assert.deepEqual(run.outputs.drReplica, {
            identifier: "metacortex-prod-dr",
            arn: "arn:aws:rds:eu-central-1:123456789012:db:metacortex-prod-dr",
            region: "eu-central-1",
            endpoint: endpoint("metacortex-prod-dr", "eu-central-1"),
            kmsKeyArn: dr.kmsKeyId,
            alarmTopicArn: "arn:aws:sns:eu-central-1:123456789012:metacortex-prod-dr-alarms",
        });
    });

    it("is encrypted, and its Performance Insights too, with a key of its own region, not the primary's", () => {
        const key = named(run, T.key, "metacortex-prod-dr-kms-key");
        assert.match(dr.kmsKeyId, /^arn:aws:kms:eu-central-1:123456789012:key\//);
        assert.notEqual(dr.kmsKeyId, run.outputs.kmsKeyArn);
        assert.equal(dr.performanceInsightsKmsKeyId, dr.kmsKeyId);
        assert.deepEqual([dr.storageEncrypted, key.inputs.enableKeyRotation], [true, true]);
        assert.deepEqual(JSON.parse(key.inputs.policy).Statement[1].Principal.Service, [
            "logs.eu-central-1.amazonaws.com",
            "cloudwatch.amazonaws.com",
            "events.rds.amazonaws.com",
        ]);
    });

    it("sits in the DR VPC's subnets behind a security group that admits nobody until it is promoted", () => {
        const subnets = named(run, T.subnets, "metacortex-prod-dr-net-subnets");
        assert.deepEqual(subnets.inputs.subnetIds, ["subnet-0f1e2d3c4b5a69781", "subnet-0f1e2d3c4b5a69782"]);
        assert.equal(dr.dbSubnetGroupName, `${subnets.name}-1234567`);
        const sg = named(run, T.sg, "metacortex-prod-dr-net-sg");
        assert.equal(sg.inputs.vpcId, "vpc-0f1e2d3c4b5a69788");
        assert.deepEqual(dr.vpcSecurityGroupIds, [`${sg.name}-id`]);
        assert.deepEqual(
            run.ofType(T.ingress).filter((r) => r.name.startsWith("metacortex-prod-dr-")),
            [],
        );
        assert.equal(dr.publiclyAccessible, false);
    });

    it("is the primary's class, deletion-protected, with the standby settings and no automated backups (RDS for PostgreSQL allows none on a replica; promotion turns them on)", () => {
        assert.deepEqual(
            [dr.instanceClass, dr.backupRetentionPeriod, dr.backupWindow, dr.deletionProtection],
            ["db.r6g.large", 0, undefined, true],
        );
        assert.equal(dr.parameterGroupName, "metacortex-prod-dr-params-postgres15-1234567");
        assert.equal(parameters(run, "metacortex-prod-dr-params-postgres15").get("hot_standby_feedback"), "1");
        assert.deepEqual([dr.monitoringInterval, dr.performanceInsightsEnabled], [15, true]);
        assert.equal(dr.monitoringRoleArn, primaryInstance(run).inputs.monitoringRoleArn, "IAM is global");
    });

    it("alarms and sends its events in its own region, to a topic under its region's key", () => {
        const topic = named(run, T.topic, "metacortex-prod-dr-alarms").inputs;
        assert.equal(topic.kmsMasterKeyId, dr.kmsKeyId);
        const alarms = run
            .ofType(T.alarm)
            .filter((a) => a.inputs.dimensions?.DBInstanceIdentifier === "metacortex-prod-dr");
        assert.equal(alarms.length, 7);
        for (const a of alarms)
            assert.deepEqual(a.inputs.alarmActions, [
                "arn:aws:sns:eu-central-1:123456789012:metacortex-prod-dr-alarms",
            ]);
        const sub = named(run, T.events, "metacortex-prod-dr-monitoring-events").inputs;
        assert.deepEqual(sub.sourceIds, ["metacortex-prod-dr"]);
        assert.ok(
            !run.outputs.readerEndpoint?.toString().includes("metacortex-prod-dr"),
            "the DR replica serves no reads",
        );
    });
});
