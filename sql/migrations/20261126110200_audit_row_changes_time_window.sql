-- Why: audit.row_changes is partitioned by month like the check-ins, so one entry dated far ahead (or 'infinity')
-- would stop pg_partman's maintenance of the audit log the same way. audit.record_change() always writes now(); only
-- a hand-made row can be outside, and this CHECK refuses it. Same bounds and reasoning as
-- 20261126110100_habit_checkins_time_window.sql: both only ever admit more rows as time passes, so a restore of a
-- valid log never fails them. Added NOT VALID; 20261126110900 validates the rows already there.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE audit.row_changes ADD CONSTRAINT row_changes_occurred_at_window_check
    CHECK (occurred_at >= '2000-01-01 00:00:00+00'::timestamptz AND occurred_at < now() + interval '1 day') NOT VALID;

-- migrate:down
ALTER TABLE audit.row_changes DROP CONSTRAINT row_changes_occurred_at_window_check;
