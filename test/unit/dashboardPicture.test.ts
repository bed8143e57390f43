/** The dashboard picture from any widget list, and the metrics the health check publishes: pure, no stack. */
import { strict as assert } from "assert";
import { OWN_METRICS } from "../../postgres/monitoring/dashboard";
import { batches, healthMetrics, healthTarget } from "../../postgres/monitoring/healthMetrics";
import {
    axisNumber,
    labelSides,
    metricLabel,
    renderDashboardSvg,
    wrapTitle,
} from "../../scripts/lib/docs/dashboardSvg";
import { dashboardSection, withDashboardSection } from "../../scripts/lib/docs/dashboardDoc";

const widget = (
    title: string,
    x: number,
    y: number,
    lines: Array<{ label: string; value: number }>,
    metrics: unknown[],
) => ({
    type: "metric",
    x,
    y,
    width: 8,
    height: 6,
    properties: { title, metrics, annotations: { horizontal: lines } },
});

describe("the dashboard picture", () => {
    // Any widgets at all, e.g. a replica's, as another part of the stack may add them.
    const body = {
        widgets: [
            widget(
                "Replica lag (s)",
                0,
                0,
                [{ label: "lag alarm", value: 30 }],
                [["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", "metacortex-prod-replica-1"]],
            ),
            widget("PgBouncer: clients", 8, 0, [], [{ expression: "SEARCH(...)", id: "ca", label: "active" }]),
            widget(
                "Index health & <status>",
                16,
                6,
                [{ label: "fails", value: 2 }],
                [["MetaCortex/Database", "HealthCheckStatus", "DBInstanceIdentifier", "x", "Check", "invalid indexes"]],
            ),
        ],
    };
    const svg = renderDashboardSvg(body, "Dashboard x");

    it("draws each widget where the grid puts it, with its title, legend and lines, escaped", () => {
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="966" height="492" /);
        assert.equal(svg.match(/<svg/g)?.length, 1);
        for (const text of [
            "Replica lag (s)",
            "ReplicaLag",
            "lag alarm 30",
            "active",
            "Index health &amp; &lt;status&gt;",
            "HealthCheckStatus (inva…",
            "fails 2",
        ])
            assert.ok(svg.includes(`>${text}<`), text);
        assert.equal(svg.match(/stroke-dasharray/g)?.length, 2, "one dashed line per threshold");
        assert.equal(svg.match(/>no threshold line</g)?.length, 1);
        assert.match(svg, /<rect x="326" y="6" width="314" height="222"/, "the second widget, 8 columns in");
    });

    it("labels metrics, numbers and titles for people", () => {
        assert.equal(metricLabel(["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "x"]), "CPUUtilization");
        assert.equal(
            metricLabel(["MetaCortex/Database", "HealthCheckStatus", "D", "x", "Check", "c", { label: "bloat" }]),
            "bloat",
        );
        assert.deepEqual(
            [axisNumber(0.99), axisNumber(309), axisNumber(1_717_986_918), axisNumber(20_000)],
            ["0.99", "309", "1.7 G", "20 k"],
        );
        assert.deepEqual(wrapTitle("Health check: partitions premade ahead, rows in default partitions", 20), [
            "Health check:",
            "partitions premade …",
        ]);
        assert.deepEqual(
            labelSides([100, 95, 40]),
            ["left", "right", "right"],
            "the lower of two close labels moves left",
        );
    });

    it("lists every widget and names the ones without a line, between the markers of docs/monitoring.md", () => {
        const section = dashboardSection("metacortex-prod", body.widgets);
        assert.match(section, /^\| Replica lag \(s\) \| ReplicaLag \| lag alarm \(30\) \|$/m);
        assert.match(section, /^No line on 1: PgBouncer: clients\. /m);
        const doc = withDashboardSection("a\n<!-- dashboard:start -->\nold\n<!-- dashboard:end -->\nb\n", section);
        assert.ok(doc.startsWith("a\n<!-- dashboard:start -->\n![") && doc.endsWith("<!-- dashboard:end -->\nb\n"));
        assert.throws(() => withDashboardSection("no markers", section), /lacks the <!-- dashboard:start -->/);
    });
});

describe("what the scheduled health check publishes", () => {
    const checks = [
        {
            check: "cache hit ratio",
            status: "warn" as const,
            value: "97%",
            threshold: "99%",
            metric: { name: "CacheHitRatio", value: 0.97 },
        },
        { check: "invalid indexes", status: "fail" as const, value: "app.x_idx", threshold: "none" },
    ];
    const data = healthMetrics(
        checks,
        { DBInstanceIdentifier: "metacortex-prod" },
        new Date("2026-11-26T11:55:00Z"),
        new Date("2026-11-26T12:00:00Z"),
    );

    it("publishes each check: its value where it has one, its status always, RPO freshness and the failing count", () => {
        assert.deepEqual(
            data.map((d) => [d.name, d.value, d.dimensions.Check ?? ""]),
            [
                ["CacheHitRatio", 0.97, ""],
                ["HealthCheckStatus", 1, "cache hit ratio"],
                ["HealthCheckStatus", 2, "invalid indexes"],
                ["SecondsSinceLatestRestorableTime", 300, ""],
                ["HealthChecksFailing", 1, ""],
            ],
        );
        assert.ok(data.every((d) => d.dimensions.DBInstanceIdentifier === "metacortex-prod"));
        assert.ok(
            data.every((d) => (OWN_METRICS.health as readonly string[]).includes(d.name)),
            "the dashboard knows each",
        );
        assert.equal(
            healthMetrics([], { DBInstanceIdentifier: "x" }, undefined, new Date()).find(
                (d) => d.name === "SecondsSinceLatestRestorableTime",
            )?.value,
            1e9,
        );
    });

    it("publishes an Aurora cluster's checks under DBClusterIdentifier, and refuses to run with no target", () => {
        const target = healthTarget("metacortex-prod", "ignored-instance");
        const cluster = healthMetrics(checks, target, undefined, new Date());
        assert.ok(cluster.every((d) => d.dimensions.DBClusterIdentifier === "metacortex-prod"));
        assert.ok(cluster.every((d) => !("DBInstanceIdentifier" in d.dimensions)));
        assert.deepEqual(healthTarget(undefined, "metacortex-prod"), { DBInstanceIdentifier: "metacortex-prod" });
        assert.throws(() => healthTarget(undefined, undefined), /neither DB_CLUSTER_ID nor DB_INSTANCE_ID/);
    });

    it("sends them in batches PutMetricData accepts", () => {
        assert.deepEqual(batches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    });
});
