/**
 * Partition maintenance that one row cannot stop: check-ins and audit rows outside a sane time window are refused,
 * each partitioned table has its own pg_cron job, and a failure in one table's maintenance is a failed run of that job
 * alone (cron.job_run_details) while the others go on and record their success (app.partition_maintenance).
 */
import { strict as assert } from "assert";
import type { Client } from "pg";
import { dbmate } from "../../scripts/lib/local/migrations";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

const HABIT_JOB = "metacortex-partman-app.habit_checkins";
const AUDIT_JOB = "metacortex-partman-audit.row_changes";

describe("partition maintenance", function () {
    this.timeout(240_000);
    let db: TestDatabase;
    let admin: Client;
    let app: Client;
    let alice: string;
    let habit: string;
    const q = async (sql: string, params: unknown[] = []) => (await admin.query(sql, params)).rows;
    const refusedBy = (constraint: string) => (e: { constraint?: string; message: string }) => {
        assert.equal(e.constraint, constraint, e.message);
        return true;
    };
    async function asAlice<T>(fn: () => Promise<T>): Promise<T> {
        await app.query("BEGIN");
        try {
            await app.query("SELECT app.set_tenant($1)", [alice]);
            const result = await fn();
            await app.query("COMMIT");
            return result;
        } catch (e) {
            await app.query("ROLLBACK");
            throw e;
        }
    }

    before(async () => {
        db = await databaseWithRoles();
        await dbmate(db.url("migrator"), "migrate");
        admin = db.client("admin");
        await admin.connect();
        app = db.client("app");
        await app.connect();
        alice = (await app.query("SELECT app.sign_up('alice@example.test', 'Alice', 'UTC', NULL) AS id")).rows[0].id;
        habit = await asAlice(
            async () =>
                (await app.query("INSERT INTO app.habits (user_id, name) VALUES ($1, 'run') RETURNING id", [alice]))
                    .rows[0].id,
        );
    });
    after(async () => {
        await app?.end();
        await admin?.end();
        await db?.cluster.destroy();
    });

    it("refuses a check-in dated more than a day ahead, or at +-infinity, from the app and from a superuser", async () => {
        const checkin = (at: string) =>
            app.query("INSERT INTO app.habit_checkins (user_id, habit_id, checked_at) VALUES ($1, $2, $3)", [
                alice,
                habit,
                at,
            ]);
        for (const at of ["infinity", "-infinity", new Date(Date.now() + 120 * 86_400_000).toISOString()])
            await assert.rejects(
                asAlice(() => checkin(at)),
                refusedBy("habit_checkins_checked_at_window_check"),
                at,
            );
        await assert.rejects(
            q(
                "INSERT INTO app.habit_checkins (user_id, habit_id, checked_at) VALUES ($1, $2, now() + interval '2 days')",
                [alice, habit],
            ),
            refusedBy("habit_checkins_checked_at_window_check"),
        );
        // Twelve hours ahead (a user far east of UTC) and a year back are fine, and land in a monthly partition.
        await asAlice(() => checkin(new Date(Date.now() + 12 * 3_600_000).toISOString()));
        await asAlice(() => checkin(new Date(Date.now() - 300 * 86_400_000).toISOString()));
        const [{ n }] = await q("SELECT count(*)::int AS n FROM app.habit_checkins_default");
        assert.equal(n, 0, "nothing in the default partition");
    });

    it("refuses an audit row dated ahead or at infinity, even from a superuser", async () => {
        const [entry] = await q("SELECT * FROM audit.row_changes WHERE user_id = $1 ORDER BY seq LIMIT 1", [alice]);
        for (const at of ["infinity", "2099-01-01"])
            await assert.rejects(
                q(
                    `INSERT INTO audit.row_changes (user_id, seq, occurred_at, txid, db_role, table_name, operation, row_key, prev_hash, hash)
                     VALUES ($1, 999, $2, 1, 'x', 'tasks', 'INSERT', '{}', $3, $3)`,
                    [alice, at, entry.hash],
                ),
                refusedBy("row_changes_occurred_at_window_check"),
                at,
            );
    });

    it("has one pg_cron job per partitioned table, each the migrator's and running that table's maintenance alone", async () => {
        const jobs = await q(
            "SELECT jobname, username, command FROM cron.job WHERE jobname LIKE 'metacortex-partman%'",
        );
        const parents = (await q("SELECT parent_table FROM partman.part_config ORDER BY 1")).map((r) => r.parent_table);
        assert.deepEqual(parents, ["app.habit_checkins", "audit.row_changes"]);
        const recorded = await q("SELECT parent_table FROM app.partition_maintenance ORDER BY 1");
        assert.deepEqual(
            recorded.map((r) => r.parent_table),
            parents,
            "the migration recorded a first success for each",
        );
        assert.deepEqual(jobs.map((j) => j.jobname).sort(), [HABIT_JOB, AUDIT_JOB].sort());
        for (const parent of parents) {
            const job = jobs.find((j) => j.jobname === `metacortex-partman-${parent}`);
            assert.ok(job, `a job for ${parent}`);
            assert.equal(job.username, "metacortex_migrator");
            assert.match(
                job.command,
                new RegExp(`app\\.run_partition_maintenance\\('${parent.replace(".", "\\.")}'\\)`),
            );
        }
    });

    it("waits for another session's maintenance instead of passing a skipped run for a success", async () => {
        const holder = db.client("admin");
        const waiter = db.client("admin");
        await Promise.all([holder.connect(), waiter.connect()]);
        try {
            await holder.query("BEGIN");
            await holder.query("SELECT pg_advisory_xact_lock(hashtext('pg_partman run_maintenance'))");
            await assert.rejects(
                q("SET ROLE metacortex_owner; SELECT app.run_partition_maintenance('app.habit_checkins', 1)"),
                /maintenance of app\.habit_checkins skipped: another session held its lock for 1 s/,
            );
            const pid = (await waiter.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
            const [{ started }] = await q("SELECT clock_timestamp() AS started");
            const run = waiter.query(
                "SET ROLE metacortex_owner; SELECT app.run_partition_maintenance('app.habit_checkins')",
            );
            run.catch(() => undefined);
            await waitFor("the run to wait for the lock", async () => {
                const [{ event }] = await q("SELECT wait_event AS event FROM pg_stat_activity WHERE pid = $1", [pid]);
                return event === "PgSleep" ? true : undefined;
            });
            await holder.query("ROLLBACK");
            await run;
            const [{ n }] = await q(
                "SELECT count(*)::int AS n FROM app.partition_maintenance WHERE parent_table = 'app.habit_checkins' AND last_succeeded_at > $1",
                [started],
            );
            assert.equal(n, 1, "the run finished once the lock was free, and recorded its success");
        } finally {
            await holder.end();
            await waiter.end();
        }
    });

    it("a row stuck in one table's default partition fails that table's job alone; the audit log still gets its months", async () => {
        // A row from before the window existed: drop the CHECK, put a check-in eight months ahead into the default.
        await q("ALTER TABLE app.habit_checkins DROP CONSTRAINT habit_checkins_checked_at_window_check");
        await q(
            "INSERT INTO app.habit_checkins (user_id, habit_id, checked_at) VALUES ($1, $2, now() + interval '8 months')",
            [alice, habit],
        );
        // And the audit log misses its newest premade month, which its maintenance must put back.
        const [{ newest }] = await q(
            `SELECT c.oid::regclass::text AS newest FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'audit.row_changes'::regclass AND c.relname <> 'row_changes_default' ORDER BY c.relname DESC LIMIT 1`,
        );
        await q(`DROP TABLE ${newest}`);

        // Both jobs every minute (as their owner, the migrator), then wait for a run of each.
        const migrator = db.client("migrator");
        await migrator.connect();
        await migrator.query("SET ROLE NONE"); // its sessions act as the owner, who has no rights on cron
        const since = (await q("SELECT now() AS t"))[0].t;
        try {
            for (const job of [HABIT_JOB, AUDIT_JOB]) {
                const [{ command }] = await q("SELECT command FROM cron.job WHERE jobname = $1", [job]);
                await migrator.query("SELECT cron.schedule($1, '* * * * *', $2)", [job, command]);
            }
            const runs = await waitFor(
                "a finished run of both maintenance jobs",
                async () => {
                    const rows = await q(
                        `SELECT DISTINCT ON (j.jobname) j.jobname, d.status, d.return_message FROM cron.job_run_details d
                           JOIN cron.job j USING (jobid)
                          WHERE j.jobname IN ($1, $2) AND d.start_time >= $3 AND d.status IN ('succeeded', 'failed')
                          ORDER BY j.jobname, d.start_time DESC`,
                        [HABIT_JOB, AUDIT_JOB, since],
                    );
                    return rows.length === 2 ? Object.fromEntries(rows.map((r) => [r.jobname, r])) : undefined;
                },
                150_000,
            );
            assert.equal(runs[HABIT_JOB].status, "failed");
            assert.match(
                runs[HABIT_JOB].return_message,
                /default partition "habit_checkins_default" would be violated/,
            );
            assert.equal(runs[AUDIT_JOB].status, "succeeded", runs[AUDIT_JOB].return_message);
        } finally {
            await migrator.end();
        }
        const [back] = await q("SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = to_regclass($1)", [
            newest,
        ]);
        assert.equal(back?.owner, "metacortex_owner", "the audit month is back, the owner's");
        const done = await q("SELECT parent_table FROM app.partition_maintenance WHERE last_succeeded_at >= $1", [
            since,
        ]);
        assert.deepEqual(
            done.map((r) => r.parent_table),
            ["audit.row_changes"],
            "only the audit log's success is recorded",
        );
    });
});
