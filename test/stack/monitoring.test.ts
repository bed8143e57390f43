/** prod monitoring under mocks: alarms, events, logs, the dashboard and the health check as the engine receives them. */
import { strict as assert } from "assert";
import { PGBOUNCER_METRICS, pgbouncerSearch } from "../../postgres/monitoring/dashboard";
import { EVENT_CATEGORIES, LOG_METRIC_FILTERS, LOG_QUERIES } from "../../components/aws/databaseMonitoring";
import { alarmThresholds } from "../../postgres/monitoring/thresholds";
import { sharedStackRun, type StackRun } from "../harness/stack";

describe("prod monitoring (AWS) under mocks", () => {
    let run: StackRun;
    before(async () => {
        run = await sharedStackRun("prod");
    });

    it("sends every alarm to the KMS-encrypted topic, which emails the configured address", () => {
        const topic = run.ofType("aws:sns/topic:Topic").find((t) => t.name === "metacortex-prod-monitoring-alarms")!;
        assert.equal(topic.inputs.kmsMasterKeyId, run.outputs.kmsKeyArn);
        const email = run
            .ofType("aws:sns/topicSubscription:TopicSubscription")
            .find((s) => s.name === "metacortex-prod-monitoring-alarms-email")!.inputs;
        assert.deepEqual([email.protocol, email.endpoint], ["email", "dba-oncall@metacortex.example"]);
        // The DR replica's alarms go to its own region's topic (test/stack/replicas.test.ts).
        const alarms = run
            .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
            .filter((a) => !a.name.startsWith("metacortex-prod-dr-"));
        assert.ok(alarms.length >= 17);
        for (const a of alarms) {
            assert.deepEqual(a.inputs.alarmActions, [run.outputs.alarmTopicArn], a.name);
            assert.deepEqual(a.inputs.okActions, [run.outputs.alarmTopicArn], a.name);
        }
    });

    it("sets each static alarm's threshold from the computation for db.r6g.large with 100 GiB", () => {
        const expected = alarmThresholds("db.r6g.large", 100);
        for (const [key, t] of Object.entries(expected)) {
            const alarm = run
                .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
                .find((a) => a.name.endsWith(`-monitoring-${key}`))!;
            assert.ok(alarm, key);
            assert.deepEqual(
                [
                    alarm.inputs.metricName,
                    alarm.inputs.namespace,
                    alarm.inputs.threshold,
                    alarm.inputs.comparisonOperator,
                ],
                [t.metric, t.namespace, t.threshold, t.comparison],
                key,
            );
            if (t.dimensions === "instance")
                assert.deepEqual(alarm.inputs.dimensions, { DBInstanceIdentifier: "metacortex-prod" });
        }
        const anomaly = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.includes("anomaly"));
        assert.deepEqual(
            anomaly.map((a) => a.inputs.metricQueries[1].expression),
            ["ANOMALY_DETECTION_BAND(m, 3)", "ANOMALY_DETECTION_BAND(m, 3)"],
        );
    });

    it("subscribes to failover, maintenance, low storage and backup events on the instance", () => {
        const sub = run
            .ofType("aws:rds/eventSubscription:EventSubscription")
            .find((e) => e.name === "metacortex-prod-monitoring-events")!.inputs;
        assert.deepEqual(
            [sub.sourceType, sub.sourceIds, sub.eventCategories],
            ["db-instance", ["metacortex-prod"], [...EVENT_CATEGORIES]],
        );
        for (const c of ["failover", "maintenance", "low storage", "backup"])
            assert.ok(sub.eventCategories.includes(c), c);
    });

    it("keeps the exported logs with retention and KMS, created before the instance, with metric filters and saved queries", () => {
        const groups = run
            .ofType("aws:cloudwatch/logGroup:LogGroup")
            .filter((g) => String(g.inputs.name ?? "").startsWith("/aws/rds/instance/metacortex-prod/"));
        assert.deepEqual(groups.map((g) => g.inputs.name).sort(), [
            "/aws/rds/instance/metacortex-prod/postgresql",
            "/aws/rds/instance/metacortex-prod/upgrade",
        ]);
        for (const g of groups)
            assert.deepEqual([g.inputs.retentionInDays, g.inputs.kmsKeyId], [90, run.outputs.kmsKeyArn]);
        const filters = run
            .ofType("aws:cloudwatch/logMetricFilter:LogMetricFilter")
            .map((f) => [f.inputs.metricTransformation.name, f.inputs.pattern, f.inputs.logGroupName]);
        assert.deepEqual(filters.map((f) => f[0]).sort(), Object.keys(LOG_METRIC_FILTERS).sort());
        for (const f of filters) assert.equal(f[2], "/aws/rds/instance/metacortex-prod/postgresql");
        const queries = run
            .ofType("aws:cloudwatch/queryDefinition:QueryDefinition")
            .map((q) => q.inputs.name)
            .sort();
        assert.deepEqual(
            queries,
            Object.keys(LOG_QUERIES)
                .map((k) => `metacortex-prod/${k}`)
                .sort(),
        );
        const keyPolicy = JSON.parse(
            run.ofType("aws:kms/key:Key").find((k) => k.name === "metacortex-prod-aws-kms-key")!.inputs.policy,
        );
        assert.deepEqual(keyPolicy.Statement[1].Principal.Service, [
            "logs.eu-west-1.amazonaws.com",
            "cloudwatch.amazonaws.com",
            "events.rds.amazonaws.com",
        ]);
    });

    it("draws PgBouncer's exporter metrics, found by SEARCH in its namespace, with its share of the budget", () => {
        const widgets = JSON.parse(run.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody).widgets as any[];
        const pgb = widgets.filter((w) => w.properties.title.startsWith("PgBouncer:"));
        assert.equal(pgb.length, 4);
        const expressions = pgb.flatMap((w) => w.properties.metrics.map((m: any) => m.expression));
        for (const e of expressions) {
            const metric = /MetricName="([a-z_]+)"/.exec(e)![1];
            assert.ok((PGBOUNCER_METRICS as readonly string[]).includes(metric), metric);
            assert.match(e, /Namespace="metacortex-db"/);
        }
        assert.equal(
            pgbouncerSearch("pgbouncer_up", "ns", "Sum"),
            `SEARCH('{ContainerInsights/Prometheus,ClusterName,Namespace} MetricName="pgbouncer_up" Namespace="ns"', 'Sum', 60)`,
        );
        const servers = pgb.find((w) => w.properties.title.includes("server connections"));
        // Both databases: 2 PgBouncer replicas x (193 on the primary + 193 on the read replica).
        assert.deepEqual(servers.properties.annotations.horizontal, [
            { label: "max_db_connections x replicas", value: 772 },
        ]);
    });

    it("publishes the dashboard, and runs the health check every 5 minutes as the monitor role", () => {
        const dash = run.one("aws:cloudwatch/dashboard:Dashboard").inputs;
        assert.equal(dash.dashboardName, "metacortex-prod");
        assert.ok(JSON.parse(dash.dashboardBody).widgets.length >= 14);
        const fn = run.ofType("aws:lambda/function:Function").find((f) => f.name.includes("health"))!.inputs;
        assert.equal(
            fn.environment.variables.MONITOR_SECRET_ARN,
            (run.outputs.roleSecretArns as Record<string, string>).monitor,
        );
        assert.equal(
            run.ofType("aws:cloudwatch/eventRule:EventRule").find((r) => r.name.includes("health"))!.inputs
                .scheduleExpression,
            "rate(5 minutes)",
        );
    });
});
