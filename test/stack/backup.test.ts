/** prod backup and recovery under mocks: vaults, plan, DR copy, restore testing and its validation function, PITR. */
import { strict as assert } from "assert";
import { failStack, primaryInstance, runStack, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    vault: "aws:backup/vault:Vault",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    rtPlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    rtSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    fn: "aws:lambda/function:Function",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    permission: "aws:lambda/permission:Permission",
};

describe("prod backup and recovery (AWS) under mocks", () => {
    let run: StackRun;
    let instanceArn: string;
    const byName = (type: string, part: string) => run.ofType(type).find((r) => r.name.includes(part))!;
    before(async () => {
        run = await sharedStackRun("prod");
        instanceArn = "arn:aws:rds:eu-west-1:123456789012:db:metacortex-prod";
    });

    it("keeps RDS automated backups (PITR) for the configured retention, windows apart", () => {
        const db = primaryInstance(run).inputs;
        assert.deepEqual(
            [db.backupRetentionPeriod, db.backupWindow, db.maintenanceWindow],
            [14, "03:00-03:30", "sun:04:00-sun:05:00"],
        );
    });

    it("has a vault encrypted with the CMK and locked in governance mode with retention bounds", () => {
        const vault = byName(T.vault, "backup-vault-vault").inputs;
        assert.equal(vault.kmsKeyArn, run.outputs.kmsKeyArn);
        const locks = run.ofType(T.lock);
        assert.equal(locks.length, 2, "primary and DR vaults are both locked");
        for (const l of locks)
            assert.deepEqual(
                [l.inputs.minRetentionDays, l.inputs.maxRetentionDays, l.inputs.changeableForDays],
                [7, 35, undefined],
            );
    });

    it("copies daily snapshots to a vault in another region, encrypted with that region's own key", () => {
        const provider = run.ofType("pulumi:providers:aws").find((p) => p.name.includes("dr-region"))!;
        assert.equal(provider.inputs.region, "eu-central-1");
        const drKey = run.ofType("aws:kms/key:Key").find((k) => k.name.includes("dr-kms"))!;
        assert.equal(drKey.inputs.enableKeyRotation, true);
        const drVault = byName(T.vault, "dr-vault");
        assert.notEqual(drVault.inputs.kmsKeyArn, run.outputs.kmsKeyArn);
        assert.match(drVault.inputs.kmsKeyArn, /^arn:aws:kms:/);
        const daily = run.one(T.plan).inputs.rules.find((r: any) => r.ruleName === "daily-snapshot");
        assert.equal(daily.copyActions[0].destinationVaultArn, run.outputs.drBackupVaultArn);
        assert.equal(daily.copyActions[0].lifecycle.deleteAfter, 35);
    });

    it("plans continuous backup (PITR) and daily snapshots with per-environment retention, covering the instance", () => {
        const rules = run.one(T.plan).inputs.rules;
        const continuous = rules.find((r: any) => r.ruleName === "continuous-pitr");
        assert.deepEqual([continuous.enableContinuousBackup, continuous.lifecycle.deleteAfter], [true, 35]);
        const daily = rules.find((r: any) => r.ruleName === "daily-snapshot");
        assert.deepEqual([daily.schedule, daily.lifecycle.deleteAfter], ["cron(0 5 ? * * *)", 35]);
        assert.deepEqual(run.one(T.selection).inputs.resources, [instanceArn]);
    });

    it("restore-tests both continuous and snapshot recovery points on a schedule, with a validation window", () => {
        const plan = run.one(T.rtPlan).inputs;
        assert.deepEqual(plan.recoveryPointSelection.recoveryPointTypes, ["CONTINUOUS", "SNAPSHOT"]);
        assert.deepEqual(plan.recoveryPointSelection.includeVaults, [run.outputs.backupVaultArn]);
        assert.equal(plan.scheduleExpression, "cron(0 6 ? * MON *)");
        const sel = run.one(T.rtSelection).inputs;
        assert.deepEqual(
            [sel.protectedResourceType, sel.protectedResourceArns, sel.validationWindowHours],
            ["RDS", [instanceArn], 4],
        );
        assert.deepEqual(
            [
                sel.restoreMetadataOverrides.PubliclyAccessible,
                JSON.parse(sel.restoreMetadataOverrides.VpcSecurityGroupIds),
            ],
            ["false", ["metacortex-prod-aws-net-sg-id"]],
        );
    });

    it("validates completed restores with a VPC function that reads only the migrator's secret", () => {
        const fn = byName(T.fn, "restore-test-validator").inputs;
        assert.deepEqual(
            [fn.runtime, fn.handler, fn.timeout],
            ["nodejs20.x", "components/aws/lambda/restoreValidationHandler.handler", 300],
        );
        assert.deepEqual(fn.vpcConfig.subnetIds, [
            "subnet-0a1b2c3d4e5f60711",
            "subnet-0a1b2c3d4e5f60722",
            "subnet-0a1b2c3d4e5f60733",
        ]);
        const secretArn = (run.outputs.roleSecretArns as Record<string, string>).migrator;
        assert.equal(fn.environment.variables.VALIDATION_SECRET_ARN, secretArn);
        assert.equal(
            fn.environment.variables.NODE_EXTRA_CA_CERTS,
            "/var/runtime/ca-cert.pem",
            "RDS CAs for verify-full",
        );
        const policy = JSON.parse(byName("aws:iam/rolePolicy:RolePolicy", "restore-test-validator").inputs.policy);
        assert.deepEqual(
            policy.Statement.find((s: any) => s.Action === "secretsmanager:GetSecretValue").Resource,
            secretArn,
        );
        const rule = JSON.parse(byName(T.rule, "restore-completed").inputs.eventPattern);
        assert.deepEqual(rule, {
            source: ["aws.backup"],
            "detail-type": ["Restore Job State Change"],
            detail: { status: ["COMPLETED"], resourceType: ["RDS"] },
        });
        assert.match(byName(T.target, "restore-completed").inputs.arn, /restore-test-validator/);
        assert.equal(byName(T.permission, "restore-completed").inputs.principal, "events.amazonaws.com");
        const sg = run.ofType("aws:ec2/securityGroup:SecurityGroup").find((g) => g.name.includes("validator"))!.inputs;
        assert.deepEqual(sg.ingress, []);
        assert.ok(
            sg.egress.every((e: any) => e.fromPort !== 5432 || !e.cidrBlocks),
            "PostgreSQL egress only to the database's security group",
        );
    });

    it("creates an instance by point-in-time restore when config asks for it (declarative PITR)", async () => {
        const restored = await runStack("prod", {
            restore: JSON.stringify({ sourceInstance: "metacortex-prod", pointInTime: "2026-11-24T09:30:00Z" }),
        });
        const db = primaryInstance(restored).inputs;
        assert.deepEqual(db.restoreToPointInTime, {
            sourceDbInstanceIdentifier: "metacortex-prod",
            restoreTime: "2026-11-24T09:30:00Z",
        });
        assert.equal(db.identifier, "metacortex-prod-pitr-202611240930");
        assert.equal(db.dbName, undefined);
        const latest = await runStack("prod", {
            restore: JSON.stringify({ sourceInstance: "metacortex-prod", pointInTime: "latest" }),
        });
        assert.deepEqual(primaryInstance(latest).inputs.restoreToPointInTime, {
            sourceDbInstanceIdentifier: "metacortex-prod",
            useLatestRestorableTime: true,
        });
    });

    it("refuses an unlocked vault in prod, a DR region equal to the stack's, and a malformed restore", async () => {
        for (const [overrides, message] of [
            [{ backupVaultLock: "none" }, /backupVaultLock = "none": governance or compliance in prod/],
            [
                { backupDrRegion: "eu-west-1" },
                /backupDrRegion = "eu-west-1": a region other than the stack's \(eu-west-1\)/,
            ],
            [
                { restore: JSON.stringify({ sourceInstance: "metacortex-prod", pointInTime: "yesterday" }) },
                /restore = "yesterday": pointInTime: an ISO 8601 UTC time/,
            ],
        ] as const) {
            const { error, registered } = await failStack("prod", overrides as Record<string, string>);
            assert.match(error.message, message);
            assert.equal(registered, 0);
        }
    });
});
