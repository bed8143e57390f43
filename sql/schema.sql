--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: metacortex_owner
--

CREATE SCHEMA app;

ALTER SCHEMA app OWNER TO metacortex_owner;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: metacortex_owner
--

CREATE SCHEMA audit;

ALTER SCHEMA audit OWNER TO metacortex_owner;

--
-- Name: pg_cron; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_cron WITH SCHEMA public;

--
-- Name: EXTENSION pg_cron; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_cron IS 'Job scheduler for PostgreSQL';

--
-- Name: ext; Type: SCHEMA; Schema: -; Owner: metacortex_owner
--

CREATE SCHEMA ext;

ALTER SCHEMA ext OWNER TO metacortex_owner;

--
-- Name: partman; Type: SCHEMA; Schema: -; Owner: metacortex_owner
--

CREATE SCHEMA partman;

ALTER SCHEMA partman OWNER TO metacortex_owner;

--
-- Name: btree_gin; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA ext;

--
-- Name: EXTENSION btree_gin; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION btree_gin IS 'support for indexing common datatypes in GIN';

--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ext;

--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

--
-- Name: pg_partman; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_partman WITH SCHEMA partman;

--
-- Name: EXTENSION pg_partman; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_partman IS 'Extension to manage partitioned tables by time or ID';

--
-- Name: pg_stat_statements; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA ext;

--
-- Name: EXTENSION pg_stat_statements; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pg_stat_statements IS 'track planning and execution statistics of all SQL statements executed';

--
-- Name: pgaudit; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgaudit WITH SCHEMA ext;

--
-- Name: EXTENSION pgaudit; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgaudit IS 'provides auditing functionality';

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA ext;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: purge_soft_deleted(interval, integer); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.purge_soft_deleted(retention interval DEFAULT '30 days'::interval, batch_size integer DEFAULT 5000) RETURNS TABLE(table_name text, purged bigint)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $_$
DECLARE
    t text;
    n bigint;
BEGIN
    IF retention < interval '1 day' THEN
        RAISE EXCEPTION 'retention must be at least 1 day, got %', retention;
    END IF;
    FOREACH t IN ARRAY ARRAY['tasks', 'notes', 'tags', 'habits', 'users'] LOOP
        table_name := t;
        purged := 0;
        LOOP
            EXECUTE format(
                'DELETE FROM app.%I WHERE ctid = ANY (ARRAY(SELECT ctid FROM app.%I WHERE deleted_at < now() - $1 LIMIT $2))', t, t)
                USING retention, batch_size;
            GET DIAGNOSTICS n = ROW_COUNT;
            purged := purged + n;
            EXIT WHEN n < batch_size;
        END LOOP;
        RETURN NEXT;
    END LOOP;
END
$_$;

ALTER FUNCTION app.purge_soft_deleted(retention interval, batch_size integer) OWNER TO metacortex_owner;

--
-- Name: FUNCTION purge_soft_deleted(retention interval, batch_size integer); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.purge_soft_deleted(retention interval, batch_size integer) IS 'Hard-deletes rows soft-deleted more than retention ago; returns counts per table.';

