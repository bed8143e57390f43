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
import { ParameterGroup } from "../../components/aws/parameterGroup";
import { RdsInstance, type RdsInstanceArgs } from "../../components/aws/rdsInstance";
import { VpcFunction, type VpcFunctionArgs } from "../../components/aws/vpcFunction";
import { PostgresContainer, type PostgresContainerArgs } from "../../components/docker/postgresContainer";
import { Pgbouncer, type PgbouncerArgs } from "../../components/kubernetes/pgbouncer";
import { failStack } from "../harness/stack";

/** Asserts that `build` throws a ResourceError for a `type` resource, with exactly `message`. */
function refuses(build: () => unknown, type: new (...args: any[]) => pulumi.Resource, message: string): void {
    assert.throws(build, (error: unknown) => {
        assert.ok(pulumi.ResourceError.isInstance(error), `expected a ResourceError, got ${error}`);
        assert.ok(error.resource instanceof type, `the error names the ${type.name} it comes from`);
        assert.equal(error.message, message);
        return true;
    });
}

const tags = { project: "metacortex" };
let seq = 0;
/** A fresh resource name per construction (mocks refuse none, but names stay readable in failures). */
const name = (base: string) => `${base}-${++seq}`;

describe("component guards under mocks", () => {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => ({
                    id: `${args.name}-id`,
                    state: { ...args.inputs, arn: `arn:aws:mock:${args.name}` },
                }),
                call: (args) => ({ accountId: "123456789012", partition: "aws", name: "eu-west-1", id: args.token }),
            },
            "metacortex-db",
            "guards",
            false,
        );
    });
    // Every registration started here reaches the mock monitor before the next file's tests set their own mocks.
    after(() => (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs());

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

    describe("PostgresContainer", () => {
        const container = (image: string): PostgresContainerArgs => ({
            image,
            databaseName: "metacortex",
            adminUser: "metacortex_admin",
            adminPassword: "not-a-secret",
            postgresqlConf: "",
            pgHbaConf: "",
            caCertPem: "",
            serverCertPem: "",
            serverKeyPem: "",
            hostPort: 5432,
            networkSubnet: "172.30.57.0/24",
            memoryBytes: 4 * 1024 ** 3,
            labels: tags,
        });

        it("fails when the image is not pinned to a minor version (latest, a bare 15, no tag)", () => {
            for (const image of ["postgres:latest", "postgres:15", "postgres"]) {
                const n = name("pg");
                refuses(
                    () => new PostgresContainer(n, container(image)),
                    PostgresContainer,
                    `PostgresContainer ${n}: image must be pinned to a minor version, got ${image}`,
                );
            }
        });

        it("accepts postgres:15.18-bookworm", () => {
            new PostgresContainer(name("pg"), container("postgres:15.18-bookworm"));
        });
    });

    describe("ParameterGroup, Pgbouncer and VpcFunction", () => {
        it("ParameterGroup fails when a parameter is given twice", () => {
            const n = name("params");
            const p = { name: "work_mem", value: "4096", applyMethod: "immediate" as const };
            refuses(
                () => new ParameterGroup(n, { family: "postgres15", parameters: [p, p], tags }),
                ParameterGroup,
                `ParameterGroup ${n}: parameter work_mem is given twice`,
            );
        });

        it("Pgbouncer fails when it is sized for no replica", () => {
            const n = name("pgbouncer");
            const args: PgbouncerArgs = {
                namespace: "db",
                appNamespace: "app",
                image: "ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
                version: { major: 1, minor: 23 },
                sizing: { replicas: 0, perReplica: 10, poolSize: {}, total: 0 },
                database: { name: "metacortex", host: "db.example", port: 5432 },
                serverCaPem: "",
                verifiers: {},
                labels: {},
            };
            refuses(
                () => new Pgbouncer(n, args),
                Pgbouncer,
                `Pgbouncer ${n}: sizing.replicas must be at least 1, got 0`,
            );
        });

        it("VpcFunction fails when its code lacks the handler's module", () => {
            const n = name("fn");
            const args: VpcFunctionArgs = {
                vpcId: "vpc-0a1b2c3d",
                subnetIds: ["subnet-0a1b2c3d"],
                databaseSecurityGroupId: "sg-0a1b2c3d",
                port: 5432,
                kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
                secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s",
                description: "test",
                code: { sources: { "lib/other.ts": "export {};" }, packages: {} },
                handler: "lib/handler.handler",
                statements: [],
                environment: {},
                tags,
            };
            refuses(
                () => new VpcFunction(n, args),
                VpcFunction,
                `VpcFunction ${n}: handler lib/handler.handler needs lib/handler.ts, ` +
                    "which is not among the code's sources (lib/other.ts)",
            );
        });
    });
});

describe("MetacortexDatabase guards, through the program", () => {
    it("fails when prod's PgBouncer needs the RDS CA bundle and admin.caPath has none", async () => {
        const missing = "/nonexistent/metacortex/rds-global-bundle.pem";
        const { error, registered } = await failStack("prod", { adminCaPath: missing });
        assert.ok(pulumi.ResourceError.isInstance(error), `expected a ResourceError, got ${error}`);
        assert.equal(
            error.message,
            "MetacortexDatabase metacortex-prod: PgBouncer verifies RDS's certificate against " +
                `admin.caPath ${missing}, which does not exist: curl -o ${missing} ` +
                "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem " +
                "(or point admin.caPath at the bundle)",
        );
        assert.ok(registered > 0, "the database itself was declared before PgBouncer was refused");
    });
});
