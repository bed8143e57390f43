-- Why: tasks arrive in time order from every user at once, so one user's rows end up on as many heap pages as they
-- have rows, and a page of 50 that must visit the heap reads 50 pages when the cache is cold. Marking the primary
-- key (user_id, id) as the table's clustering index names the order in which `npm run db:repack` (pg_repack, online)
-- rewrites the table: each user's rows together, oldest first, about 22 to a page (docs/performance.md: heap pages
-- per page of 50 before and after, and what a repack costs). It changes nothing until a repack or CLUSTER runs.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

ALTER TABLE app.tasks CLUSTER ON tasks_pkey;

-- migrate:down
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '1min';

ALTER TABLE app.tasks SET WITHOUT CLUSTER;