--
-- Name: set_updated_at(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    -- Only a real change moves updated_at; a no-op UPDATE leaves it alone. Compared without updated_at itself and
    -- without stored generated columns (search), which are not yet computed in NEW when a BEFORE trigger runs.
    IF (to_jsonb(NEW) - 'updated_at' - 'search') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at' - 'search') THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;

ALTER FUNCTION app.set_updated_at() OWNER TO metacortex_owner;

--
-- Name: FUNCTION set_updated_at(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.set_updated_at() IS 'BEFORE UPDATE trigger: maintains updated_at.';

--
-- Name: uuid_generate_v7(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.uuid_generate_v7() RETURNS uuid
    LANGUAGE plpgsql PARALLEL SAFE
    AS $$
-- RFC 9562 UUIDv7, method 3: 48-bit Unix time in ms, version 7, then the sub-millisecond fraction in the 12 rand_a
-- bits (about 0.25 us steps), then variant 10 and 62 random bits (taken from a v4 UUID).
-- The fraction keeps ids increasing within a millisecond: with random rand_a bits, inserts inside one ms land at
-- random places in the rightmost index pages and split them half-full (docs/schema.md has the measurement).
-- plpgsql rather than SQL: the SQL form cannot be inlined (it needs the clock once) and costs 2.5x more per call.
DECLARE
    epoch_ms double precision := date_part('epoch', clock_timestamp()) * 1000;
    ms bigint := floor(epoch_ms);
BEGIN
    RETURN encode(
        overlay(
            overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(ms) FROM 3) FROM 1 FOR 6)
            PLACING int2send((28672 + floor((epoch_ms - ms) * 4096))::smallint) FROM 7 FOR 2),
        'hex')::uuid;
END
$$;

ALTER FUNCTION app.uuid_generate_v7() OWNER TO metacortex_owner;

--
-- Name: FUNCTION uuid_generate_v7(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.uuid_generate_v7() IS 'A UUIDv7 (RFC 9562): time-ordered, for primary keys.';

--
-- Name: uuid_v7_timestamp(uuid); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.uuid_v7_timestamp(id uuid) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint / 1000.0)
$$;

ALTER FUNCTION app.uuid_v7_timestamp(id uuid) OWNER TO metacortex_owner;

--
-- Name: FUNCTION uuid_v7_timestamp(id uuid); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.uuid_v7_timestamp(id uuid) IS 'The creation time embedded in a UUIDv7 (millisecond precision).';

SET default_tablespace = '';

--
-- Name: habit_checkins; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.habit_checkins (
    user_id uuid NOT NULL,
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    habit_id uuid NOT NULL,
    checked_at timestamp with time zone DEFAULT now() NOT NULL,
    value smallint DEFAULT 1 NOT NULL,
    note text,
    CONSTRAINT habit_checkins_note_check CHECK ((char_length(note) <= 1000)),
    CONSTRAINT habit_checkins_value_check CHECK (((value >= 1) AND (value <= 1000)))
)
PARTITION BY RANGE (checked_at);

ALTER TABLE app.habit_checkins OWNER TO metacortex_owner;

--
-- Name: TABLE habit_checkins; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.habit_checkins IS 'Append-only check-ins, partitioned by month (pg_partman); the app may insert and delete, never update.';

SET default_table_access_method = heap;

--
-- Name: habit_checkins_default; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.habit_checkins_default (
    user_id uuid NOT NULL,
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    habit_id uuid NOT NULL,
    checked_at timestamp with time zone DEFAULT now() NOT NULL,
    value smallint DEFAULT 1 NOT NULL,
    note text,
    CONSTRAINT habit_checkins_note_check CHECK ((char_length(note) <= 1000)),
    CONSTRAINT habit_checkins_value_check CHECK (((value >= 1) AND (value <= 1000)))
);

ALTER TABLE app.habit_checkins_default OWNER TO metacortex_owner;

--
-- Name: habits; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.habits (
    user_id uuid NOT NULL,
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    name text NOT NULL,
    frequency text DEFAULT 'daily'::text NOT NULL,
    days_of_week smallint[],
    target_per_period smallint DEFAULT 1 NOT NULL,
    archived_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT habits_days_check CHECK ((days_of_week <@ '{1,2,3,4,5,6,7}'::smallint[])),
    CONSTRAINT habits_frequency_check CHECK ((frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'monthly'::text]))),
    CONSTRAINT habits_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT habits_target_check CHECK (((target_per_period >= 1) AND (target_per_period <= 100)))
);

ALTER TABLE app.habits OWNER TO metacortex_owner;

--
-- Name: TABLE habits; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.habits IS 'A user''s habits and how often they aim to do them.';

--
-- Name: COLUMN habits.days_of_week; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.habits.days_of_week IS 'ISO days (1 = Monday) for weekly habits.';

--
-- Name: COLUMN habits.archived_at; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.habits.archived_at IS 'Archived habits keep their history but leave the daily list.';

--
-- Name: note_tags; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.note_tags (
    user_id uuid NOT NULL,
    note_id uuid NOT NULL,
    tag_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.note_tags OWNER TO metacortex_owner;

--
-- Name: TABLE note_tags; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.note_tags IS 'Which tags are on which note.';

--
-- Name: notes; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.notes (
    user_id uuid NOT NULL,
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    title text DEFAULT ''::text NOT NULL,
    body text DEFAULT ''::text NOT NULL,
    pinned boolean DEFAULT false NOT NULL,
    search tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('simple'::regconfig, title), 'A'::"char") || setweight(to_tsvector('simple'::regconfig, body), 'B'::"char"))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT notes_body_check CHECK ((char_length(body) <= 100000)),
    CONSTRAINT notes_title_check CHECK ((char_length(title) <= 500))
);

ALTER TABLE app.notes OWNER TO metacortex_owner;

--
-- Name: TABLE notes; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.notes IS 'A user''s notes.';

