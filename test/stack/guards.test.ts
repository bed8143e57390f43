/**
 * Each component's own guards, under Pulumi's mocks: the component is built directly with one argument out of range,
 * and must refuse it with a ResourceError that names it, before creating anything. Each refusal has a control that
 * the bound itself is accepted, so a guard that refuses everything fails too.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ParameterGroup } from "../../components/aws/parameterGroup";
import { VpcFunction, type VpcFunctionArgs } from "../../components/aws/vpcFunction";
import { PostgresContainer, type PostgresContainerArgs } from "../../components/docker/postgresContainer";
import { Pgbouncer, type PgbouncerArgs } from "../../components/kubernetes/pgbouncer";
import { failStack } from "../harness/stack";
import { guardMocks, name, refuses, tags } from "../harness/guards";

describe("component guards under mocks", () => {
    guardMocks();

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
