-- Why: notes, with pinned-first listing and per-user text search, keyed (user_id, id) like every user-owned table.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE app.notes (
    user_id    uuid        NOT NULL,
    id         uuid        NOT NULL DEFAULT app.uuid_generate_v7(),
    title      text        NOT NULL DEFAULT '',
    body       text        NOT NULL DEFAULT '',
    pinned     boolean     NOT NULL DEFAULT false,
    search     tsvector    GENERATED ALWAYS AS (
                   setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    CONSTRAINT notes_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT notes_user_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE,
    CONSTRAINT notes_title_check CHECK (char_length(title) <= 500),
    CONSTRAINT notes_body_check CHECK (char_length(body) <= 100000)
);
-- The notes list: pinned first, then most recently edited.
CREATE INDEX notes_list_idx ON app.notes (user_id, pinned DESC, updated_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX notes_search_idx ON app.notes USING gin (user_id, search) WHERE deleted_at IS NULL;
CREATE INDEX notes_deleted_at_idx ON app.notes (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TRIGGER notes_set_updated_at BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

COMMENT ON TABLE app.notes IS 'A user''s notes.';
COMMENT ON COLUMN app.notes.search IS 'Text-search vector of title (weight A) and body (B), simple dictionary.';

-- migrate:down
DROP TABLE app.notes;
