-- Why: the tenant root. Every other user-owned row carries users.id as user_id. Email is unique case-insensitively
-- among live users only, so a deleted account's address can sign up again. pgaudit object-audits this table.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE app.users (
    id            uuid        NOT NULL DEFAULT app.uuid_generate_v7(),
    email         ext.citext  NOT NULL,
    display_name  text        NOT NULL,
    time_zone     text        NOT NULL DEFAULT 'UTC',
    password_hash text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    deleted_at    timestamptz,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_email_check CHECK (char_length(email::text) BETWEEN 3 AND 320 AND email::text LIKE '%_@_%'),
    CONSTRAINT users_display_name_check CHECK (char_length(display_name) BETWEEN 1 AND 100),
    -- Fails for a name PostgreSQL does not know (e.g. 'Mars/Base'); stable, not immutable, and that is fine here.
    CONSTRAINT users_time_zone_check CHECK ((now() AT TIME ZONE time_zone) IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON app.users (email) WHERE deleted_at IS NULL;
CREATE INDEX users_deleted_at_idx ON app.users (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

COMMENT ON TABLE app.users IS 'People who use MetaCortex; the tenant of every other table.';
COMMENT ON COLUMN app.users.email IS 'Login address; unique case-insensitively among users not deleted.';
COMMENT ON COLUMN app.users.time_zone IS 'IANA zone for due dates and "today"; validated against the server''s zone list.';
COMMENT ON COLUMN app.users.password_hash IS 'Hash from the backend''s password library; redacted in the audit log.';
COMMENT ON COLUMN app.users.deleted_at IS 'Soft delete; purged after the retention period by app.purge_soft_deleted().';

-- pgaudit object auditing: these grants are what make reads and writes of users audited (pgaudit.role).
GRANT SELECT, INSERT, UPDATE, DELETE ON app.users TO metacortex_pgaudit;

-- migrate:down
DROP TABLE app.users;
