-- Why: tasks, the hot table. Keys are (user_id, id) so a subtask can only point at its owner's task, and each index
-- below serves one of the backend's task filters (docs/schema.md shows each query and its plan).

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE app.tasks (
    user_id      uuid             NOT NULL,
    id           uuid             NOT NULL DEFAULT app.uuid_generate_v7(),
    parent_id    uuid,
    title        text             NOT NULL,
    description  text,
    status       text             NOT NULL DEFAULT 'todo',
    -- smallint on purpose: the CHECK below bounds it far under 32767.
    -- squawk-ignore prefer-bigint-over-smallint
    priority     smallint         NOT NULL DEFAULT 3,
    due_at       timestamptz,
    completed_at timestamptz,
    position     double precision NOT NULL DEFAULT 0,
    search       tsvector         GENERATED ALWAYS AS (
                     setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
                     setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED,
    created_at   timestamptz      NOT NULL DEFAULT now(),
    updated_at   timestamptz      NOT NULL DEFAULT now(),
    deleted_at   timestamptz,
    CONSTRAINT tasks_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT tasks_user_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE,
    -- Composite: a parent in another user's tasks cannot exist. Purging a parent keeps its subtasks, top-level.
    CONSTRAINT tasks_parent_fkey FOREIGN KEY (user_id, parent_id) REFERENCES app.tasks (user_id, id) ON DELETE SET NULL (parent_id),
    CONSTRAINT tasks_parent_not_self_check CHECK (parent_id <> id),
    CONSTRAINT tasks_title_check CHECK (char_length(title) BETWEEN 1 AND 500),
    CONSTRAINT tasks_description_check CHECK (char_length(description) <= 20000),
    CONSTRAINT tasks_status_check CHECK (status IN ('todo', 'in_progress', 'blocked', 'done', 'cancelled')),
    CONSTRAINT tasks_priority_check CHECK (priority BETWEEN 1 AND 4),
    CONSTRAINT tasks_completed_check CHECK ((status = 'done') = (completed_at IS NOT NULL))
);

-- Open tasks by due date, keyset-paginated on (due_at, id); also the overdue list (due_at < now()).
CREATE INDEX tasks_open_due_idx ON app.tasks (user_id, due_at, id)
    WHERE deleted_at IS NULL AND status IN ('todo', 'in_progress', 'blocked');
-- Status + priority filter, and counts per status (index-only).
CREATE INDEX tasks_status_priority_idx ON app.tasks (user_id, status, priority, due_at, id) WHERE deleted_at IS NULL;
-- Subtasks of a task, in order; also the index behind tasks_parent_fkey.
CREATE INDEX tasks_parent_idx ON app.tasks (user_id, parent_id, position) WHERE parent_id IS NOT NULL;
-- Per-user text search on title and description (btree_gin puts user_id in the same GIN index).
CREATE INDEX tasks_search_idx ON app.tasks USING gin (user_id, search) WHERE deleted_at IS NULL;
-- The purge job's scan of rows deleted long ago.
CREATE INDEX tasks_deleted_at_idx ON app.tasks (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

-- Hot table: vacuum and analyze sooner than the server-wide 5% / 2% (docs/settings.md, per-table overrides).
ALTER TABLE app.tasks SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);

COMMENT ON TABLE app.tasks IS 'A user''s tasks and subtasks.';
COMMENT ON COLUMN app.tasks.status IS 'todo | in_progress | blocked (open), done, cancelled.';
COMMENT ON COLUMN app.tasks.priority IS '1 (urgent) to 4 (low).';
COMMENT ON COLUMN app.tasks.completed_at IS 'Set exactly when status is done.';
COMMENT ON COLUMN app.tasks.position IS 'Manual order among siblings; fractional so a move rewrites one row.';
COMMENT ON COLUMN app.tasks.search IS 'Text-search vector of title (weight A) and description (B), simple dictionary.';

-- migrate:down
DROP TABLE app.tasks;
