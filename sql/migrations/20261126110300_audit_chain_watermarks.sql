-- Why: audit.verify_chain() took the oldest remaining entry as the start of a chain, so deleting a chain's oldest
-- entries, or all of them, still verified. Now a chain must run without a gap from where it legitimately starts to
-- the head that audit.chain_heads remembers: from seq 1 (whose previous hash is the user's genesis hash), or from a
-- watermark that retention records when it drops a month of the log. Retention therefore moves here from pg_partman
-- (which cannot record anything before it drops): audit.drop_partitions_before() writes, per user, the entry after the
-- last one a partition held and that entry's expected previous hash, then drops the partition. A deletion anywhere
-- (oldest, middle, newest, a whole chain) now leaves a gap or a head that does not match.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE audit.chain_watermarks (
    user_id     uuid        NOT NULL,
    first_seq   bigint      NOT NULL,
    prev_hash   bytea       NOT NULL,
    recorded_at timestamptz NOT NULL,
    CONSTRAINT chain_watermarks_pkey PRIMARY KEY (user_id)
);
COMMENT ON TABLE audit.chain_watermarks IS 'Where each user''s audit chain starts after retention dropped older months: the first entry kept and its previous hash.';

CREATE OR REPLACE FUNCTION audit.verify_chain(chain_user uuid)
    RETURNS TABLE (valid boolean, entries bigint, first_bad_seq bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, audit
AS $$
-- The chain runs from seq 1 (previous hash: the user's genesis hash), or from the retention watermark, to the head,
-- with no number missing or repeated and every hash recomputed. Entries below the watermark are the rest of a month
-- that retention dropped in part (seq and time can cross a month boundary) and are not checked.
DECLARE
    e audit.row_changes;
    start_seq bigint := 1;
    expected_seq bigint;
    expected_prev bytea := sha256(convert_to(chain_user::text, 'UTF8'));
    mark_seq bigint;
    mark_prev bytea;
    head_seq bigint;
    head_hash bytea;
BEGIN
    valid := true;
    entries := 0;
    SELECT w.first_seq, w.prev_hash INTO mark_seq, mark_prev FROM audit.chain_watermarks w WHERE w.user_id = chain_user;
    IF FOUND THEN
        start_seq := mark_seq;
        expected_prev := mark_prev;
    END IF;
    expected_seq := start_seq;
    FOR e IN SELECT * FROM audit.row_changes r WHERE r.user_id = chain_user AND r.seq >= start_seq ORDER BY r.seq, r.occurred_at LOOP
        entries := entries + 1;
        IF e.seq <> expected_seq THEN
            valid := false;  -- entries removed before this one (or a number used twice)
            first_bad_seq := least(e.seq, expected_seq);
            RETURN NEXT;
            RETURN;
        END IF;
        IF e.prev_hash <> expected_prev
           OR e.hash <> audit.entry_hash(e.user_id, e.seq, e.occurred_at, e.txid, e.app_user_id, e.db_role, e.table_name,
                                         e.operation, e.row_key, e.old_values, e.new_values, e.prev_hash) THEN
            valid := false;  -- altered
            first_bad_seq := e.seq;
            RETURN NEXT;
            RETURN;
        END IF;
        expected_prev := e.hash;
        expected_seq := e.seq + 1;
    END LOOP;
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit.chain_heads h WHERE h.user_id = chain_user;
    IF NOT FOUND THEN
        IF entries > 0 OR start_seq > 1 THEN
            valid := false;  -- the head was removed
            first_bad_seq := expected_seq;
        END IF;
    ELSIF expected_seq <> head_seq + 1 OR expected_prev <> head_hash THEN
        valid := false;  -- the newest entries, or the whole chain, were removed (or the head does not match)
        first_bad_seq := CASE WHEN expected_seq <= head_seq THEN expected_seq
                              WHEN expected_seq = head_seq + 1 THEN head_seq
                              ELSE head_seq + 1 END;
    END IF;
    RETURN NEXT;
END
$$;

-- Owner-only: run by the audit log's maintenance job, in the same single statement as its partition maintenance.
CREATE FUNCTION audit.drop_partitions_before(cutoff timestamptz) RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
-- Each monthly partition whose rows are all older than cutoff, oldest first: record per user the entry after the
-- newest one it holds, with that one's hash as the expected previous hash, then drop it.
DECLARE
    part regclass;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT b.part FROM (
            SELECT c.oid::regclass AS part,
                   substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'audit.row_changes'::regclass) b
         WHERE b.upper_bound <= cutoff
         ORDER BY b.upper_bound
    LOOP
        EXECUTE format(
            'INSERT INTO audit.chain_watermarks AS w (user_id, first_seq, prev_hash, recorded_at)
             SELECT DISTINCT ON (r.user_id) r.user_id, r.seq + 1, r.hash, now() FROM %s r ORDER BY r.user_id, r.seq DESC
             ON CONFLICT ON CONSTRAINT chain_watermarks_pkey DO UPDATE
                SET first_seq = excluded.first_seq, prev_hash = excluded.prev_hash, recorded_at = excluded.recorded_at
              WHERE excluded.first_seq > w.first_seq', part);
        EXECUTE format('DROP TABLE %s', part);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$$;
COMMENT ON FUNCTION audit.drop_partitions_before(timestamptz) IS 'Audit log retention: drops whole months older than cutoff, recording each chain''s new start in audit.chain_watermarks.';

UPDATE partman.part_config SET retention = NULL WHERE parent_table = 'audit.row_changes';

SET LOCAL ROLE metacortex_migrator;
SELECT cron.unschedule('metacortex-partman-audit.row_changes');
SELECT cron.schedule('metacortex-partman-audit.row_changes', '37 * * * *',
    'SELECT audit.drop_partitions_before(now() - interval ''84 months''), app.run_partition_maintenance(''audit.row_changes'')');
SET LOCAL ROLE metacortex_owner;

-- migrate:down
SET LOCAL ROLE metacortex_migrator;
SELECT cron.unschedule('metacortex-partman-audit.row_changes');
SELECT cron.schedule('metacortex-partman-audit.row_changes', '37 * * * *',
    'SELECT app.run_partition_maintenance(''audit.row_changes'')');
SET LOCAL ROLE metacortex_owner;
UPDATE partman.part_config SET retention = '84 months' WHERE parent_table = 'audit.row_changes';
DROP FUNCTION audit.drop_partitions_before(timestamptz);
CREATE OR REPLACE FUNCTION audit.verify_chain(chain_user uuid)
    RETURNS TABLE (valid boolean, entries bigint, first_bad_seq bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, audit
AS $$
DECLARE
    e audit.row_changes;
    expected_prev bytea;
    expected_seq bigint;
BEGIN
    valid := true;
    entries := 0;
    FOR e IN SELECT * FROM audit.row_changes r WHERE r.user_id = chain_user ORDER BY r.seq LOOP
        entries := entries + 1;
        IF (expected_prev IS NOT NULL AND (e.prev_hash <> expected_prev OR e.seq <> expected_seq))
           OR e.hash <> audit.entry_hash(e.user_id, e.seq, e.occurred_at, e.txid, e.app_user_id, e.db_role, e.table_name,
                                         e.operation, e.row_key, e.old_values, e.new_values, e.prev_hash) THEN
            valid := false;
            first_bad_seq := e.seq;
            RETURN NEXT;
            RETURN;
        END IF;
        expected_prev := e.hash;
        expected_seq := e.seq + 1;
    END LOOP;
    IF valid AND entries > 0 AND expected_prev <> (SELECT h.hash FROM audit.chain_heads h WHERE h.user_id = chain_user) THEN
        valid := false;  -- the newest entries were removed
        first_bad_seq := expected_seq;
    END IF;
    RETURN NEXT;
END
$$;
DROP TABLE audit.chain_watermarks;
