-- Why: "completed this week" (status = 'done' AND completed_at >= now() - interval '7 days') read every done task of
-- the user to keep the few of the last week (34 buffers for 3 to 8 rows at 10M tasks). Partial on live done rows
-- (about a third of the table), keyed by completion time, it reads the index pages of that week and one heap visit
-- per row. Its writes: inserts of done tasks and the update that completes a task, which already changed indexed
-- columns (status), so HOT updates are unaffected. One statement, no SET: see
-- 20261125090000_tasks_open_due_covering.sql.

-- migrate:up transaction:false
-- No SET possible before CONCURRENTLY (see the header); SHARE UPDATE EXCLUSIVE does not block reads or writes.
-- squawk-ignore require-lock-timeout, require-statement-timeout
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_done_idx ON app.tasks (user_id, completed_at)
    WHERE status = 'done' AND deleted_at IS NULL;

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS app.tasks_done_idx;
