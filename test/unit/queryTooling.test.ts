/** The pure parts of the query-performance tooling: benchmark scripts, pgBadger and pg_repack arguments, locality. */
import { strict as assert } from "assert";
import { RDS_NOT_MODIFIABLE } from "../../postgres/settings/rdsRestrictions";
import { heapPagesSql, inline, ormScript, sliceOrder } from "../../scripts/lib/bench/orm/script";
import { withVariables } from "../../scripts/lib/bench/orm/statements";
import { spread } from "../../scripts/lib/repack/locality";
import { libpqEnv, repackArgs } from "../../scripts/lib/repack/repack";
import { maintenanceWorkers } from "../../scripts/lib/seed/fastLoad";
import { pgbadgerArgs, RDS_LOG_LINE_PREFIX, selfManagedLogLinePrefix } from "../../scripts/lib/tuning/pgbadger";

describe("ORM benchmark scripts", () => {
    it("orders each statement's slices: a discarded warm-up block, then A B B A, A alternating between statements", () => {
        const show = (i: number) => sliceOrder(i).map((s) => `${s.variant}${s.measured ? "" : "*"}`);
        assert.deepEqual(show(0), ["rls*", "owner*", "rls", "owner", "owner", "rls"]);
        assert.deepEqual(show(1), ["owner*", "rls*", "owner", "rls", "rls", "owner"]);
    });

    it("turns captured sentinels into pgbench variables and refuses a sentinel it does not know", () => {
        const sql = "SELECT 1 FROM app.tasks WHERE user_id = '00000000-0000-7000-8000-0000000000a1'::uuid";
        const sentinels = { uid: "'00000000-0000-7000-8000-0000000000a1'::uuid" };
        assert.equal(withVariables(sql, sentinels), "SELECT 1 FROM app.tasks WHERE user_id = :uid");
        assert.throws(() => withVariables(sql, { nosuch: "x" }), /sentinel nosuch has no bench variable/);
        assert.throws(() => withVariables(sql, {}), /a sentinel value survived/);
    });

    it("inlines a user's values, leaving casts alone, and sets the tenant in the same round trip as the values", () => {
        assert.equal(
            inline("SELECT '-infinity'::timestamptz, :uid", { uid: "'u'::uuid" }),
            "SELECT '-infinity'::timestamptz, 'u'::uuid",
        );
        assert.throws(() => inline("SELECT :tag", {}), /no value for :tag/);
        const script = ormScript("SELECT 1 FROM app.tasks WHERE user_id = :uid");
        assert.match(
            script,
            /^\\set n random\(1, :nusers\)\nBEGIN;\nSELECT app\.set_tenant\(user_id\)::text AS tenant, uid, .* \\gset\n/,
        );
        assert.match(script, /WHERE user_id = :uid;\nCOMMIT;\n$/);
    });

    it("counts the heap pages of single-table task lists only", () => {
        assert.match(
            heapPagesSql("SELECT app.tasks.id FROM app.tasks WHERE true") ?? "",
            /SELECT app\.tasks\.ctid AS bench_ctid, app\.tasks\.id/,
        );
        assert.equal(heapPagesSql("SELECT status, count(*) FROM app.tasks GROUP BY status"), undefined);
        assert.equal(heapPagesSql("SELECT x FROM app.habit_checkins"), undefined);
    });
});

describe("pgBadger, pg_repack and the fast load", () => {
    it("gives pgBadger the prefix the settings render, or the one RDS fixes", () => {
        assert.equal(selfManagedLogLinePrefix(), "%m [%p] %q%u@%d app=%a client=%h ");
        assert.ok(RDS_NOT_MODIFIABLE.log_line_prefix.includes(RDS_LOG_LINE_PREFIX), "the same prefix as the RDS list");
        const args = pgbadgerArgs({ logs: ["a.log"], out: "r.html", prefix: RDS_LOG_LINE_PREFIX });
        assert.deepEqual(args.slice(0, 4), ["--format", "stderr", "--prefix", RDS_LOG_LINE_PREFIX]);
        assert.deepEqual(args.slice(-3), ["--outfile", "r.html", "a.log"]);
        assert.throws(() => pgbadgerArgs({ logs: [], out: "r.html", prefix: "%t" }), /at least one log file/);
    });

    it("runs pg_repack with the password in its environment only, never killing a backend, -k for rds_superuser", () => {
        const env = libpqEnv(
            "postgres://admin:s%40cret@db.example:6432/metacortex?sslmode=verify-full&sslrootcert=/ca.crt",
        );
        assert.deepEqual(
            [env.PGHOST, env.PGPORT, env.PGUSER, env.PGPASSWORD, env.PGDATABASE, env.PGSSLMODE, env.PGSSLROOTCERT],
            ["db.example", "6432", "admin", "s@cret", "metacortex", "verify-full", "/ca.crt"],
        );
        assert.match(env.PGOPTIONS, /statement_timeout=0/);
        const args = repackArgs("app.tasks", { superuser: false, waitTimeoutSeconds: 60 });
        assert.ok(args.includes("--no-kill-backend") && args.includes("--no-superuser-check"));
        assert.ok(!args.some((a) => a.includes("s@cret")));
        assert.ok(
            !repackArgs("app.tasks", { superuser: true, waitTimeoutSeconds: 5 }).includes("--no-superuser-check"),
        );
        assert.ok(
            repackArgs("app.tasks", { superuser: true, waitTimeoutSeconds: 5, orderBy: "created_at" }).includes(
                "--order-by=created_at",
            ),
        );
    });

    it("measures spread as pages used over the fewest possible, and sizes index-build workers by cores", () => {
        assert.equal(spread(100, 5, 22), 1);
        assert.equal(spread(100, 100, 22), 20);
        assert.equal(spread(3, 3, 22), 3);
        assert.deepEqual([1, 2, 4, 16].map(maintenanceWorkers), [1, 1, 3, 4]);
    });
});
