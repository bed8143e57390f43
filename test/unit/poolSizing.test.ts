import { strict as assert } from "assert";
import * as fc from "fast-check";
import { INSTANCE_CLASSES } from "../../components/postgres/instanceClasses";
import { poolSizing } from "../../components/postgres/poolSizing";
import { sizeFor } from "../../components/postgres/settings/sizing";

describe("PgBouncer pool sizing", () => {
    it("divides db.r6g.large's budget (387) across 2 replicas: 193 each, 154 for the app and 38 for readonly", () => {
        assert.deepEqual(poolSizing(sizeFor(INSTANCE_CLASSES.get("db.r6g.large")!).connectionBudget, 2), {
            replicas: 2, perReplica: 193, poolSize: { metacortex_app: 154, metacortex_readonly: 38 }, total: 386,
        });
        assert.deepEqual(poolSizing(87, 1).poolSize, { metacortex_app: 69, metacortex_readonly: 17 }, "dev class, one replica");
    });

    it("never exceeds the budget, for every class and replica count", () => {
        fc.assert(
            fc.property(fc.constantFrom(...INSTANCE_CLASSES.keys()), fc.integer({ min: 1, max: 8 }), (cls, replicas) => {
                const budget = sizeFor(INSTANCE_CLASSES.get(cls)!).connectionBudget;
                const s = poolSizing(budget, replicas);
                const pools = Object.values(s.poolSize).reduce((a, b) => a + b, 0);
                return s.total <= budget && pools <= s.perReplica && pools * replicas <= budget;
            }),
        );
    });

    it("refuses impossible splits with a clear message", () => {
        assert.throws(() => poolSizing(3, 4), /cannot give 4 replicas a pool per role/);
        assert.throws(() => poolSizing(100, 0), /replicas must be a positive whole number/);
        assert.throws(() => poolSizing(100, 2, [{ role: "a", share: 0.5 }]), /shares must sum to 1/);
    });
});
