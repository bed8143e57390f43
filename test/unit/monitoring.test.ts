/** Alarm thresholds and the dashboard body: pure functions of the instance class and storage. */
import { strict as assert } from "assert";
import { dashboardBody, OWN_METRICS, RDS_INSTANCE_METRICS } from "../../postgres/monitoring/dashboard";
import { alarmThresholds } from "../../postgres/monitoring/thresholds";
import { instanceClass } from "../../postgres/instanceClasses";
import { sizeFor } from "../../postgres/settings/sizing";

describe("alarm thresholds (pure)", () => {
    it("follow the instance class and storage, not constants", () => {
        const large = alarmThresholds("db.r6g.large", 100);
        const big = alarmThresholds("db.r6g.4xlarge", 1000);
        assert.equal(large.freeableMemory.threshold, Math.round(16 * 2 ** 30 * 0.1));
        assert.equal(big.freeableMemory.threshold, Math.round(128 * 2 ** 30 * 0.1));
        assert.equal(large.freeStorage.threshold, Math.round(100 * 2 ** 30 * 0.15));
        assert.equal(
            large.connections.threshold,
            Math.floor(sizeFor(instanceClass("db.r6g.large")).connectionBudget * 0.8),
        );
        assert.equal(big.diskQueueDepth.threshold, 64);
        assert.equal(alarmThresholds("db.t4g.medium", 20).cpu.threshold, 70, "burstable classes alarm earlier");
        assert.equal(large.cpu.threshold, 80);
    });
});

describe("dashboard body (pure)", () => {
    const t = alarmThresholds("db.r6g.large", 100);
    const body = dashboardBody({
        instanceId: "metacortex-prod",
        region: "eu-west-1",
        thresholds: t,
        maxConnections: 400,
        connectionBudget: 387,
    });
    const widgets = body.widgets as Array<{
        properties: { title: string; metrics: unknown[][]; annotations: { horizontal: Array<{ value: number }> } };
    }>;

    it("survives JSON as it is: no undefined, NaN or Infinity that JSON would drop or turn into null", () => {
        assert.ok(widgets.length >= 14);
        assert.deepEqual(JSON.parse(JSON.stringify(body)), body);
    });

    it("names only metrics RDS publishes for an instance, each on this instance, or our own", () => {
        for (const w of widgets) {
            for (const m of w.properties.metrics) {
                if (m[0] === "AWS/RDS") {
                    assert.ok(
                        (RDS_INSTANCE_METRICS as readonly string[]).includes(m[1] as string),
                        `${m[1]} is an RDS metric`,
                    );
                    assert.deepEqual(m.slice(2, 4), ["DBInstanceIdentifier", "metacortex-prod"]);
                } else {
                    assert.equal(m[0], "MetaCortex/Database");
                    assert.ok(
                        [...OWN_METRICS.logs, ...OWN_METRICS.health].includes(m[1] as never),
                        `${m[1]} is one of ours`,
                    );
                }
            }
        }
    });

    it("covers CPU, memory, connections, IOPS, latency, throughput, queue, storage, xid, WAL, network, logs and health", () => {
        const metrics = new Set(widgets.flatMap((w) => w.properties.metrics.map((m) => m[1])));
        for (const m of [
            "CPUUtilization",
            "FreeableMemory",
            "SwapUsage",
            "DatabaseConnections",
            "ReadIOPS",
            "WriteIOPS",
            "ReadLatency",
            "WriteLatency",
            "ReadThroughput",
            "WriteThroughput",
            "DiskQueueDepth",
            "FreeStorageSpace",
            "MaximumUsedTransactionIDs",
            "TransactionLogsDiskUsage",
            "OldestReplicationSlotLag",
            "NetworkReceiveThroughput",
            "NetworkTransmitThroughput",
            ...OWN_METRICS.logs,
            "LongestTransactionSeconds",
            "SecondsSinceLatestRestorableTime",
        ]) {
            assert.ok(metrics.has(m), m);
        }
    });

    it("draws each alarm threshold as an annotation on its widget", () => {
        const annotated = (title: RegExp) =>
            widgets.find((w) => title.test(w.properties.title))!.properties.annotations.horizontal.map((a) => a.value);
        assert.ok(annotated(/^CPU/).includes(t.cpu.threshold));
        assert.ok(
            annotated(/^Connections/).includes(t.connections.threshold) && annotated(/^Connections/).includes(387),
        );
        assert.ok(annotated(/^Free storage/).includes(t.freeStorage.threshold));
        assert.ok(annotated(/^Transaction ID age/).includes(t.transactionIds.threshold));
        assert.ok(annotated(/^Disk queue/).includes(t.diskQueueDepth.threshold));
    });
});