--
-- Name: COLUMN notes.search; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.notes.search IS 'Text-search vector of title (weight A) and body (B), simple dictionary.';

--
-- Name: tags; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.tags (
    user_id uuid NOT NULL,
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    name text NOT NULL,
    color text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT tags_color_check CHECK ((color ~ '^#[0-9a-f]{6}$'::text)),
    CONSTRAINT tags_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64)))
);

ALTER TABLE app.tags OWNER TO metacortex_owner;

--
-- Name: TABLE tags; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.tags IS 'A user''s labels for tasks and notes.';

--
-- Name: COLUMN tags.name; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.tags.name IS 'Unique per user, ignoring case, among tags not deleted.';

--
-- Name: task_tags; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.task_tags (
    user_id uuid NOT NULL,
    task_id uuid NOT NULL,
    tag_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.task_tags OWNER TO metacortex_owner;

--
-- Name: TABLE task_tags; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.task_tags IS 'Which tags are on which task (same user on both sides, by construction).';

--
-- Name: tasks; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.tasks (
    user_id uuid NOT NULL,
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    parent_id uuid,
    title text NOT NULL,
    description text,
    status text DEFAULT 'todo'::text NOT NULL,
    priority smallint DEFAULT 3 NOT NULL,
    due_at timestamp with time zone,
    completed_at timestamp with time zone,
    "position" double precision DEFAULT 0 NOT NULL,
    search tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('simple'::regconfig, COALESCE(title, ''::text)), 'A'::"char") || setweight(to_tsvector('simple'::regconfig, COALESCE(description, ''::text)), 'B'::"char"))) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT tasks_completed_check CHECK (((status = 'done'::text) = (completed_at IS NOT NULL))),
    CONSTRAINT tasks_description_check CHECK ((char_length(description) <= 20000)),
    CONSTRAINT tasks_parent_not_self_check CHECK ((parent_id <> id)),
    CONSTRAINT tasks_priority_check CHECK (((priority >= 1) AND (priority <= 4))),
    CONSTRAINT tasks_status_check CHECK ((status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text, 'done'::text, 'cancelled'::text]))),
    CONSTRAINT tasks_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 500)))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_analyze_scale_factor='0.01');

ALTER TABLE app.tasks OWNER TO metacortex_owner;

--
-- Name: TABLE tasks; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.tasks IS 'A user''s tasks and subtasks.';

--
-- Name: COLUMN tasks.status; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.tasks.status IS 'todo | in_progress | blocked (open), done, cancelled.';

--
-- Name: COLUMN tasks.priority; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.tasks.priority IS '1 (urgent) to 4 (low).';

--
-- Name: COLUMN tasks.completed_at; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.tasks.completed_at IS 'Set exactly when status is done.';

--
-- Name: COLUMN tasks."position"; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.tasks."position" IS 'Manual order among siblings; fractional so a move rewrites one row.';

--
-- Name: COLUMN tasks.search; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.tasks.search IS 'Text-search vector of title (weight A) and description (B), simple dictionary.';

--
-- Name: users; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.users (
    id uuid DEFAULT app.uuid_generate_v7() NOT NULL,
    email ext.citext NOT NULL,
    display_name text NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    password_hash text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    CONSTRAINT users_display_name_check CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 100))),
    CONSTRAINT users_email_check CHECK ((((char_length((email)::text) >= 3) AND (char_length((email)::text) <= 320)) AND ((email)::text ~~ '%_@_%'::text))),
    CONSTRAINT users_time_zone_check CHECK (((now() AT TIME ZONE time_zone) IS NOT NULL))
);

ALTER TABLE app.users OWNER TO metacortex_owner;

--
-- Name: TABLE users; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.users IS 'People who use MetaCortex; the tenant of every other table.';

--
-- Name: COLUMN users.email; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.users.email IS 'Login address; unique case-insensitively among users not deleted.';

--
-- Name: COLUMN users.time_zone; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.users.time_zone IS 'IANA zone for due dates and "today"; validated against the server''s zone list.';

--
-- Name: COLUMN users.password_hash; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.users.password_hash IS 'Hash from the backend''s password library; redacted in the audit log.';

--
-- Name: COLUMN users.deleted_at; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON COLUMN app.users.deleted_at IS 'Soft delete; purged after the retention period by app.purge_soft_deleted().';

--
-- Name: habit_checkins_default; Type: TABLE ATTACH; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.habit_checkins ATTACH PARTITION app.habit_checkins_default DEFAULT;

