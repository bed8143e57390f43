-- Why: the status + priority filter returns title, which the old index lacks, so each of its 50 rows cost a heap
-- visit (about 21 shared buffers at 5k users). INCLUDE (title) makes it an index-only scan, like counts per status
-- already is. Built next to the old index; a later migration drops that one. One statement, no SET:
-- see 20261125090000_tasks_open_due_covering.sql.

-- migrate:up transaction:false
-- No SET possible before CONCURRENTLY (see the header); SHARE UPDATE EXCLUSIVE does not block reads or writes.
-- squawk-ignore require-lock-timeout, require-statement-timeout
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_status_priority_cover_idx ON app.tasks (user_id, status, priority, due_at, id) INCLUDE (title)
    WHERE deleted_at IS NULL;

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS app.tasks_status_priority_cover_idx;
