/**
 * The connection budget on a real server: with app and readonly at their connection limits, every operator role
 * still connects, up to its own limit, and the admin's share is left over, even for an admin that is not a superuser
 * (the RDS master user gets no reserved slot).
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { roleModel } from "../../postgres/roles/model";
import { ADMIN_CONNECTIONS, sizeFor } from "../../postgres/settings/sizing";
import { instanceClass } from "../../postgres/instanceClasses";
import { committedStack, databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("connection budget with operator headroom", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    const open: Client[] = [];
    const stack = committedStack("dev");
    const size = sizeFor(instanceClass(stack.instanceClass));
    const limits = new Map(roleModel(stack.databaseName, stack.instanceClass).roles.map((r) => [r.key, r]));

    /** Opens n connections as a role, 10 at a time; returns how many succeeded and the first refusal. */
    async function saturate(role: string, n: number, client = (r: string) => db.client(r)) {
        let connected = 0;
        let refusal: string | undefined;
        for (let i = 0; i < n; i += 10) {
            const batch = Array.from({ length: Math.min(10, n - i) }, () => client(role));
            const results = await Promise.allSettled(batch.map((c) => c.connect()));
            results.forEach((r, j) => {
                if (r.status === "fulfilled") {
                    open.push(batch[j]);
                    connected++;
                } else refusal ??= (r.reason as Error).message;
            });
        }
        return { connected, refusal };
    }

    before(async () => {
        db = await databaseWithRoles();
        // Stands for the RDS master user: a login role that is not a superuser and has no connection limit.
        await db.cluster.query("CREATE ROLE human_admin LOGIN PASSWORD 'budget-test-only'");
        await db.cluster.query(`GRANT CONNECT ON DATABASE ${stack.databaseName} TO human_admin`);
    });
    after(async () => {
        await Promise.allSettled(open.map((c) => c.end()));
        await db?.cluster.destroy();
    });

    it(`app (${limits.get("app")!.connectionLimit}) and readonly (${limits.get("readonly")!.connectionLimit}) at their limits; then migrator, auditor, monitor and the admin still connect`, async () => {
        const app = limits.get("app")!.connectionLimit;
        const readonly = limits.get("readonly")!.connectionLimit;
        assert.equal(app + readonly, size.connectionBudget);
        assert.deepEqual(await saturate("app", app + 1), {
            connected: app,
            refusal: 'too many connections for role "metacortex_app"',
        });
        assert.deepEqual(await saturate("readonly", readonly + 1), {
            connected: readonly,
            refusal: 'too many connections for role "metacortex_readonly"',
        });
        for (const key of ["migrator", "auditor", "monitor"] as const) {
            const limit = limits.get(key)!.connectionLimit;
            const { connected, refusal } = await saturate(key, limit);
            assert.deepEqual({ key, connected, refusal }, { key, connected: limit, refusal: undefined });
        }
        // A refused connection's backend keeps its slot until it has exited, which on a loaded machine can outlast the
        // refusal; so can a set-up connection. Wait, through a connection already counted, until only ours remain.
        const probe = open[open.length - 1];
        await waitFor("only this test's connections to remain", async () => {
            const { rows } = await probe.query(
                "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'",
            );
            return rows[0].n === open.length ? true : undefined;
        });
        // Every role at its limit: the admin's share is still free for a non-superuser admin, then only superusers.
        const human = (r: string) => db.cluster.client({ user: r, password: "budget-test-only" });
        assert.deepEqual(await saturate("human_admin", ADMIN_CONNECTIONS + 1, human), {
            connected: ADMIN_CONNECTIONS,
            refusal: "remaining connection slots are reserved for non-replication superuser connections",
        });
        const [{ n }] = await db.cluster.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND usename <> 'metacortex_admin'",
        );
        assert.equal(n, size.maxConnections - size.superuserReservedConnections, "every non-superuser slot in use");
    });
});