--
-- Name: habit_checkins habit_checkins_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.habit_checkins
    ADD CONSTRAINT habit_checkins_pkey PRIMARY KEY (user_id, id, checked_at);

--
-- Name: habit_checkins_default habit_checkins_default_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.habit_checkins_default
    ADD CONSTRAINT habit_checkins_default_pkey PRIMARY KEY (user_id, id, checked_at);

--
-- Name: habits habits_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.habits
    ADD CONSTRAINT habits_pkey PRIMARY KEY (user_id, id);

--
-- Name: note_tags note_tags_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.note_tags
    ADD CONSTRAINT note_tags_pkey PRIMARY KEY (user_id, note_id, tag_id);

--
-- Name: notes notes_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.notes
    ADD CONSTRAINT notes_pkey PRIMARY KEY (user_id, id);

--
-- Name: tags tags_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.tags
    ADD CONSTRAINT tags_pkey PRIMARY KEY (user_id, id);

--
-- Name: task_tags task_tags_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.task_tags
    ADD CONSTRAINT task_tags_pkey PRIMARY KEY (user_id, task_id, tag_id);

--
-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (user_id, id);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: habit_checkins_day_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX habit_checkins_day_idx ON ONLY app.habit_checkins USING btree (user_id, checked_at);

--
-- Name: habit_checkins_default_user_id_checked_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX habit_checkins_default_user_id_checked_at_idx ON app.habit_checkins_default USING btree (user_id, checked_at);

--
-- Name: habit_checkins_habit_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX habit_checkins_habit_idx ON ONLY app.habit_checkins USING btree (user_id, habit_id, checked_at);

--
-- Name: habit_checkins_default_user_id_habit_id_checked_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX habit_checkins_default_user_id_habit_id_checked_at_idx ON app.habit_checkins_default USING btree (user_id, habit_id, checked_at);

--
-- Name: habits_deleted_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX habits_deleted_at_idx ON app.habits USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);

--
-- Name: habits_name_key; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE UNIQUE INDEX habits_name_key ON app.habits USING btree (user_id, lower(name)) WHERE (deleted_at IS NULL);

--
-- Name: note_tags_tag_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX note_tags_tag_idx ON app.note_tags USING btree (user_id, tag_id, note_id);

--
-- Name: notes_deleted_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX notes_deleted_at_idx ON app.notes USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);

--
-- Name: notes_list_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX notes_list_idx ON app.notes USING btree (user_id, pinned DESC, updated_at DESC, id) WHERE (deleted_at IS NULL);

--
-- Name: notes_search_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX notes_search_idx ON app.notes USING gin (user_id, search) WHERE (deleted_at IS NULL);

--
-- Name: tags_deleted_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tags_deleted_at_idx ON app.tags USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);

--
-- Name: tags_name_key; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE UNIQUE INDEX tags_name_key ON app.tags USING btree (user_id, lower(name)) WHERE (deleted_at IS NULL);

--
-- Name: task_tags_tag_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX task_tags_tag_idx ON app.task_tags USING btree (user_id, tag_id, task_id);

--
-- Name: tasks_deleted_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_deleted_at_idx ON app.tasks USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);

--
-- Name: tasks_open_due_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_open_due_idx ON app.tasks USING btree (user_id, due_at, id) WHERE ((deleted_at IS NULL) AND (status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text])));

--
-- Name: tasks_parent_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_parent_idx ON app.tasks USING btree (user_id, parent_id, "position") WHERE (parent_id IS NOT NULL);

--
-- Name: tasks_search_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_search_idx ON app.tasks USING gin (user_id, search) WHERE (deleted_at IS NULL);

--
-- Name: tasks_status_priority_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_status_priority_idx ON app.tasks USING btree (user_id, status, priority, due_at, id) WHERE (deleted_at IS NULL);

--
-- Name: users_deleted_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX users_deleted_at_idx ON app.users USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);

--
-- Name: users_email_key; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE UNIQUE INDEX users_email_key ON app.users USING btree (email) WHERE (deleted_at IS NULL);

--
-- Name: habit_checkins_default_pkey; Type: INDEX ATTACH; Schema: app; Owner: metacortex_owner
--

ALTER INDEX app.habit_checkins_pkey ATTACH PARTITION app.habit_checkins_default_pkey;

--
-- Name: habit_checkins_default_user_id_checked_at_idx; Type: INDEX ATTACH; Schema: app; Owner: metacortex_owner
--

