/**
 * Each component's own guards, under Pulumi's mocks: the component is built directly with one argument out of range,
 * and must refuse it with a ResourceError that names it, before creating anything. Each refusal has a control that
 * the bound itself is accepted, so a guard that refuses everything fails too.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlan, type BackupPlanArgs } from "../../components/aws/backupPlan";
import { BackupVault, type BackupVaultArgs } from "../../components/aws/backupVault";
import { DatabaseNetwork, type DatabaseNetworkArgs } from "../../components/aws/databaseNetwork";
import { KmsKey } from "../../components/aws/kmsKey";
import { RdsInstance, type RdsInstanceArgs } from "../../components/aws/rdsInstance";
import { guardMocks, name, refuses, tags } from "../harness/guards";

describe("AWS component guards under mocks", () => {
    guardMocks();

    describe("RdsInstance", () => {
        const rds = (over: Partial<RdsInstanceArgs>): RdsInstanceArgs => ({
            identifier: "metacortex-test",
            instanceClass: "db.t4g.medium",
            engineVersion: "15",
            allocatedStorageGiB: 20,
            maxAllocatedStorageGiB: 100,
            databaseName: "metacortex",
            port: 5432,
            multiAz: false,
            deletionProtection: false,
            backupRetentionDays: 7,
            backupWindow: "03:00-03:30",
            maintenanceWindow: "sun:04:00-sun:05:00",
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
            parameterGroupName: "pg",
            subnetGroupName: "subnets",
            securityGroupIds: ["sg-0a1b2c3d"],
            monitoringRoleArn: "arn:aws:iam::123456789012:role/monitoring",
            tags,
            ...over,
        });

        it("fails when the Enhanced Monitoring interval is one RDS does not offer (7 s)", () => {
            const n = name("rds");
            refuses(
                () => new RdsInstance(n, rds({ monitoringIntervalSeconds: 7 })),
                RdsInstance,
                `RdsInstance ${n}: monitoringIntervalSeconds must be one of 1, 5, 10, 15, 30, 60, got 7`,
            );
        });

        it("fails when Performance Insights retention is not one RDS sells (7, 31 to 713 by months, 731 days)", () => {
            for (const days of [0, 30, 744]) {
                const n = name("rds");
                refuses(
                    () => new RdsInstance(n, rds({ performanceInsightsRetentionDays: days })),
                    RdsInstance,
                    `RdsInstance ${n}: performanceInsightsRetentionDays ` +
                        `must be 7, 731 or a multiple of 31 up to 713, got ${days}`,
                );
            }
        });

        it("accepts 1 s monitoring, and 31, 713 and 731 days of Performance Insights", () => {
            for (const days of [31, 713, 731])
                new RdsInstance(
                    name("rds"),
                    rds({ monitoringIntervalSeconds: 1, performanceInsightsRetentionDays: days }),
                );
        });
    });

    describe("KmsKey", () => {
        it("fails when the deletion window is under 7 or over 30 days", () => {
            for (const days of [6, 31]) {
                const n = name("kms");
                refuses(
                    () => new KmsKey(n, { description: "test", alias: n, deletionWindowInDays: days, tags }),
                    KmsKey,
                    `KmsKey ${n}: deletionWindowInDays must be 7 to 30 days, got ${days}`,
                );
            }
        });

        it("accepts 7 and 30 days", () => {
            for (const days of [7, 30])
                new KmsKey(name("kms"), { description: "test", alias: "a", deletionWindowInDays: days, tags });
        });
    });

    describe("BackupVault", () => {
        const vault = (min: number, max: number): BackupVaultArgs => ({
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
            lock: "governance",
            minRetentionDays: min,
            maxRetentionDays: max,
            tags,
        });

        it("fails when the lock's shortest retention is under a day", () => {
            const n = name("vault");
            refuses(
                () => new BackupVault(n, vault(0, 35)),
                BackupVault,
                `BackupVault ${n}: need 1 <= minRetentionDays (0) <= maxRetentionDays (35)`,
            );
        });

        it("fails when the lock's longest retention is shorter than its shortest", () => {
            const n = name("vault");
            refuses(
                () => new BackupVault(n, vault(14, 7)),
                BackupVault,
                `BackupVault ${n}: need 1 <= minRetentionDays (14) <= maxRetentionDays (7)`,
            );
        });

        it("accepts a one-day lock", () => {
            new BackupVault(name("vault"), vault(1, 1));
        });
    });

    describe("BackupPlan", () => {
        const plan = (continuousRetentionDays: number): BackupPlanArgs => ({
            resourceArn: "arn:aws:rds:eu-west-1:123456789012:db:metacortex-test",
            vaultName: "vault",
            drVaultArn: "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr",
            continuousRetentionDays,
            snapshotRetentionDays: 35,
            tags,
        });

        it("fails when continuous backup would be kept for 0 or more than 35 days", () => {
            for (const days of [0, 36]) {
                const n = name("plan");
                refuses(
                    () => new BackupPlan(n, plan(days)),
                    BackupPlan,
                    `BackupPlan ${n}: continuousRetentionDays must be 1 to 35 days, got ${days}`,
                );
            }
        });

        it("accepts 1 and 35 days", () => {
            for (const days of [1, 35]) new BackupPlan(name("plan"), plan(days));
        });
    });

    describe("DatabaseNetwork", () => {
        const network = (over: Partial<DatabaseNetworkArgs>): DatabaseNetworkArgs => ({
            vpcId: "vpc-0a1b2c3d",
            subnetIds: ["subnet-0a1b2c3d", "subnet-0a1b2c3e"],
            port: 5432,
            allowedCidrs: [],
            allowedSecurityGroupIds: ["sg-0a1b2c3d"],
            tags,
            ...over,
        });

        it("fails when it is given fewer than two subnets", () => {
            const n = name("net");
            refuses(
                () => new DatabaseNetwork(n, network({ subnetIds: ["subnet-0a1b2c3d"] })),
                DatabaseNetwork,
                `DatabaseNetwork ${n}: subnetIds needs at least two subnets in different AZs, got 1 (subnet-0a1b2c3d)`,
            );
        });

        it("fails, naming itself, when an allowed CIDR is the whole internet", () => {
            const n = name("net");
            assert.throws(
                () => new DatabaseNetwork(n, network({ allowedCidrs: ["0.0.0.0/0"] })),
                (error: unknown) =>
                    pulumi.ResourceError.isInstance(error) &&
                    error.resource instanceof DatabaseNetwork &&
                    error.message.startsWith("refusing database ingress from 0.0.0.0/0: "),
            );
        });

        it("accepts two subnets", () => {
            new DatabaseNetwork(name("net"), network({}));
        });
    });
});
