/** Read replicas' alarm thresholds and dashboard widgets: pure functions of their class, storage and lag threshold. */
import { strict as assert } from "assert";
import { dashboardBody } from "../../postgres/monitoring/dashboard";
import {
    MIN_REPLICA_LAG_ALARM_SECONDS,
    REPLICA_ALARM_KEYS,
    replicaThresholds,
    replicaWidgets,
} from "../../postgres/monitoring/replicas";
import { alarmThresholds } from "../../postgres/monitoring/thresholds";

describe("replica alarm thresholds (pure)", () => {
    it("alarm on ReplicaLag above the configured seconds, at its maximum, for 5 one-minute periods", () => {
        const t = replicaThresholds("db.r6g.large", 100, 60).replicaLag;
        assert.deepEqual(
            [t.metric, t.namespace, t.statistic, t.comparison, t.threshold, t.periods, t.periodSeconds, t.dimensions],
            ["ReplicaLag", "AWS/RDS", "Maximum", "GreaterThanThreshold", 60, 5, 60, "instance"],
        );
        assert.match(t.description, /promoting it would lose that much/);
    });

    it("take the primary's machine and storage alarms for the replica's own class, and none of the primary's data alarms", () => {
        const replica = replicaThresholds("db.r6g.xlarge", 100, 60);
        const own = alarmThresholds("db.r6g.xlarge", 100);
        assert.deepEqual(Object.keys(replica), ["replicaLag", ...REPLICA_ALARM_KEYS]);
        for (const k of REPLICA_ALARM_KEYS) assert.deepEqual(replica[k], own[k], k);
        for (const k of ["transactionIds", "replicationSlotLag", "rpoFreshness", "deadlocks"])
            assert.ok(!(k in replica), `${k} is the primary's alarm`);
    });

    it("refuse a lag threshold under max_standby_streaming_delay (30 s), which replay may wait for by design", () => {
        assert.equal(MIN_REPLICA_LAG_ALARM_SECONDS, 30);
        assert.doesNotThrow(() => replicaThresholds("db.r6g.large", 100, 30));
        assert.throws(() => replicaThresholds("db.r6g.large", 100, 29), /under 30 s .* got 29/);
    });
});

describe("replica dashboard widgets (pure)", () => {
    const panel = {
        replicas: [{ id: "metacortex-prod-replica-1" }, { id: "metacortex-prod-dr", region: "eu-central-1" }],
        lagSeconds: 60,
        connectionBudget: 387,
    };

    it("draw lag, CPU and connections, a line per replica, the cross-region one from its own region", () => {
        const widgets = replicaWidgets(panel);
        assert.deepEqual(
            widgets.map((w) => w.title),
            ["Replicas: lag (s)", "Replicas: CPU (%)", "Replicas: connections against the budget"],
        );
        assert.deepEqual(widgets[0].metrics, [
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
        assert.deepEqual(widgets[0].annotations, [{ label: "60 s lag", value: 60 }]);
        assert.deepEqual(widgets[2].annotations, [{ label: "budget", value: 387 }]);
    });

    it("add nothing without replicas, and follow the primary's widgets on the dashboard", () => {
        assert.deepEqual(replicaWidgets({ ...panel, replicas: [] }), []);
        const input = {
            instanceId: "metacortex-prod",
            region: "eu-west-1",
            thresholds: alarmThresholds("db.r6g.large", 100),
            maxConnections: 400,
            connectionBudget: 387,
        };
        const without = dashboardBody(input).widgets as any[];
        const withReplicas = dashboardBody({ ...input, replicas: panel }).widgets as any[];
        assert.equal(withReplicas.length, without.length + 3);
        const lag = withReplicas[without.length];
        assert.equal(lag.properties.title, "Replicas: lag (s)");
        assert.equal(lag.properties.region, "eu-west-1");
        assert.ok(JSON.stringify(withReplicas).includes('"DBInstanceIdentifier","metacortex-prod-dr"'));
    });
});