ALTER INDEX app.habit_checkins_day_idx ATTACH PARTITION app.habit_checkins_default_user_id_checked_at_idx;

--
-- Name: habit_checkins_default_user_id_habit_id_checked_at_idx; Type: INDEX ATTACH; Schema: app; Owner: metacortex_owner
--

ALTER INDEX app.habit_checkins_habit_idx ATTACH PARTITION app.habit_checkins_default_user_id_habit_id_checked_at_idx;

--
-- Name: habits habits_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER habits_set_updated_at BEFORE UPDATE ON app.habits FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: notes notes_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER notes_set_updated_at BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: tags tags_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tags_set_updated_at BEFORE UPDATE ON app.tags FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: tasks tasks_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: users users_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: habit_checkins habit_checkins_habit_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.habit_checkins
    ADD CONSTRAINT habit_checkins_habit_fkey FOREIGN KEY (user_id, habit_id) REFERENCES app.habits(user_id, id) ON DELETE CASCADE;

--
-- Name: habits habits_user_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.habits
    ADD CONSTRAINT habits_user_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;

--
-- Name: note_tags note_tags_note_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.note_tags
    ADD CONSTRAINT note_tags_note_fkey FOREIGN KEY (user_id, note_id) REFERENCES app.notes(user_id, id) ON DELETE CASCADE;

--
-- Name: note_tags note_tags_tag_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.note_tags
    ADD CONSTRAINT note_tags_tag_fkey FOREIGN KEY (user_id, tag_id) REFERENCES app.tags(user_id, id) ON DELETE CASCADE;

--
-- Name: notes notes_user_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.notes
    ADD CONSTRAINT notes_user_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;

--
-- Name: tags tags_user_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.tags
    ADD CONSTRAINT tags_user_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;

--
-- Name: task_tags task_tags_tag_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.task_tags
    ADD CONSTRAINT task_tags_tag_fkey FOREIGN KEY (user_id, tag_id) REFERENCES app.tags(user_id, id) ON DELETE CASCADE;

--
-- Name: task_tags task_tags_task_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.task_tags
    ADD CONSTRAINT task_tags_task_fkey FOREIGN KEY (user_id, task_id) REFERENCES app.tasks(user_id, id) ON DELETE CASCADE;

--
-- Name: tasks tasks_parent_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.tasks
    ADD CONSTRAINT tasks_parent_fkey FOREIGN KEY (user_id, parent_id) REFERENCES app.tasks(user_id, id) ON DELETE SET NULL (parent_id);

--
-- Name: tasks tasks_user_fkey; Type: FK CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.tasks
    ADD CONSTRAINT tasks_user_fkey FOREIGN KEY (user_id) REFERENCES app.users(id) ON DELETE CASCADE;

--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: metacortex_owner
--

GRANT USAGE ON SCHEMA app TO metacortex_app;
GRANT USAGE ON SCHEMA app TO metacortex_readonly;

--
-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: metacortex_owner
--

GRANT USAGE ON SCHEMA audit TO metacortex_auditor;

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT ALL ON SCHEMA public TO metacortex_owner;

--
-- Name: SCHEMA cron; Type: ACL; Schema: -; Owner: metacortex_admin
--

GRANT USAGE ON SCHEMA cron TO metacortex_migrator;

--
-- Name: SCHEMA ext; Type: ACL; Schema: -; Owner: metacortex_owner
--

GRANT USAGE ON SCHEMA ext TO metacortex_app;
GRANT USAGE ON SCHEMA ext TO metacortex_readonly;
GRANT USAGE ON SCHEMA ext TO metacortex_monitor;

--
-- Name: FUNCTION purge_soft_deleted(retention interval, batch_size integer); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.purge_soft_deleted(retention interval, batch_size integer) FROM PUBLIC;

