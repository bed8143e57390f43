-- Why: the open-tasks page (open_by_due) and the overdue list read one heap page per row they return: a user's
-- tasks sit on a few heap pages, but the due-date order hops between them, about 29 shared buffers for a page of 50
-- at 5k users (bench/results/queries.md, docs/performance.md). INCLUDE-ing the columns those lists return makes both
-- index-only scans. Cost: title is stored in the index too (size in docs/performance.md); a title edit was already a
-- non-HOT update, because tasks_search_idx covers title.
-- The new index is built next to the old one (CONCURRENTLY: reads and writes go on), which a later migration drops.
-- CONCURRENTLY cannot run in a transaction, and a multi-statement string is one, so each file holds a single
-- statement and no SET: its SHARE UPDATE EXCLUSIVE lock never blocks the app's reads and writes, so waiting for it is
-- harmless, and the migrator role has no statement timeout because a build on a big table takes minutes.

-- migrate:up transaction:false
-- No SET possible before CONCURRENTLY (see the header); SHARE UPDATE EXCLUSIVE does not block reads or writes.
-- squawk-ignore require-lock-timeout, require-statement-timeout
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_open_due_cover_idx ON app.tasks (user_id, due_at, id) INCLUDE (title, status, priority)
    WHERE deleted_at IS NULL AND status IN ('todo', 'in_progress', 'blocked');

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS app.tasks_open_due_cover_idx;
