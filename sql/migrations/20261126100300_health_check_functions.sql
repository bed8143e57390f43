-- Why: the health check runs as the monitor role, which can read no user data, no pg_partman configuration and, as
-- pg_cron shows each role only the runs of its own jobs, none of the jobs' outcomes. Three read-only functions give
-- it exactly what it judges and nothing more:
-- - app.default_partition_rows(): how many rows sit in each default partition (capped at 1000), where rows outside
--   the premade months land and from where they stop pg_partman's maintenance;
-- - app.partition_premake(): each partitioned table's pg_partman premake, to compare with the months premade;
-- - app.cron_job_runs(): per pg_cron job, its last success and the failures since. Owned by the migrator, who
--   schedules the jobs: pg_cron's row-level security shows a job's runs to that role alone.
-- EXECUTE goes to the monitor role only.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION app.default_partition_rows()
    RETURNS TABLE (parent_table text, partition_table text, row_count bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT p.oid::regclass::text AS parent, c.oid::regclass::text AS child
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relkind = 'p' AND p.relnamespace IN ('app'::regnamespace, 'audit'::regnamespace)
           AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
         ORDER BY 1
    LOOP
        parent_table := part.parent;
        partition_table := part.child;
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1000) s', part.child) INTO row_count;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION app.default_partition_rows() IS 'Rows in each default partition of app and audit (counted up to 1000), for the health check.';

CREATE FUNCTION app.partition_premake()
    RETURNS TABLE (parent_table text, premake integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT c.parent_table, c.premake FROM partman.part_config c ORDER BY 1
$$;
COMMENT ON FUNCTION app.partition_premake() IS 'pg_partman''s premake per partitioned table, for the health check.';

GRANT EXECUTE ON FUNCTION app.default_partition_rows(), app.partition_premake() TO metacortex_monitor;

SET LOCAL ROLE NONE;
CREATE FUNCTION app.cron_job_runs()
    RETURNS TABLE (jobname text, last_success timestamptz, failures_since_success bigint, last_failure timestamptz,
                   last_failure_message text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT j.jobname::text, s.last_success, f.failures, f.last_failure, f.last_message
      FROM cron.job j
      LEFT JOIN LATERAL (
          SELECT max(d.start_time) AS last_success FROM cron.job_run_details d
           WHERE d.jobid = j.jobid AND d.status = 'succeeded') s ON true
      LEFT JOIN LATERAL (
          SELECT count(*) AS failures, max(d.start_time) AS last_failure,
                 (array_agg(d.return_message ORDER BY d.start_time DESC))[1] AS last_message
            FROM cron.job_run_details d
           WHERE d.jobid = j.jobid AND d.status = 'failed' AND d.start_time > coalesce(s.last_success, '-infinity')) f ON true
     ORDER BY 1
$$;
COMMENT ON FUNCTION app.cron_job_runs() IS 'Per pg_cron job: its last success and the failures since (owned by the migrator, whose jobs they are), for the health check.';
REVOKE ALL ON FUNCTION app.cron_job_runs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.cron_job_runs() TO metacortex_monitor;
SET LOCAL ROLE metacortex_owner;

-- migrate:down
SET LOCAL ROLE NONE;
DROP FUNCTION app.cron_job_runs();
SET LOCAL ROLE metacortex_owner;
DROP FUNCTION app.partition_premake();
DROP FUNCTION app.default_partition_rows();
