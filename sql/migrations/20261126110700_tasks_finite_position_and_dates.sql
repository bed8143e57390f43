-- Why: position took 'NaN' and +-'Infinity', which break the fractional ordering (NaN sorts after everything, and no
-- position fits between two infinities), and due_at and completed_at took +-'infinity', which no date arithmetic or
-- calendar can show. All three must be finite. NaN fails the position check too: PostgreSQL orders NaN above
-- 'Infinity'. Added NOT VALID; 20261126110900 validates the rows already there.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.tasks
    ADD CONSTRAINT tasks_position_finite_check
        CHECK (position > '-Infinity'::double precision AND position < 'Infinity'::double precision) NOT VALID,
    ADD CONSTRAINT tasks_due_at_finite_check CHECK (isfinite(due_at)) NOT VALID,
    ADD CONSTRAINT tasks_completed_at_finite_check CHECK (isfinite(completed_at)) NOT VALID;

-- migrate:down
ALTER TABLE app.tasks
    DROP CONSTRAINT tasks_completed_at_finite_check,
    DROP CONSTRAINT tasks_due_at_finite_check,
    DROP CONSTRAINT tasks_position_finite_check;
