-- Why: tags and the join tables that put them on tasks and notes. Composite foreign keys make tagging another
-- user's task (or with another user's tag) impossible; a tag name is unique per user among live tags only.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE app.tags (
    user_id    uuid        NOT NULL,
    id         uuid        NOT NULL DEFAULT app.uuid_generate_v7(),
    name       text        NOT NULL,
    color      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    CONSTRAINT tags_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT tags_user_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE,
    CONSTRAINT tags_name_check CHECK (char_length(name) BETWEEN 1 AND 64),
    CONSTRAINT tags_color_check CHECK (color ~ '^#[0-9a-f]{6}$')
);
CREATE UNIQUE INDEX tags_name_key ON app.tags (user_id, lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX tags_deleted_at_idx ON app.tags (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TRIGGER tags_set_updated_at BEFORE UPDATE ON app.tags FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
COMMENT ON TABLE app.tags IS 'A user''s labels for tasks and notes.';
COMMENT ON COLUMN app.tags.name IS 'Unique per user, ignoring case, among tags not deleted.';

CREATE TABLE app.task_tags (
    user_id    uuid        NOT NULL,
    task_id    uuid        NOT NULL,
    tag_id     uuid        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT task_tags_pkey PRIMARY KEY (user_id, task_id, tag_id),
    CONSTRAINT task_tags_task_fkey FOREIGN KEY (user_id, task_id) REFERENCES app.tasks (user_id, id) ON DELETE CASCADE,
    CONSTRAINT task_tags_tag_fkey FOREIGN KEY (user_id, tag_id) REFERENCES app.tags (user_id, id) ON DELETE CASCADE
);
-- Tasks by tag; also the index behind task_tags_tag_fkey.
CREATE INDEX task_tags_tag_idx ON app.task_tags (user_id, tag_id, task_id);
COMMENT ON TABLE app.task_tags IS 'Which tags are on which task (same user on both sides, by construction).';

CREATE TABLE app.note_tags (
    user_id    uuid        NOT NULL,
    note_id    uuid        NOT NULL,
    tag_id     uuid        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT note_tags_pkey PRIMARY KEY (user_id, note_id, tag_id),
    CONSTRAINT note_tags_note_fkey FOREIGN KEY (user_id, note_id) REFERENCES app.notes (user_id, id) ON DELETE CASCADE,
    CONSTRAINT note_tags_tag_fkey FOREIGN KEY (user_id, tag_id) REFERENCES app.tags (user_id, id) ON DELETE CASCADE
);
CREATE INDEX note_tags_tag_idx ON app.note_tags (user_id, tag_id, note_id);
COMMENT ON TABLE app.note_tags IS 'Which tags are on which note.';

-- migrate:down
DROP TABLE app.note_tags;
DROP TABLE app.task_tags;
DROP TABLE app.tags;
