-- Why: tasks_open_due_cover_idx has the same keys and predicate plus the listed columns, so the old index only costs
-- writes and memory now. Dropped in its own migration after the covering one exists (contract step); the down
-- rebuilds it exactly, concurrently.

-- migrate:up transaction:false
-- No SET possible before CONCURRENTLY (see the header); SHARE UPDATE EXCLUSIVE does not block reads or writes.
-- squawk-ignore require-lock-timeout, require-statement-timeout
DROP INDEX CONCURRENTLY IF EXISTS app.tasks_open_due_idx;

-- migrate:down transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_open_due_idx ON app.tasks (user_id, due_at, id)
    WHERE deleted_at IS NULL AND status IN ('todo', 'in_progress', 'blocked');
