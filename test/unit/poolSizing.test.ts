import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { INSTANCE_CLASSES } from "../../postgres/instanceClasses";
import { pooledRoleLimits, poolSizing } from "../../postgres/pooling/poolSizing";
import { proxyPool } from "../../postgres/pooling/proxySizing";
import { roleModel } from "../../postgres/roles/model";
import { ADMIN_CONNECTIONS, OPERATOR_CONNECTION_LIMITS, sizeFor } from "../../postgres/settings/sizing";

describe("PgBouncer pool sizing", () => {
    it("divides db.r6g.large's budget (387) across 2 replicas: 193 each, 154 for the app and 38 for readonly", () => {
        assert.deepEqual(poolSizing(sizeFor(INSTANCE_CLASSES.get("db.r6g.large")!).connectionBudget, 2), {
            replicas: 2,
            perReplica: 193,
            poolSize: { metacortex_app: 154, metacortex_readonly: 38 },
            total: 386,
        });
        assert.deepEqual(
            poolSizing(87, 1).poolSize,
            { metacortex_app: 69, metacortex_readonly: 17 },
            "dev class, one replica",
        );
    });

    it("never exceeds the budget, for every class and replica count", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...INSTANCE_CLASSES.keys()),
                fc.integer({ min: 1, max: 8 }),
                (cls, replicas) => {
                    const budget = sizeFor(INSTANCE_CLASSES.get(cls)!).connectionBudget;
                    const s = poolSizing(budget, replicas);
                    const pools = Object.values(s.poolSize).reduce((a, b) => a + b, 0);
                    return s.total <= budget && pools <= s.perReplica && pools * replicas <= budget;
                },
            ),
        );
    });

    it("gives app and readonly connection limits that split the budget exactly and hold every replica count's pools", () => {
        assert.deepEqual(pooledRoleLimits(87), { metacortex_readonly: 17, metacortex_app: 70 });
        assert.deepEqual(pooledRoleLimits(387), { metacortex_readonly: 77, metacortex_app: 310 });
        fc.assert(
            fc.property(
                fc.constantFrom(...INSTANCE_CLASSES.keys()),
                fc.integer({ min: 1, max: 8 }),
                (cls, replicas) => {
                    const size = sizeFor(INSTANCE_CLASSES.get(cls)!);
                    const limits = pooledRoleLimits(size.connectionBudget);
                    const pools = poolSizing(size.connectionBudget, replicas).poolSize;
                    return (
                        Object.values(limits).reduce((a, b) => a + b, 0) === size.connectionBudget &&
                        Object.entries(pools).every(([role, n]) => n * replicas <= limits[role])
                    );
                },
            ),
        );
    });

    it("keeps the operators' limits and the admin's share inside the headroom, for every class", () => {
        const operators = Object.values(OPERATOR_CONNECTION_LIMITS).reduce((a, b) => a + b, 0);
        for (const [name, cls] of INSTANCE_CLASSES) {
            const size = sizeFor(cls);
            assert.equal(operators + ADMIN_CONNECTIONS, size.adminHeadroomConnections, name);
            const model = roleModel("metacortex", name);
            const limited = model.roles.filter((r) => r.login).reduce((a, r) => a + r.connectionLimit, 0);
            assert.equal(limited + ADMIN_CONNECTIONS, size.maxConnections - size.superuserReservedConnections, name);
        }
    });

    it("refuses impossible splits with a clear message", () => {
        assert.throws(() => poolSizing(3, 4), /cannot give 4 replicas a pool per role/);
        assert.throws(() => poolSizing(100, 0), /replicas must be a positive whole number/);
        assert.throws(() => poolSizing(100, 2, [{ role: "a", share: 0.5 }]), /shares must sum to 1/);
    });
});

describe("RDS Proxy pool sizing", () => {
    it("gives db.r6g.large's proxy 96% of 400 connections: 384, inside the budget of 387", () => {
        assert.deepEqual(proxyPool(sizeFor(INSTANCE_CLASSES.get("db.r6g.large")!)), {
            maxConnectionsPercent: 96,
            maxIdleConnectionsPercent: 48,
            connections: 384,
        });
    });
    it("never exceeds the budget, for every instance class", () => {
        for (const [name, cls] of INSTANCE_CLASSES) {
            const size = sizeFor(cls);
            const pool = proxyPool(size);
            assert.ok(pool.connections <= size.connectionBudget, name);
            assert.ok(
                pool.connections >= size.connectionBudget - size.maxConnections / 100,
                `${name}: within 1% of the budget`,
            );
        }
    });
    it("refuses a budget too small for a pool", () =>
        assert.throws(() => proxyPool({ maxConnections: 1000, connectionBudget: 5 }), /leaves RDS Proxy no pool/));
});

describe("the stack files state the pool they get", () => {
    for (const [stack, cls, replicas] of [
        ["prod", "db.r6g.large", 2],
        ["dev", "db.t4g.medium", 1],
    ] as const) {
        it(`Pulumi.${stack}.yaml's comment matches the computed pool for ${cls} x ${replicas}`, () => {
            const text = fs.readFileSync(path.join(__dirname, "..", "..", `Pulumi.${stack}.yaml`), "utf8");
            const size = sizeFor(INSTANCE_CLASSES.get(cls)!);
            const pool = poolSizing(size.connectionBudget, replicas);
            assert.match(text, new RegExp(`metacortex-db:instanceClass: ${cls}\\n`));
            assert.match(text, new RegExp(`metacortex-db:pgbouncerReplicas: "${replicas}"`));
            assert.ok(
                text.includes(`${size.maxConnections} - 3`) ||
                    text.includes(`max_connections ${size.maxConnections} - 3`),
                "max_connections",
            );
            assert.ok(
                text.includes(`${pool.poolSize.metacortex_app} app, ${pool.poolSize.metacortex_readonly} readonly`),
                `${pool.poolSize.metacortex_app} app`,
            );
            const limits = pooledRoleLimits(size.connectionBudget);
            assert.ok(
                text.includes(
                    `role connection limits ${limits.metacortex_app} app, ${limits.metacortex_readonly} readonly`,
                ),
                "role connection limits",
            );
        });
    }
});
