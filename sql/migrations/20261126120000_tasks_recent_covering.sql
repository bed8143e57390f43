-- Why: "recently updated" (ORDER BY updated_at DESC, id DESC, the order SQLAlchemy writes for it) had no index: the
-- plan read every live task of the user and sorted them (90 buffers for an average user at 10M tasks, 262 for a
-- heavy one). This index serves it in order, and INCLUDE makes a load_only page (title, status, priority, due_at) an
-- index-only scan of 3 to 5 buffers. It also serves substring search on titles under row-level security: ILIKE is
-- not leakproof, so no trigram index can be used ahead of the tenant policy, but an index-only scan of the user's
-- live tasks filtered on the included title reads a few leaf pages. Cost (docs/performance.md, npm run bench --
-- writes): every insert and update maintains one more index; no update was HOT before it (each of the app's updates
-- already changes an indexed column), so it takes no HOT update away. One statement, no SET: see
-- 20261125090000_tasks_open_due_covering.sql.

-- migrate:up transaction:false
-- No SET possible before CONCURRENTLY (see the header); SHARE UPDATE EXCLUSIVE does not block reads or writes.
-- squawk-ignore require-lock-timeout, require-statement-timeout
CREATE INDEX CONCURRENTLY IF NOT EXISTS tasks_recent_cover_idx ON app.tasks (user_id, updated_at DESC, id DESC)
    INCLUDE (title, status, priority, due_at) WHERE deleted_at IS NULL;

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS app.tasks_recent_cover_idx;
