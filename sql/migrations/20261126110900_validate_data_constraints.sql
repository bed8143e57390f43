-- Why: the data constraints of 20261126110100 to 20261126110800 were added NOT VALID, which checks new and updated
-- rows at once without scanning the tables under an exclusive lock. VALIDATE CONSTRAINT now proves the rows already
-- there, under a SHARE UPDATE EXCLUSIVE lock that lets reads and writes go on; it must run in a transaction of its
-- own (squawk). If it fails, the error names the constraint and table: correct those rows (the constraint's own
-- expression, negated, finds them) and migrate again. The down cannot un-validate a constraint in PostgreSQL 15, so
-- it drops each one and adds it back NOT VALID, which is exactly the schema before.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.habit_checkins VALIDATE CONSTRAINT habit_checkins_checked_at_window_check;
ALTER TABLE audit.row_changes VALIDATE CONSTRAINT row_changes_occurred_at_window_check;
ALTER TABLE app.users VALIDATE CONSTRAINT users_password_hash_check;
ALTER TABLE app.habits VALIDATE CONSTRAINT habits_days_distinct_check;
ALTER TABLE app.tasks VALIDATE CONSTRAINT tasks_position_finite_check;
ALTER TABLE app.tasks VALIDATE CONSTRAINT tasks_due_at_finite_check;
ALTER TABLE app.tasks VALIDATE CONSTRAINT tasks_completed_at_finite_check;
ALTER TABLE app.tasks VALIDATE CONSTRAINT tasks_title_not_blank_check;
ALTER TABLE app.notes VALIDATE CONSTRAINT notes_title_not_blank_check;
ALTER TABLE app.tags VALIDATE CONSTRAINT tags_name_not_blank_check;
ALTER TABLE app.habits VALIDATE CONSTRAINT habits_name_not_blank_check;
ALTER TABLE app.users VALIDATE CONSTRAINT users_display_name_not_blank_check;

-- migrate:down
ALTER TABLE app.users DROP CONSTRAINT users_display_name_not_blank_check,
    ADD CONSTRAINT users_display_name_not_blank_check CHECK (display_name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.habits DROP CONSTRAINT habits_name_not_blank_check,
    ADD CONSTRAINT habits_name_not_blank_check CHECK (name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.tags DROP CONSTRAINT tags_name_not_blank_check,
    ADD CONSTRAINT tags_name_not_blank_check CHECK (name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.notes DROP CONSTRAINT notes_title_not_blank_check,
    ADD CONSTRAINT notes_title_not_blank_check CHECK (title = '' OR title ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.tasks DROP CONSTRAINT tasks_title_not_blank_check,
    ADD CONSTRAINT tasks_title_not_blank_check CHECK (title ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]') NOT VALID;
ALTER TABLE app.tasks DROP CONSTRAINT tasks_completed_at_finite_check,
    ADD CONSTRAINT tasks_completed_at_finite_check CHECK (isfinite(completed_at)) NOT VALID;
ALTER TABLE app.tasks DROP CONSTRAINT tasks_due_at_finite_check,
    ADD CONSTRAINT tasks_due_at_finite_check CHECK (isfinite(due_at)) NOT VALID;
ALTER TABLE app.tasks DROP CONSTRAINT tasks_position_finite_check,
    ADD CONSTRAINT tasks_position_finite_check CHECK (position > '-Infinity'::double precision AND position < 'Infinity'::double precision) NOT VALID;
ALTER TABLE app.habits DROP CONSTRAINT habits_days_distinct_check, ADD CONSTRAINT habits_days_distinct_check CHECK (
    array_ndims(days_of_week) = 1 AND cardinality(days_of_week) <= 7
    AND cardinality(array_positions(days_of_week, 1::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 2::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 3::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 4::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 5::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 6::smallint)) <= 1
    AND cardinality(array_positions(days_of_week, 7::smallint)) <= 1
) NOT VALID;
ALTER TABLE app.users DROP CONSTRAINT users_password_hash_check,
    ADD CONSTRAINT users_password_hash_check CHECK (char_length(password_hash) <= 255) NOT VALID;
ALTER TABLE audit.row_changes DROP CONSTRAINT row_changes_occurred_at_window_check,
    ADD CONSTRAINT row_changes_occurred_at_window_check CHECK (occurred_at >= '2000-01-01 00:00:00+00'::timestamptz AND occurred_at < now() + interval '1 day') NOT VALID;
ALTER TABLE app.habit_checkins DROP CONSTRAINT habit_checkins_checked_at_window_check,
    ADD CONSTRAINT habit_checkins_checked_at_window_check CHECK (checked_at >= '2000-01-01 00:00:00+00'::timestamptz AND checked_at < now() + interval '1 day') NOT VALID;
