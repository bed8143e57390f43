-- Why: pg_cron records every run in cron.job_run_details and never deletes them; with a job every minute that is
-- over half a million rows a year, which the health check reads to find failed runs. A daily job keeps 14 days.
-- It runs as the migrator, which schedules every job: pg_cron lets a role delete the runs of its own jobs only.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

SET LOCAL ROLE NONE;
SELECT cron.schedule('metacortex-purge-cron-history', '45 4 * * *',
    'DELETE FROM cron.job_run_details WHERE end_time < now() - interval ''14 days''');
SET LOCAL ROLE metacortex_owner;

-- migrate:down
SET LOCAL ROLE NONE;
SELECT cron.unschedule('metacortex-purge-cron-history');
SET LOCAL ROLE metacortex_owner;
