/** The dashboard's picture and widget table in the docs are rendered from the body the prod stack deploys. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { deployedDashboard, STACK_DOCS } from "../../scripts/lib/docs/dashboardDoc";
import { alarmThresholds } from "../../postgres/monitoring/thresholds";
import { ROOT, sharedStackRun } from "../harness/stack";

describe("the dashboard in the docs", function () {
    this.timeout(60_000);
    for (const file of Object.keys(STACK_DOCS))
        it(`${file} is current (run \`npm run docs\` after changing the dashboard)`, async () => {
            const committed = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.ok(
                committed === STACK_DOCS[file](await sharedStackRun("prod")),
                `${file} is stale: run npm run docs`,
            );
        });

    for (const stack of ["prod", "prod-aurora"])
        it(`${stack}: draws every alarm whose metric is on the dashboard as a line on that metric's widget`, async () => {
            await everyAlarmDrawn(stack);
        });

    it("shows the health check's own view next to RDS's: cache hit ratio, xid age, dead tuples, bloat, partitions, cron", async () => {
        const names = deployedDashboard(await sharedStackRun("prod")).widgets.flatMap((w) =>
            w.properties.metrics.flat(),
        );
        for (const m of [
            "CacheHitRatio",
            "MaxTransactionIdAge",
            "DeadTupleRatioHotTables",
            "index bloat (estimate)",
            "DefaultPartitionRows",
            "PartitionsPremadeAhead",
            "CronJobsFailing",
            "RoleSettingDrift",
        ])
            assert.ok(names.includes(m), m);
        const t = alarmThresholds("db.r6g.large", 100);
        assert.deepEqual(
            [t.deadTuples.threshold, t.partitionsPremade.threshold],
            [0.2, 3],
            "the two new alarms that page",
        );
    });
});

/** Every alarm whose metric a widget of the stack's dashboard draws has its threshold as a line on that widget. */
async function everyAlarmDrawn(stack: string): Promise<void> {
    const run = await sharedStackRun(stack);
    const { widgets } = deployedDashboard(run);
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.metricName);
    const missing: string[] = [];
    for (const a of alarms) {
        const holding = widgets.filter((w) =>
            w.properties.metrics.some((m) => Array.isArray(m) && m.includes(a.inputs.metricName)),
        );
        if (holding.length === 0) continue;
        const drawn = holding.some((w) =>
            (w.properties.annotations?.horizontal ?? []).some((l) => l.value === a.inputs.threshold),
        );
        if (!drawn) missing.push(`${a.name}: ${a.inputs.metricName} ${a.inputs.threshold}`);
    }
    assert.deepEqual(missing, []);
    assert.ok(alarms.length >= 20, `${alarms.length} alarms`);
}
