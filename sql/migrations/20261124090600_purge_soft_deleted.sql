-- Why: soft-deleted rows must not live forever (privacy, table size). This function hard-deletes rows deleted more
-- than a retention period ago, in batches, and pg_cron runs it daily at 05:30 UTC (after the backup window).
-- Deleting a user cascades to everything the user owns; purging a task keeps its subtasks (parent set to NULL).

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION app.purge_soft_deleted(retention interval DEFAULT '30 days', batch_size integer DEFAULT 5000)
    RETURNS TABLE (table_name text, purged bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    t text;
    n bigint;
BEGIN
    IF retention < interval '1 day' THEN
        RAISE EXCEPTION 'retention must be at least 1 day, got %', retention;
    END IF;
    FOREACH t IN ARRAY ARRAY['tasks', 'notes', 'tags', 'habits', 'users'] LOOP
        table_name := t;
        purged := 0;
        LOOP
            EXECUTE format(
                'DELETE FROM app.%I WHERE ctid = ANY (ARRAY(SELECT ctid FROM app.%I WHERE deleted_at < now() - $1 LIMIT $2))', t, t)
                USING retention, batch_size;
            GET DIAGNOSTICS n = ROW_COUNT;
            purged := purged + n;
            EXIT WHEN n < batch_size;
        END LOOP;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION app.purge_soft_deleted(interval, integer) IS 'Hard-deletes rows soft-deleted more than retention ago; returns counts per table.';

SET LOCAL ROLE NONE;
SELECT cron.schedule('metacortex-purge-soft-deleted', '30 5 * * *',
    'SET ROLE metacortex_owner; SELECT * FROM app.purge_soft_deleted(interval ''30 days'')');
SET LOCAL ROLE metacortex_owner;

-- migrate:down
SET LOCAL ROLE NONE;
SELECT cron.unschedule('metacortex-purge-soft-deleted');
SET LOCAL ROLE metacortex_owner;
DROP FUNCTION app.purge_soft_deleted(interval, integer);
