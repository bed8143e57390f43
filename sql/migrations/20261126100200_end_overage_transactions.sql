-- Why: PostgreSQL 15 has no transaction_timeout. statement_timeout bounds one statement and
-- idle_in_transaction_session_timeout one pause, but a transaction of short statements (or one whose session lifted
-- both with SET) can live for as long as its client likes, holding locks (a LOCK TABLE blocks every tenant) and
-- holding back vacuum. This function terminates app-role backends whose transaction is older than a limit, and
-- pg_cron runs it every minute with a limit of 60 s, so no app transaction outlives about two minutes. The owner
-- is given pg_signal_backend and pg_read_all_stats by the role model (to see other sessions' xact_start and end
-- them); the function touches no role but the app's.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION app.end_overage_transactions(max_age interval)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    ended integer;
BEGIN
    IF max_age < interval '1 second' THEN
        RAISE EXCEPTION 'app.end_overage_transactions: max_age must be at least 1 second, got %', max_age;
    END IF;
    SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid))::integer INTO ended
      FROM pg_stat_activity a
     WHERE a.usename = 'metacortex_app'
       AND a.datname = current_database()
       AND a.backend_type = 'client backend'
       AND a.xact_start < clock_timestamp() - max_age;
    IF ended > 0 THEN
        RAISE LOG 'app.end_overage_transactions: terminated % app transaction(s) older than %', ended, max_age;
    END IF;
    RETURN ended;
END
$$;
COMMENT ON FUNCTION app.end_overage_transactions(interval) IS 'Terminates app-role backends whose transaction is older than max_age; returns how many. Run by pg_cron every minute.';

SET LOCAL ROLE NONE;
SELECT cron.schedule('metacortex-end-overage-transactions', '* * * * *',
    'SET ROLE metacortex_owner; SELECT app.end_overage_transactions(interval ''60 seconds'')');
SET LOCAL ROLE metacortex_owner;

-- migrate:down
SET LOCAL ROLE NONE;
SELECT cron.unschedule('metacortex-end-overage-transactions');
SET LOCAL ROLE metacortex_owner;
DROP FUNCTION app.end_overage_transactions(interval);
