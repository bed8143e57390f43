-- Why: a check-in dated past the premade months (or 'infinity') lands in the default partition, and pg_partman's
-- maintenance then fails on every run: it cannot create the month that row belongs to while the row sits in the
-- default, and 'infinity' has no month at all. A CHECK, not the insert policy: it binds every writer (the app, the
-- owner's maintenance, a superuser's load), and both bounds are safe for a CHECK because a row that passes once passes
-- forever: the upper bound (one day ahead, enough for any time zone) only moves forward with now(), and the lower
-- bound is a constant. A lower bound relative to now() (retention) would turn old rows invalid and break a restore.
-- Added NOT VALID (no scan under a lock); 20261126110900 validates the rows already there.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.habit_checkins ADD CONSTRAINT habit_checkins_checked_at_window_check
    CHECK (checked_at >= '2000-01-01 00:00:00+00'::timestamptz AND checked_at < now() + interval '1 day') NOT VALID;

-- migrate:down
ALTER TABLE app.habit_checkins DROP CONSTRAINT habit_checkins_checked_at_window_check;
