import * as assert from "assert";
import * as backup from "../../policies/backup";
import * as monitoring from "../../policies/monitoring";
import { check, checkStack, resource } from "./harness";
import { alarm, instance, plan, TYPES, vault } from "./fixtures";

const DB_ARN = instance().arn;
const stackOf = (extra: ReturnType<typeof resource>[] = []) => [resource(TYPES.instance, "db", instance()), ...extra];
const selection = (arns = [DB_ARN]) => resource(TYPES.selection, "selection", { resources: arns });
const restore = () => [
    resource(TYPES.restorePlan, "restore-plan", {}),
    resource(TYPES.restoreSelection, "restore-selection", {
        protectedResourceType: "RDS",
        protectedResourceArns: [DB_ARN],
    }),
];

describe("policies: backup", () => {
    describe(backup.backupVaultEncrypted.name, () => {
        it("passes a vault on a CMK", async () =>
            assert.deepEqual(await check(backup.backupVaultEncrypted, TYPES.vault, vault()), []));
        it("fails on the AWS-managed backup key", async () =>
            assert.deepEqual(
                await check(backup.backupVaultEncrypted, TYPES.vault, { ...vault(), kmsKeyArn: undefined }),
                ["kmsKeyArn must be a customer-managed KMS key ARN, got none (the AWS-managed backup key)."],
            ));
        it("fails when force destroy is on", async () =>
            assert.deepEqual(
                await check(backup.backupVaultEncrypted, TYPES.vault, { ...vault(), forceDestroy: true }),
                ["forceDestroy must be false: deleting the vault must not delete its recovery points."],
            ));
    });
    describe(backup.backupPlanRetention.name, () => {
        it("passes 35-day rules and copies", async () =>
            assert.deepEqual(await check(backup.backupPlanRetention, TYPES.plan, plan(), { minDays: 14 }), []));
        it("fails on a 3-day rule", async () => {
            const p = plan();
            p.rules[0].lifecycle.deleteAfter = 3;
            assert.deepEqual(await check(backup.backupPlanRetention, TYPES.plan, p, { minDays: 14 }), [
                "rule continuous-pitr keeps recovery points 3 days; at least 14 required.",
            ]);
        });
        it("fails on a short-lived DR copy", async () => {
            const p = plan();
            p.rules[1].copyActions[0].lifecycle.deleteAfter = 7;
            assert.deepEqual(await check(backup.backupPlanRetention, TYPES.plan, p, { minDays: 14 }), [
                "rule daily-snapshot copies to arn:aws:backup:eu-central-1:123456789012:backup-vault:dr for 7 days; at least 14 required.",
            ]);
        });
    });
    describe(backup.backupDatabaseInPlan.name, () => {
        it("passes when a selection names the instance", async () =>
            assert.deepEqual(await checkStack(backup.backupDatabaseInPlan, stackOf([selection()])), []));
        it("fails when the instance is in no selection", async () =>
            assert.deepEqual(
                await checkStack(
                    backup.backupDatabaseInPlan,
                    stackOf([selection(["arn:aws:rds:eu-west-1:123456789012:db:other"])]),
                ),
                ["RDS instance db is in no backup selection."],
            ));
        it("does not apply without RDS", async () =>
            assert.equal(await checkStack(backup.backupDatabaseInPlan, [selection()]), "n/a"));
    });
    describe(backup.backupRestoreTesting.name, () => {
        it("passes with a plan and a selection of the instance", async () =>
            assert.deepEqual(await checkStack(backup.backupRestoreTesting, stackOf(restore())), []));
        it("fails without a restore testing plan", async () =>
            assert.deepEqual(await checkStack(backup.backupRestoreTesting, stackOf()), [
                "RDS instance db has no restore testing plan.",
            ]));
        it("fails when the selection names another resource", async () => {
            const [p] = restore();
            const other = resource(TYPES.restoreSelection, "restore-selection", {
                protectedResourceType: "RDS",
                protectedResourceArns: ["arn:aws:rds:eu-west-1:123456789012:db:other"],
            });
            assert.deepEqual(await checkStack(backup.backupRestoreTesting, stackOf([p, other])), [
                "RDS instance db is in no restore testing selection.",
            ]);
        });
        it("not required by the stack's config", async () =>
            assert.equal(await checkStack(backup.backupRestoreTesting, stackOf(), { required: false }), "n/a"));
    });
});

describe("policies: monitoring", () => {
    const dashboard = resource(TYPES.dashboard, "dashboard", {
        dashboardBody: JSON.stringify({
            widgets: [
                { properties: { metrics: [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "metacortex-prod"]] } },
            ],
        }),
    });
    const alarms = (n: number) => Array.from({ length: n }, (_, i) => resource(TYPES.alarm, `alarm-${i}`, alarm()));
    describe(monitoring.alarmHasActions.name, () => {
        it("passes an alarm notifying the topic", async () =>
            assert.deepEqual(await check(monitoring.alarmHasActions, TYPES.alarm, alarm()), []));
        it("fails on an alarm without actions", async () =>
            assert.deepEqual(await check(monitoring.alarmHasActions, TYPES.alarm, { ...alarm(), alarmActions: [] }), [
                "alarmActions must name at least one action (the alarm topic).",
            ]));
        it("fails when actions are disabled", async () =>
            assert.deepEqual(
                await check(monitoring.alarmHasActions, TYPES.alarm, { ...alarm(), actionsEnabled: false }),
                ["actionsEnabled must not be false."],
            ));
    });
    describe(monitoring.monitoringForDatabase.name, () => {
        it("passes with a dashboard and 5 alarms", async () =>
            assert.deepEqual(
                await checkStack(monitoring.monitoringForDatabase, stackOf([dashboard, ...alarms(5)])),
                [],
            ));
        it("fails without a dashboard", async () =>
            assert.deepEqual(await checkStack(monitoring.monitoringForDatabase, stackOf(alarms(5))), [
                "RDS instance metacortex-prod is on no dashboard.",
            ]));
        it("fails on too few alarms", async () =>
            assert.deepEqual(
                await checkStack(monitoring.monitoringForDatabase, stackOf([dashboard, ...alarms(9)]), {
                    minAlarms: 10,
                }),
                ["RDS instance metacortex-prod has 9 alarms on its metrics; at least 10 required."],
            ));
        it("fails when the alarms watch another instance", async () => {
            const elsewhere = alarms(5).map((a) => ({
                ...a,
                state: { ...a.state, dimensions: { DBInstanceIdentifier: "other" } },
            }));
            assert.deepEqual(await checkStack(monitoring.monitoringForDatabase, stackOf([dashboard, ...elsewhere])), [
                "RDS instance metacortex-prod has 0 alarms on its metrics; at least 5 required.",
            ]);
        });
    });
});
