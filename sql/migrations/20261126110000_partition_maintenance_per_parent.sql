-- Why: one pg_cron job ran pg_partman's maintenance for every partitioned table in one transaction, so a single bad
-- row (a check-in dated months ahead, or 'infinity', in a default partition) made every run fail, and no table got
-- its next months, the audit log included. Now each parent has its own job calling app.run_partition_maintenance():
-- one parent's failure is that job's run marked 'failed' in cron.job_run_details, and the others go on. Each success
-- is recorded in app.partition_maintenance, which the health check reads: a parent whose last success is old is
-- failing (or not running at all), whatever the reason. The jobs are the migrator's whoever applies this file (SET
-- ROLE metacortex_migrator), so its down finds them by name whoever rolls it back.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE app.partition_maintenance (
    parent_table      text        NOT NULL,
    last_succeeded_at timestamptz NOT NULL,
    CONSTRAINT partition_maintenance_pkey PRIMARY KEY (parent_table)
);
COMMENT ON TABLE app.partition_maintenance IS 'When pg_partman maintenance last succeeded for each partitioned table (written by app.run_partition_maintenance).';
-- Written by the maintenance jobs only: the app could otherwise fake a success. The monitor role reads it.
REVOKE ALL ON app.partition_maintenance FROM metacortex_app;
GRANT SELECT ON app.partition_maintenance TO metacortex_monitor;

-- Owner-only. Each job's command is this one statement, with no SET ROLE before it: pg_cron marks a run 'succeeded' as
-- each statement of a command completes, so a failure after a first statement would show a passing status while the
-- run goes on. The migrator's sessions, pg_cron's included, act as the owner anyway (its role setting), so the
-- partitions are still the owner's.
CREATE FUNCTION app.run_partition_maintenance(parent_table text, max_wait_seconds integer DEFAULT 600) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    waited integer := 0;
BEGIN
    -- pg_partman returns without a word when another session holds its lock, and a skipped run must not pass for a
    -- success: wait for that session (another table's job, a manual run), ten minutes by default, then fail, which
    -- shows as 'failed' in cron.job_run_details. Polled, so lock_timeout stays as it is for partman's own DDL.
    WHILE NOT pg_try_advisory_xact_lock(hashtext('pg_partman run_maintenance')) LOOP
        IF waited >= max_wait_seconds THEN
            RAISE EXCEPTION 'pg_partman maintenance of % skipped: another session held its lock for % s', parent_table, waited;
        END IF;
        PERFORM pg_sleep(1);
        waited := waited + 1;
    END LOOP;
    PERFORM partman.run_maintenance(p_parent_table => parent_table, p_analyze => false);
    PERFORM app.revoke_partition_grants();
    INSERT INTO app.partition_maintenance (parent_table, last_succeeded_at)
    VALUES (run_partition_maintenance.parent_table, now())
    ON CONFLICT ON CONSTRAINT partition_maintenance_pkey DO UPDATE SET last_succeeded_at = excluded.last_succeeded_at;
END
$$;
COMMENT ON FUNCTION app.run_partition_maintenance(text, integer) IS 'pg_partman maintenance for one partitioned table, then partition grants revoked and the success recorded; raises on any failure.';

-- Half an hour apart, so the two runs seldom wait for each other on pg_partman's lock.
SET LOCAL ROLE metacortex_migrator;
SELECT cron.unschedule('metacortex-partman-maintenance');
SELECT cron.schedule('metacortex-partman-app.habit_checkins', '7 * * * *',
    'SELECT app.run_partition_maintenance(''app.habit_checkins'')');
SELECT cron.schedule('metacortex-partman-audit.row_changes', '37 * * * *',
    'SELECT app.run_partition_maintenance(''audit.row_changes'')');
SET LOCAL ROLE metacortex_owner;

-- A first success on record at once, so the health check need not wait for the first run to see maintenance work. A
-- table whose maintenance already fails gets none (a warning here, not a failed deploy): that is what the check reports.
DO $$
DECLARE
    parent text;
BEGIN
    FOR parent IN SELECT c.parent_table FROM partman.part_config c ORDER BY 1 LOOP
        BEGIN
            PERFORM app.run_partition_maintenance(parent, 0);
        EXCEPTION WHEN OTHERS THEN
            RAISE WARNING 'pg_partman maintenance of % fails: %', parent, SQLERRM;
        END;
    END LOOP;
END
$$;

-- migrate:down
SET LOCAL ROLE metacortex_migrator;
SELECT cron.unschedule('metacortex-partman-audit.row_changes');
SELECT cron.unschedule('metacortex-partman-app.habit_checkins');
SELECT cron.schedule('metacortex-partman-maintenance', '7 * * * *',
    'SET ROLE metacortex_owner; SELECT partman.run_maintenance(p_analyze := false); SELECT app.revoke_partition_grants()');
SET LOCAL ROLE metacortex_owner;
DROP FUNCTION app.run_partition_maintenance(text, integer);
DROP TABLE app.partition_maintenance;
