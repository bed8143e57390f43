import * as assert from "assert";
import * as k8s from "../../policies/kubernetes";
import { check, checkStack, resource } from "./harness";
import {
    configMap,
    deployment,
    instance,
    parameterGroup,
    PGBOUNCER_INI,
    pgbouncerContainer,
    postgresContainer,
    TYPES,
} from "./fixtures";

const ini = (from: string, to: string) => PGBOUNCER_INI.replace(from, to);

describe("policies: PgBouncer (Kubernetes and Docker)", () => {
    describe(k8s.pgbouncerServerTls.name, () => {
        it("passes verify-full with a CA, in a ConfigMap and in a container upload", async () => {
            assert.deepEqual(await check(k8s.pgbouncerServerTls, TYPES.configMap, configMap()), []);
            assert.deepEqual(await check(k8s.pgbouncerServerTls, TYPES.container, pgbouncerContainer()), []);
        });
        it("fails on require (no certificate check)", async () =>
            assert.deepEqual(
                await check(
                    k8s.pgbouncerServerTls,
                    TYPES.configMap,
                    configMap(ini("server_tls_sslmode = verify-full", "server_tls_sslmode = require")),
                ),
                ["pgbouncer.ini: server_tls_sslmode is require; verify-full required."],
            ));
        it("fails when unset (prefer)", async () =>
            assert.deepEqual(
                await check(
                    k8s.pgbouncerServerTls,
                    TYPES.container,
                    pgbouncerContainer(ini("server_tls_sslmode = verify-full\n", "")),
                ),
                ["/etc/pgbouncer/pgbouncer.ini: server_tls_sslmode is unset (prefer); verify-full required."],
            ));
        it("fails without a CA file", async () =>
            assert.deepEqual(
                await check(
                    k8s.pgbouncerServerTls,
                    TYPES.configMap,
                    configMap(ini("server_tls_ca_file = /etc/pgbouncer/config/server-ca.pem\n", "")),
                ),
                ["pgbouncer.ini: server_tls_ca_file must be set."],
            ));
        it("does not apply to a ConfigMap without pgbouncer.ini", async () =>
            assert.equal(await check(k8s.pgbouncerServerTls, TYPES.configMap, { data: { "other.conf": "x" } }), "n/a"));
    });
    describe(k8s.pgbouncerClientTls.name, () => {
        it("passes require", async () =>
            assert.deepEqual(await check(k8s.pgbouncerClientTls, TYPES.configMap, configMap()), []));
        it("fails on disable", async () =>
            assert.deepEqual(
                await check(
                    k8s.pgbouncerClientTls,
                    TYPES.configMap,
                    configMap(ini("client_tls_sslmode = require", "client_tls_sslmode = disable")),
                ),
                ["pgbouncer.ini: client_tls_sslmode is disable; require or stricter required."],
            ));
    });
    describe(k8s.pgbouncerDeployment.name, () => {
        it("passes the prod Deployment", async () =>
            assert.deepEqual(await check(k8s.pgbouncerDeployment, TYPES.deployment, deployment()), []));
        it("fails on one replica", async () => {
            const d = deployment();
            d.spec.replicas = 1;
            assert.deepEqual(await check(k8s.pgbouncerDeployment, TYPES.deployment, d), [
                "replicas is 1; at least 2 required.",
            ]);
        });
        it("fails on root, a writable root filesystem and privilege escalation", async () => {
            const d = deployment();
            d.spec.template.spec.securityContext = {};
            d.spec.template.spec.containers[0].securityContext = {};
            assert.deepEqual(await check(k8s.pgbouncerDeployment, TYPES.deployment, d), [
                "the pod must set runAsNonRoot: true.",
                "container pgbouncer must set readOnlyRootFilesystem: true.",
                "container pgbouncer must set allowPrivilegeEscalation: false.",
            ]);
        });
        it("does not apply to other Deployments", async () => {
            const d = deployment();
            d.spec.template.spec.containers[0].image = "nginx:1.27";
            assert.equal(await check(k8s.pgbouncerDeployment, TYPES.deployment, d), "n/a");
        });
    });
    describe(k8s.poolWithinBudget.name, () => {
        const component = "urn:pulumi:test::metacortex-db::metacortex:kubernetes:Pgbouncer::pgbouncer";
        const prod = (replicas: number, maxDb = 193) => {
            const d = deployment();
            d.spec.replicas = replicas;
            return [
                resource(TYPES.instance, "db", instance()),
                resource(TYPES.parameterGroup, "params", parameterGroup()),
                resource(TYPES.deployment, "pgbouncer", d, component),
                resource(
                    TYPES.configMap,
                    "pgbouncer-config",
                    configMap(ini("max_db_connections = 193", `max_db_connections = ${maxDb}`)),
                    component,
                ),
            ];
        };
        it("passes 2 x 193 within a budget of 387 (db.r6g.large)", async () =>
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, prod(2)), []));
        it("fails when 3 replicas overrun the budget", async () =>
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, prod(3)), [
                "The poolers may open 579 server connections (3 x 193); the budget of metacortex-prod is 387 (max_connections 400 - reserved 3 - headroom 10).",
            ]));
        it("fails on an unlimited pool", async () =>
            assert.deepEqual(await checkStack(k8s.poolWithinBudget, prod(2, 0)), [
                "pgbouncer: max_db_connections must be set (0 is unlimited).",
            ]));
        it("judges a Docker PgBouncer by the Docker postgres's max_connections, and fails when it overruns them", async () => {
            const db = resource(TYPES.container, "postgres", postgresContainer());
            assert.deepEqual(
                await checkStack(k8s.poolWithinBudget, [
                    db,
                    resource(
                        TYPES.container,
                        "pgbouncer",
                        pgbouncerContainer(ini("max_db_connections = 193", "max_db_connections = 87")),
                    ),
                ]),
                [],
            );
            assert.deepEqual(
                await checkStack(k8s.poolWithinBudget, [
                    db,
                    resource(TYPES.container, "pgbouncer", pgbouncerContainer()),
                ]),
                [
                    "The poolers may open 193 server connections (1 x 193); the budget of postgres is 87 (max_connections 100 - reserved 3 - headroom 10).",
                ],
            );
        });
        it("does not apply without PgBouncer", async () =>
            assert.equal(await checkStack(k8s.poolWithinBudget, prod(2).slice(0, 2)), "n/a"));
    });
});

describe("policies: pool-within-budget with RDS Proxy", () => {
    const stack = (percent: number) => [
        resource(TYPES.instance, "db", instance()),
        resource(TYPES.parameterGroup, "params", parameterGroup()),
        resource("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", "targets", {
            connectionPoolConfig: { maxConnectionsPercent: percent },
        }),
    ];
    it("passes 96% of 400 (384) within 387", async () =>
        assert.deepEqual(await checkStack(k8s.poolWithinBudget, stack(96)), []));
    it("fails when 100% overruns the budget", async () =>
        assert.deepEqual(await checkStack(k8s.poolWithinBudget, stack(100)), [
            "The poolers may open 400 server connections (1 x 400); the budget of metacortex-prod is 387 (max_connections 400 - reserved 3 - headroom 10).",
        ]));
});