--
-- Name: FUNCTION set_updated_at(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.set_updated_at() FROM PUBLIC;

--
-- Name: FUNCTION uuid_generate_v7(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.uuid_generate_v7() FROM PUBLIC;
GRANT ALL ON FUNCTION app.uuid_generate_v7() TO metacortex_app;

--
-- Name: FUNCTION uuid_v7_timestamp(id uuid); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.uuid_v7_timestamp(id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.uuid_v7_timestamp(id uuid) TO metacortex_app;
GRANT ALL ON FUNCTION app.uuid_v7_timestamp(id uuid) TO metacortex_readonly;

--
-- Name: FUNCTION apply_cluster(p_parent_schema text, p_parent_tablename text, p_child_schema text, p_child_tablename text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.apply_cluster(p_parent_schema text, p_parent_tablename text, p_child_schema text, p_child_tablename text) TO metacortex_owner;

--
-- Name: FUNCTION apply_constraints(p_parent_table text, p_child_table text, p_analyze boolean, p_job_id bigint); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.apply_constraints(p_parent_table text, p_child_table text, p_analyze boolean, p_job_id bigint) TO metacortex_owner;

--
-- Name: FUNCTION apply_foreign_keys(p_parent_table text, p_child_table text, p_job_id bigint, p_debug boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.apply_foreign_keys(p_parent_table text, p_child_table text, p_job_id bigint, p_debug boolean) TO metacortex_owner;

--
-- Name: FUNCTION apply_privileges(p_parent_schema text, p_parent_tablename text, p_child_schema text, p_child_tablename text, p_job_id bigint); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.apply_privileges(p_parent_schema text, p_parent_tablename text, p_child_schema text, p_child_tablename text, p_job_id bigint) TO metacortex_owner;

--
-- Name: FUNCTION apply_publications(p_parent_table text, p_child_schema text, p_child_tablename text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.apply_publications(p_parent_table text, p_child_schema text, p_child_tablename text) TO metacortex_owner;

--
-- Name: FUNCTION autovacuum_off(p_parent_schema text, p_parent_tablename text, p_source_schema text, p_source_tablename text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.autovacuum_off(p_parent_schema text, p_parent_tablename text, p_source_schema text, p_source_tablename text) TO metacortex_owner;

--
-- Name: FUNCTION autovacuum_reset(p_parent_schema text, p_parent_tablename text, p_source_schema text, p_source_tablename text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.autovacuum_reset(p_parent_schema text, p_parent_tablename text, p_source_schema text, p_source_tablename text) TO metacortex_owner;

--
-- Name: FUNCTION check_automatic_maintenance_value(p_automatic_maintenance text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_automatic_maintenance_value(p_automatic_maintenance text) TO metacortex_owner;

--
-- Name: FUNCTION check_control_type(p_parent_schema text, p_parent_tablename text, p_control text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_control_type(p_parent_schema text, p_parent_tablename text, p_control text) TO metacortex_owner;

--
-- Name: FUNCTION check_default(p_exact_count boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_default(p_exact_count boolean) TO metacortex_owner;

--
-- Name: FUNCTION check_epoch_type(p_type text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_epoch_type(p_type text) TO metacortex_owner;

--
-- Name: FUNCTION check_name_length(p_object_name text, p_suffix text, p_table_partition boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_name_length(p_object_name text, p_suffix text, p_table_partition boolean) TO metacortex_owner;

--
-- Name: FUNCTION check_partition_type(p_type text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_partition_type(p_type text) TO metacortex_owner;

--
-- Name: FUNCTION check_subpart_sameconfig(p_parent_table text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_subpart_sameconfig(p_parent_table text) TO metacortex_owner;

--
-- Name: FUNCTION check_subpartition_limits(p_parent_table text, p_type text, OUT sub_min text, OUT sub_max text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.check_subpartition_limits(p_parent_table text, p_type text, OUT sub_min text, OUT sub_max text) TO metacortex_owner;

--
-- Name: FUNCTION create_function_id(p_parent_table text, p_job_id bigint); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_function_id(p_parent_table text, p_job_id bigint) TO metacortex_owner;

--
-- Name: FUNCTION create_function_time(p_parent_table text, p_job_id bigint); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_function_time(p_parent_table text, p_job_id bigint) TO metacortex_owner;

--
-- Name: FUNCTION create_parent(p_parent_table text, p_control text, p_type text, p_interval text, p_constraint_cols text[], p_premake integer, p_automatic_maintenance text, p_start_partition text, p_inherit_fk boolean, p_epoch text, p_upsert text, p_publications text[], p_trigger_return_null boolean, p_template_table text, p_jobmon boolean, p_date_trunc_interval text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_parent(p_parent_table text, p_control text, p_type text, p_interval text, p_constraint_cols text[], p_premake integer, p_automatic_maintenance text, p_start_partition text, p_inherit_fk boolean, p_epoch text, p_upsert text, p_publications text[], p_trigger_return_null boolean, p_template_table text, p_jobmon boolean, p_date_trunc_interval text) TO metacortex_owner;

--
-- Name: FUNCTION create_partition_id(p_parent_table text, p_partition_ids bigint[], p_analyze boolean, p_start_partition text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_partition_id(p_parent_table text, p_partition_ids bigint[], p_analyze boolean, p_start_partition text) TO metacortex_owner;

--
-- Name: FUNCTION create_partition_time(p_parent_table text, p_partition_times timestamp with time zone[], p_analyze boolean, p_start_partition text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_partition_time(p_parent_table text, p_partition_times timestamp with time zone[], p_analyze boolean, p_start_partition text) TO metacortex_owner;

--
-- Name: FUNCTION create_sub_parent(p_top_parent text, p_control text, p_type text, p_interval text, p_native_check text, p_constraint_cols text[], p_premake integer, p_start_partition text, p_inherit_fk boolean, p_epoch text, p_upsert text, p_trigger_return_null boolean, p_jobmon boolean, p_date_trunc_interval text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_sub_parent(p_top_parent text, p_control text, p_type text, p_interval text, p_native_check text, p_constraint_cols text[], p_premake integer, p_start_partition text, p_inherit_fk boolean, p_epoch text, p_upsert text, p_trigger_return_null boolean, p_jobmon boolean, p_date_trunc_interval text) TO metacortex_owner;

--
-- Name: FUNCTION create_trigger(p_parent_table text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.create_trigger(p_parent_table text) TO metacortex_owner;

--
-- Name: FUNCTION drop_constraints(p_parent_table text, p_child_table text, p_debug boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.drop_constraints(p_parent_table text, p_child_table text, p_debug boolean) TO metacortex_owner;

--
-- Name: FUNCTION drop_partition_column(p_parent_table text, p_column text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.drop_partition_column(p_parent_table text, p_column text) TO metacortex_owner;

--
-- Name: FUNCTION drop_partition_id(p_parent_table text, p_retention bigint, p_keep_table boolean, p_keep_index boolean, p_retention_schema text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.drop_partition_id(p_parent_table text, p_retention bigint, p_keep_table boolean, p_keep_index boolean, p_retention_schema text) TO metacortex_owner;

--
-- Name: FUNCTION drop_partition_time(p_parent_table text, p_retention interval, p_keep_table boolean, p_keep_index boolean, p_retention_schema text, p_reference_timestamp timestamp with time zone); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.drop_partition_time(p_parent_table text, p_retention interval, p_keep_table boolean, p_keep_index boolean, p_retention_schema text, p_reference_timestamp timestamp with time zone) TO metacortex_owner;

--
-- Name: FUNCTION dump_partitioned_table_definition(p_parent_table text, p_ignore_template_table boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.dump_partitioned_table_definition(p_parent_table text, p_ignore_template_table boolean) TO metacortex_owner;

--
-- Name: FUNCTION inherit_template_properties(p_parent_table text, p_child_schema text, p_child_tablename text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.inherit_template_properties(p_parent_table text, p_child_schema text, p_child_tablename text) TO metacortex_owner;

--
-- Name: FUNCTION partition_data_id(p_parent_table text, p_batch_count integer, p_batch_interval bigint, p_lock_wait numeric, p_order text, p_analyze boolean, p_source_table text, p_ignored_columns text[]); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.partition_data_id(p_parent_table text, p_batch_count integer, p_batch_interval bigint, p_lock_wait numeric, p_order text, p_analyze boolean, p_source_table text, p_ignored_columns text[]) TO metacortex_owner;

--
-- Name: FUNCTION partition_data_time(p_parent_table text, p_batch_count integer, p_batch_interval interval, p_lock_wait numeric, p_order text, p_analyze boolean, p_source_table text, p_ignored_columns text[]); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.partition_data_time(p_parent_table text, p_batch_count integer, p_batch_interval interval, p_lock_wait numeric, p_order text, p_analyze boolean, p_source_table text, p_ignored_columns text[]) TO metacortex_owner;

--
-- Name: FUNCTION partition_gap_fill(p_parent_table text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.partition_gap_fill(p_parent_table text) TO metacortex_owner;

--
-- Name: FUNCTION reapply_privileges(p_parent_table text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.reapply_privileges(p_parent_table text) TO metacortex_owner;

--
-- Name: FUNCTION run_maintenance(p_parent_table text, p_analyze boolean, p_jobmon boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.run_maintenance(p_parent_table text, p_analyze boolean, p_jobmon boolean) TO metacortex_owner;

--
-- Name: FUNCTION show_partition_info(p_child_table text, p_partition_interval text, p_parent_table text, OUT child_start_time timestamp with time zone, OUT child_end_time timestamp with time zone, OUT child_start_id bigint, OUT child_end_id bigint, OUT suffix text); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.show_partition_info(p_child_table text, p_partition_interval text, p_parent_table text, OUT child_start_time timestamp with time zone, OUT child_end_time timestamp with time zone, OUT child_start_id bigint, OUT child_end_id bigint, OUT suffix text) TO metacortex_owner;

--
-- Name: FUNCTION show_partition_name(p_parent_table text, p_value text, OUT partition_schema text, OUT partition_table text, OUT suffix_timestamp timestamp with time zone, OUT suffix_id bigint, OUT table_exists boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.show_partition_name(p_parent_table text, p_value text, OUT partition_schema text, OUT partition_table text, OUT suffix_timestamp timestamp with time zone, OUT suffix_id bigint, OUT table_exists boolean) TO metacortex_owner;

--
-- Name: FUNCTION show_partitions(p_parent_table text, p_order text, p_include_default boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.show_partitions(p_parent_table text, p_order text, p_include_default boolean) TO metacortex_owner;

--
-- Name: FUNCTION stop_sub_partition(p_parent_table text, p_jobmon boolean); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.stop_sub_partition(p_parent_table text, p_jobmon boolean) TO metacortex_owner;

--
-- Name: FUNCTION undo_partition(p_parent_table text, p_batch_count integer, p_batch_interval text, p_keep_table boolean, p_lock_wait numeric, p_target_table text, p_ignored_columns text[], p_drop_cascade boolean, OUT partitions_undone integer, OUT rows_undone bigint); Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT ALL ON FUNCTION partman.undo_partition(p_parent_table text, p_batch_count integer, p_batch_interval text, p_keep_table boolean, p_lock_wait numeric, p_target_table text, p_ignored_columns text[], p_drop_cascade boolean, OUT partitions_undone integer, OUT rows_undone bigint) TO metacortex_owner;

--
-- Name: TABLE habit_checkins; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.habit_checkins TO metacortex_app;
GRANT SELECT ON TABLE app.habit_checkins TO metacortex_readonly;

--
-- Name: TABLE habit_checkins_default; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.habit_checkins_default TO metacortex_app;
GRANT SELECT ON TABLE app.habit_checkins_default TO metacortex_readonly;

--
-- Name: TABLE habits; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.habits TO metacortex_app;
GRANT SELECT ON TABLE app.habits TO metacortex_readonly;

--
-- Name: TABLE note_tags; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.note_tags TO metacortex_app;
GRANT SELECT ON TABLE app.note_tags TO metacortex_readonly;

--
-- Name: TABLE notes; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.notes TO metacortex_app;
GRANT SELECT ON TABLE app.notes TO metacortex_readonly;

--
-- Name: TABLE tags; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.tags TO metacortex_app;
GRANT SELECT ON TABLE app.tags TO metacortex_readonly;

--
-- Name: TABLE task_tags; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.task_tags TO metacortex_app;
GRANT SELECT ON TABLE app.task_tags TO metacortex_readonly;

--
-- Name: TABLE tasks; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.tasks TO metacortex_app;
GRANT SELECT ON TABLE app.tasks TO metacortex_readonly;

--
-- Name: TABLE users; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.users TO metacortex_app;
GRANT SELECT ON TABLE app.users TO metacortex_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.users TO metacortex_pgaudit;

--
-- Name: TABLE custom_time_partitions; Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE partman.custom_time_partitions TO metacortex_owner;

--
-- Name: TABLE part_config; Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE partman.part_config TO metacortex_owner;

--
-- Name: TABLE part_config_sub; Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE partman.part_config_sub TO metacortex_owner;

--
-- Name: TABLE table_privs; Type: ACL; Schema: partman; Owner: metacortex_admin
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE partman.table_privs TO metacortex_owner;

--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL; Schema: app; Owner: metacortex_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE metacortex_owner IN SCHEMA app GRANT SELECT,USAGE ON SEQUENCES  TO metacortex_app;

--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: app; Owner: metacortex_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE metacortex_owner IN SCHEMA app GRANT SELECT,INSERT,DELETE,UPDATE ON TABLES  TO metacortex_app;
ALTER DEFAULT PRIVILEGES FOR ROLE metacortex_owner IN SCHEMA app GRANT SELECT ON TABLES  TO metacortex_readonly;

--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL; Schema: audit; Owner: metacortex_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE metacortex_owner IN SCHEMA audit GRANT SELECT ON TABLES  TO metacortex_auditor;

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: metacortex_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE metacortex_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

--
-- PostgreSQL database dump complete
--

