-- Why: tasks_status_priority_cover_idx has the same keys and predicate plus title, so the old index only costs writes
-- and memory now. Dropped after the covering one exists; the down rebuilds it exactly, concurrently.

-- migrate:up transaction:false
-- No SET possible before CONCURRENTLY (see the header); SHARE UPDATE EXCLUSIVE does not block reads or writes.
-- squawk-ignore require-lock-timeout, require-statement-timeout
DROP INDEX CONCURRENTLY IF EXISTS app.tasks_status_priority_idx;

-- migrate:down transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_status_priority_idx ON app.tasks (user_id, status, priority, due_at, id)
    WHERE deleted_at IS NULL;
