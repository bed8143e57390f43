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
-- Name: create_monthly_partitions(text, text, integer, text); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    major int := split_part((SELECT extversion FROM pg_extension WHERE extname = 'pg_partman'), '.', 1)::int;
    start_month text := to_char(date_trunc('month', now()) - make_interval(months => months_back), 'YYYY-MM-DD');
BEGIN
    IF major >= 5 THEN
        PERFORM partman.create_parent(p_parent_table => parent_table, p_control => control_column,
            p_type => 'range', p_interval => '1 month', p_premake => 4, p_start_partition => start_month);
    ELSE
        PERFORM partman.create_parent(p_parent_table => parent_table, p_control => control_column,
            p_type => 'native', p_interval => 'monthly', p_premake => 4, p_start_partition => start_month);
    END IF;
    UPDATE partman.part_config
       SET retention = create_monthly_partitions.retention, retention_keep_table = false, infinite_time_partitions = true
     WHERE part_config.parent_table = create_monthly_partitions.parent_table;
END
$$;

ALTER FUNCTION app.create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text) OWNER TO metacortex_owner;

--
-- Name: FUNCTION create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text) IS 'pg_partman monthly partitioning for 4.x and 5.x alike: four months premade, a default partition, retention.';

--
-- Name: cron_job_runs(); Type: FUNCTION; Schema: app; Owner: metacortex_migrator
--

CREATE FUNCTION app.cron_job_runs() RETURNS TABLE(jobname text, last_success timestamp with time zone, failures_since_success bigint, last_failure timestamp with time zone, last_failure_message text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT j.jobname::text, s.last_success, f.failures, f.last_failure, f.last_message
      FROM cron.job j
      LEFT JOIN LATERAL (
          SELECT max(d.start_time) AS last_success FROM cron.job_run_details d
           WHERE d.jobid = j.jobid AND d.status = 'succeeded') s ON true
      LEFT JOIN LATERAL (
          SELECT count(*) AS failures, max(d.start_time) AS last_failure,
                 (array_agg(d.return_message ORDER BY d.start_time DESC))[1] AS last_message
            FROM cron.job_run_details d
           WHERE d.jobid = j.jobid AND d.status = 'failed' AND d.start_time > coalesce(s.last_success, '-infinity')) f ON true
     ORDER BY 1
$$;

ALTER FUNCTION app.cron_job_runs() OWNER TO metacortex_migrator;

--
-- Name: FUNCTION cron_job_runs(); Type: COMMENT; Schema: app; Owner: metacortex_migrator
--

COMMENT ON FUNCTION app.cron_job_runs() IS 'Per pg_cron job: its last success and the failures since (owned by the migrator, whose jobs they are), for the health check.';

--
-- Name: current_tenant(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT CASE WHEN current_setting('app.tenant_txn', true)
                     = (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text
                THEN nullif(current_setting('app.user_id', true), '')::uuid
           END
$$;

ALTER FUNCTION app.current_tenant() OWNER TO metacortex_owner;

--
-- Name: FUNCTION current_tenant(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.current_tenant() IS 'The tenant set by app.set_tenant() in the current transaction; NULL otherwise (no rows, no writes).';

--
-- Name: default_partition_rows(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.default_partition_rows() RETURNS TABLE(parent_table text, partition_table text, row_count bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    part record;
BEGIN
    FOR part IN
        SELECT p.oid::regclass::text AS parent, c.oid::regclass::text AS child
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relkind = 'p' AND p.relnamespace IN ('app'::regnamespace, 'audit'::regnamespace)
           AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
         ORDER BY 1
    LOOP
        parent_table := part.parent;
        partition_table := part.child;
        EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1000) s', part.child) INTO row_count;
        RETURN NEXT;
    END LOOP;
END
$$;

ALTER FUNCTION app.default_partition_rows() OWNER TO metacortex_owner;

--
-- Name: FUNCTION default_partition_rows(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.default_partition_rows() IS 'Rows in each default partition of app and audit (counted up to 1000), for the health check.';

--
-- Name: end_overage_transactions(interval); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.end_overage_transactions(max_age interval) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    ended integer;
BEGIN
    IF max_age < interval '1 second' THEN
        RAISE EXCEPTION 'app.end_overage_transactions: max_age must be at least 1 second, got %', max_age;
    END IF;
    SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid))::integer INTO ended
      FROM pg_stat_activity a
     WHERE a.usename = 'metacortex_app'
       AND a.datname = current_database()
       AND a.backend_type = 'client backend'
       AND a.xact_start < clock_timestamp() - max_age;
    IF ended > 0 THEN
        RAISE LOG 'app.end_overage_transactions: terminated % app transaction(s) older than %', ended, max_age;
    END IF;
    RETURN ended;
END
$$;

ALTER FUNCTION app.end_overage_transactions(max_age interval) OWNER TO metacortex_owner;

--
-- Name: FUNCTION end_overage_transactions(max_age interval); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.end_overage_transactions(max_age interval) IS 'Terminates app-role backends whose transaction is older than max_age; returns how many. Run by pg_cron every minute.';

--
-- Name: find_user_for_login(text); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.find_user_for_login(login_email text) RETURNS TABLE(id uuid, password_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'app', 'ext'
    AS $$
    SELECT u.id, u.password_hash FROM app.users u WHERE u.email = login_email::ext.citext AND u.deleted_at IS NULL
$$;

ALTER FUNCTION app.find_user_for_login(login_email text) OWNER TO metacortex_owner;

--
-- Name: FUNCTION find_user_for_login(login_email text); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.find_user_for_login(login_email text) IS 'Login: the live user with this email (case-insensitive) and their password hash.';

--
-- Name: partition_premake(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.partition_premake() RETURNS TABLE(parent_table text, premake integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT c.parent_table, c.premake FROM partman.part_config c ORDER BY 1
$$;

ALTER FUNCTION app.partition_premake() OWNER TO metacortex_owner;

--
-- Name: FUNCTION partition_premake(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.partition_premake() IS 'pg_partman''s premake per partitioned table, for the health check.';

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
-- Name: revoke_partition_grants(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.revoke_partition_grants() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    part regclass;
    n integer := 0;
BEGIN
    FOR part IN
        SELECT c.oid::regclass FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
         WHERE p.relkind = 'p' AND p.relnamespace IN ('app'::regnamespace, 'audit'::regnamespace)
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM metacortex_app, metacortex_readonly, metacortex_auditor', part);
        n := n + 1;
    END LOOP;
    RETURN n;
END
$$;

ALTER FUNCTION app.revoke_partition_grants() OWNER TO metacortex_owner;

--
-- Name: FUNCTION revoke_partition_grants(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.revoke_partition_grants() IS 'Removes direct grants from every partition; run after partman creates partitions.';

--
-- Name: run_partition_maintenance(text, integer); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.run_partition_maintenance(parent_table text, max_wait_seconds integer DEFAULT 600) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    waited integer := 0;
BEGIN
    -- pg_partman returns without a word when another session holds its lock, and a skipped run must not pass for a
    -- success: wait for that session (another table's job, a manual run), ten minutes by default, then fail, which
    -- shows as 'failed' in cron.job_run_details. Polled, so lock_timeout stays as it is for partman's own DDL.
    WHILE NOT pg_try_advisory_xact_lock(hashtext('pg_partman run_maintenance')) LOOP
        IF waited >= max_wait_seconds THEN
            RAISE EXCEPTION 'pg_partman maintenance of % skipped: another session held its lock for % s', parent_table, waited;
        END IF;
        PERFORM pg_sleep(1);
        waited := waited + 1;
    END LOOP;
    PERFORM partman.run_maintenance(p_parent_table => parent_table, p_analyze => false);
    PERFORM app.revoke_partition_grants();
    INSERT INTO app.partition_maintenance (parent_table, last_succeeded_at)
    VALUES (run_partition_maintenance.parent_table, now())
    ON CONFLICT ON CONSTRAINT partition_maintenance_pkey DO UPDATE SET last_succeeded_at = excluded.last_succeeded_at;
END
$$;

ALTER FUNCTION app.run_partition_maintenance(parent_table text, max_wait_seconds integer) OWNER TO metacortex_owner;

--
-- Name: FUNCTION run_partition_maintenance(parent_table text, max_wait_seconds integer); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.run_partition_maintenance(parent_table text, max_wait_seconds integer) IS 'pg_partman maintenance for one partitioned table, then partition grants revoked and the success recorded; raises on any failure.';

--
-- Name: set_tenant(uuid); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.set_tenant(p_user_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
BEGIN
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION 'app.set_tenant: p_user_id must be a user id, got NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    -- Transaction-local (true): both revert at COMMIT or ROLLBACK. A SET clause on this function restores only
    -- search_path at exit, not these.
    PERFORM set_config('app.user_id', p_user_id::text, true);
    PERFORM set_config('app.tenant_txn', (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text, true);
END
$$;

ALTER FUNCTION app.set_tenant(p_user_id uuid) OWNER TO metacortex_owner;

--
-- Name: FUNCTION set_tenant(p_user_id uuid); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.set_tenant(p_user_id uuid) IS 'Call once per transaction (SELECT app.set_tenant($1)): the tenant for this transaction only.';

--
-- Name: set_updated_at(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
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
-- Name: sign_up(text, text, text, text); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'app', 'ext'
    AS $$
DECLARE
    new_id uuid;
BEGIN
    INSERT INTO app.users (email, display_name, time_zone, password_hash)
    VALUES (new_email::ext.citext, new_display_name, coalesce(new_time_zone, 'UTC'), new_password_hash)
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

ALTER FUNCTION app.sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text) OWNER TO metacortex_owner;

--
-- Name: FUNCTION sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text) IS 'Sign-up: creates a user and returns its id (the caller then sets app.user_id).';

--
-- Name: tasks_refuse_parent_cycle(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.tasks_refuse_parent_cycle() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
DECLARE
    max_ancestors constant integer := 64;
    ancestor uuid := NEW.parent_id;
    ancestors integer := 0;
BEGIN
    WHILE ancestor IS NOT NULL LOOP
        IF ancestor = NEW.id THEN
            RAISE EXCEPTION 'task % cannot have % as its parent: that is the task itself or a task below it (a parent cycle)',
                NEW.id, NEW.parent_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'tasks_parent_cycle_check', SCHEMA = 'app', TABLE = 'tasks';
        END IF;
        ancestors := ancestors + 1;
        IF ancestors > max_ancestors THEN
            RAISE EXCEPTION 'task % would have more than % ancestors (parent %)', NEW.id, max_ancestors, NEW.parent_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'tasks_parent_depth_check', SCHEMA = 'app', TABLE = 'tasks';
        END IF;
        SELECT t.parent_id INTO ancestor FROM app.tasks t WHERE t.user_id = NEW.user_id AND t.id = ancestor FOR SHARE;
    END LOOP;
    RETURN NEW;
END
$$;

ALTER FUNCTION app.tasks_refuse_parent_cycle() OWNER TO metacortex_owner;

--
-- Name: FUNCTION tasks_refuse_parent_cycle(); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.tasks_refuse_parent_cycle() IS 'BEFORE trigger on tasks: refuses a parent that is the task itself or below it, and nesting deeper than 64 ancestors.';

--
-- Name: uuid_generate_v7(); Type: FUNCTION; Schema: app; Owner: metacortex_owner
--

CREATE FUNCTION app.uuid_generate_v7() RETURNS uuid
    LANGUAGE plpgsql PARALLEL SAFE
    SET search_path TO 'pg_catalog'
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
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint / 1000.0)
$$;

ALTER FUNCTION app.uuid_v7_timestamp(id uuid) OWNER TO metacortex_owner;

--
-- Name: FUNCTION uuid_v7_timestamp(id uuid); Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON FUNCTION app.uuid_v7_timestamp(id uuid) IS 'The creation time embedded in a UUIDv7 (millisecond precision).';

--
-- Name: drop_partitions_before(timestamp with time zone); Type: FUNCTION; Schema: audit; Owner: metacortex_owner
--

CREATE FUNCTION audit.drop_partitions_before(cutoff timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog'
    AS $$
-- Each monthly partition whose rows are all older than cutoff, oldest first: record per user the entry after the
-- newest one it holds, with that one's hash as the expected previous hash, then drop it.
DECLARE
    part regclass;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT b.part FROM (
            SELECT c.oid::regclass AS part,
                   substring(pg_get_expr(c.relpartbound, c.oid) FROM 'TO \(''([^'']+)''\)')::timestamptz AS upper_bound
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'audit.row_changes'::regclass) b
         WHERE b.upper_bound <= cutoff
         ORDER BY b.upper_bound
    LOOP
        EXECUTE format(
            'INSERT INTO audit.chain_watermarks AS w (user_id, first_seq, prev_hash, recorded_at)
             SELECT DISTINCT ON (r.user_id) r.user_id, r.seq + 1, r.hash, now() FROM %s r ORDER BY r.user_id, r.seq DESC
             ON CONFLICT ON CONSTRAINT chain_watermarks_pkey DO UPDATE
                SET first_seq = excluded.first_seq, prev_hash = excluded.prev_hash, recorded_at = excluded.recorded_at
              WHERE excluded.first_seq > w.first_seq', part);
        EXECUTE format('DROP TABLE %s', part);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END
$$;

ALTER FUNCTION audit.drop_partitions_before(cutoff timestamp with time zone) OWNER TO metacortex_owner;

--
-- Name: FUNCTION drop_partitions_before(cutoff timestamp with time zone); Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON FUNCTION audit.drop_partitions_before(cutoff timestamp with time zone) IS 'Audit log retention: drops whole months older than cutoff, recording each chain''s new start in audit.chain_watermarks.';

--
-- Name: entry_hash(uuid, bigint, timestamp with time zone, bigint, uuid, text, text, text, jsonb, jsonb, jsonb, bytea); Type: FUNCTION; Schema: audit; Owner: metacortex_owner
--

CREATE FUNCTION audit.entry_hash(user_id uuid, seq bigint, occurred_at timestamp with time zone, txid bigint, app_user_id uuid, db_role text, table_name text, operation text, row_key jsonb, old_values jsonb, new_values jsonb, prev_hash bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog'
    AS $$
    SELECT sha256(convert_to(concat_ws('|', user_id, seq, (extract(epoch FROM occurred_at) * 1000000)::bigint, txid,
        coalesce(app_user_id::text, '-'), db_role, table_name, operation, row_key::text,
        coalesce(old_values::text, '-'), coalesce(new_values::text, '-'), encode(prev_hash, 'hex')), 'UTF8'))
$$;

ALTER FUNCTION audit.entry_hash(user_id uuid, seq bigint, occurred_at timestamp with time zone, txid bigint, app_user_id uuid, db_role text, table_name text, operation text, row_key jsonb, old_values jsonb, new_values jsonb, prev_hash bytea) OWNER TO metacortex_owner;

--
-- Name: record_change(); Type: FUNCTION; Schema: audit; Owner: metacortex_owner
--

CREATE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'audit'
    AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) - 'search' END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) - 'search' END;
    any_row jsonb := coalesce(new_row, old_row);
    tenant uuid := (any_row ->> CASE WHEN TG_TABLE_NAME = 'users' THEN 'id' ELSE 'user_id' END)::uuid;
    key jsonb := '{}';
    old_values jsonb := old_row;
    new_values jsonb := new_row;
    column_name text;
    head_seq bigint;
    head_hash bytea;
    entry_time timestamptz := now();
    entry_txid bigint := txid_current();
    -- The tenant set by app.set_tenant() in this transaction; a session-level leftover is nobody (NULL).
    actor uuid := app.current_tenant();
    -- session_user: the role that logged in (inside this SECURITY DEFINER function current_user is always the owner).
    role_name text := session_user;
    entry_hash bytea;
BEGIN
    FOREACH column_name IN ARRAY TG_ARGV LOOP
        key := key || jsonb_build_object(column_name, any_row -> column_name);
    END LOOP;
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_object_agg(k, old_row -> k), '{}'), coalesce(jsonb_object_agg(k, new_row -> k), '{}')
          INTO old_values, new_values
          FROM jsonb_object_keys(new_row) AS k
         WHERE old_row -> k IS DISTINCT FROM new_row -> k;
    END IF;
    IF TG_TABLE_NAME = 'users' THEN
        IF old_values ? 'password_hash' AND old_values ->> 'password_hash' IS NOT NULL THEN old_values := old_values || '{"password_hash": "[redacted]"}'; END IF;
        IF new_values ? 'password_hash' AND new_values ->> 'password_hash' IS NOT NULL THEN new_values := new_values || '{"password_hash": "[redacted]"}'; END IF;
    END IF;

    INSERT INTO audit.chain_heads AS h (user_id, seq, hash)
    VALUES (tenant, 1, sha256(convert_to(tenant::text, 'UTF8')))
    ON CONFLICT (user_id) DO UPDATE SET seq = h.seq + 1
    RETURNING h.seq, h.hash INTO head_seq, head_hash;

    entry_hash := audit.entry_hash(tenant, head_seq, entry_time, entry_txid, actor, role_name, TG_TABLE_NAME, TG_OP, key,
                                   old_values, new_values, head_hash);
    INSERT INTO audit.row_changes (user_id, seq, occurred_at, txid, app_user_id, db_role, table_name, operation, row_key,
                                   old_values, new_values, prev_hash, hash)
    VALUES (tenant, head_seq, entry_time, entry_txid, actor, role_name, TG_TABLE_NAME, TG_OP, key,
            old_values, new_values, head_hash, entry_hash);
    UPDATE audit.chain_heads SET hash = entry_hash WHERE user_id = tenant;
    RETURN NULL;
END
$$;

ALTER FUNCTION audit.record_change() OWNER TO metacortex_owner;

--
-- Name: FUNCTION record_change(); Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON FUNCTION audit.record_change() IS 'AFTER row trigger: appends one hash-chained entry to audit.row_changes. Arguments: primary-key columns.';

--
-- Name: verify_chain(uuid); Type: FUNCTION; Schema: audit; Owner: metacortex_owner
--

CREATE FUNCTION audit.verify_chain(chain_user uuid) RETURNS TABLE(valid boolean, entries bigint, first_bad_seq bigint)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'audit'
    AS $$
-- The chain runs from seq 1 (previous hash: the user's genesis hash), or from the retention watermark, to the head,
-- with no number missing or repeated and every hash recomputed. Entries below the watermark are the rest of a month
-- that retention dropped in part (seq and time can cross a month boundary) and are not checked.
DECLARE
    e audit.row_changes;
    start_seq bigint := 1;
    expected_seq bigint;
    expected_prev bytea := sha256(convert_to(chain_user::text, 'UTF8'));
    mark_seq bigint;
    mark_prev bytea;
    head_seq bigint;
    head_hash bytea;
BEGIN
    valid := true;
    entries := 0;
    SELECT w.first_seq, w.prev_hash INTO mark_seq, mark_prev FROM audit.chain_watermarks w WHERE w.user_id = chain_user;
    IF FOUND THEN
        start_seq := mark_seq;
        expected_prev := mark_prev;
    END IF;
    expected_seq := start_seq;
    FOR e IN SELECT * FROM audit.row_changes r WHERE r.user_id = chain_user AND r.seq >= start_seq ORDER BY r.seq, r.occurred_at LOOP
        entries := entries + 1;
        IF e.seq <> expected_seq THEN
            valid := false;  -- entries removed before this one (or a number used twice)
            first_bad_seq := least(e.seq, expected_seq);
            RETURN NEXT;
            RETURN;
        END IF;
        IF e.prev_hash <> expected_prev
           OR e.hash <> audit.entry_hash(e.user_id, e.seq, e.occurred_at, e.txid, e.app_user_id, e.db_role, e.table_name,
                                         e.operation, e.row_key, e.old_values, e.new_values, e.prev_hash) THEN
            valid := false;  -- altered
            first_bad_seq := e.seq;
            RETURN NEXT;
            RETURN;
        END IF;
        expected_prev := e.hash;
        expected_seq := e.seq + 1;
    END LOOP;
    SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit.chain_heads h WHERE h.user_id = chain_user;
    IF NOT FOUND THEN
        IF entries > 0 OR start_seq > 1 THEN
            valid := false;  -- the head was removed
            first_bad_seq := expected_seq;
        END IF;
    ELSIF expected_seq <> head_seq + 1 OR expected_prev <> head_hash THEN
        valid := false;  -- the newest entries, or the whole chain, were removed (or the head does not match)
        first_bad_seq := CASE WHEN expected_seq <= head_seq THEN expected_seq
                              WHEN expected_seq = head_seq + 1 THEN head_seq
                              ELSE head_seq + 1 END;
    END IF;
    RETURN NEXT;
END
$$;

ALTER FUNCTION audit.verify_chain(chain_user uuid) OWNER TO metacortex_owner;

--
-- Name: FUNCTION verify_chain(chain_user uuid); Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON FUNCTION audit.verify_chain(chain_user uuid) IS 'Recomputes a user''s audit hash chain; returns whether it holds and the first entry that does not.';

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
    CONSTRAINT habit_checkins_checked_at_window_check CHECK (((checked_at >= '2000-01-01 00:00:00+00'::timestamp with time zone) AND (checked_at < (now() + '1 day'::interval)))),
    CONSTRAINT habit_checkins_note_check CHECK ((char_length(note) <= 1000)),
    CONSTRAINT habit_checkins_value_check CHECK (((value >= 1) AND (value <= 1000)))
)
PARTITION BY RANGE (checked_at);

ALTER TABLE ONLY app.habit_checkins FORCE ROW LEVEL SECURITY;

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
    CONSTRAINT habit_checkins_checked_at_window_check CHECK (((checked_at >= '2000-01-01 00:00:00+00'::timestamp with time zone) AND (checked_at < (now() + '1 day'::interval)))),
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
    CONSTRAINT habits_days_distinct_check CHECK (((array_ndims(days_of_week) = 1) AND (cardinality(days_of_week) <= 7) AND (cardinality(array_positions(days_of_week, (1)::smallint)) <= 1) AND (cardinality(array_positions(days_of_week, (2)::smallint)) <= 1) AND (cardinality(array_positions(days_of_week, (3)::smallint)) <= 1) AND (cardinality(array_positions(days_of_week, (4)::smallint)) <= 1) AND (cardinality(array_positions(days_of_week, (5)::smallint)) <= 1) AND (cardinality(array_positions(days_of_week, (6)::smallint)) <= 1) AND (cardinality(array_positions(days_of_week, (7)::smallint)) <= 1))),
    CONSTRAINT habits_frequency_check CHECK ((frequency = ANY (ARRAY['daily'::text, 'weekly'::text, 'monthly'::text]))),
    CONSTRAINT habits_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 200))),
    CONSTRAINT habits_name_not_blank_check CHECK ((name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]'::text)),
    CONSTRAINT habits_target_check CHECK (((target_per_period >= 1) AND (target_per_period <= 100)))
);

ALTER TABLE ONLY app.habits FORCE ROW LEVEL SECURITY;

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

ALTER TABLE ONLY app.note_tags FORCE ROW LEVEL SECURITY;

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
    CONSTRAINT notes_title_check CHECK ((char_length(title) <= 500)),
    CONSTRAINT notes_title_not_blank_check CHECK (((title = ''::text) OR (title ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]'::text)))
);

ALTER TABLE ONLY app.notes FORCE ROW LEVEL SECURITY;

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
    CONSTRAINT tasks_completed_at_finite_check CHECK (isfinite(completed_at)),
    CONSTRAINT tasks_completed_check CHECK (((status = 'done'::text) = (completed_at IS NOT NULL))),
    CONSTRAINT tasks_description_check CHECK ((char_length(description) <= 20000)),
    CONSTRAINT tasks_due_at_finite_check CHECK (isfinite(due_at)),
    CONSTRAINT tasks_parent_not_self_check CHECK ((parent_id <> id)),
    CONSTRAINT tasks_position_finite_check CHECK ((("position" > '-Infinity'::double precision) AND ("position" < 'Infinity'::double precision))),
    CONSTRAINT tasks_priority_check CHECK (((priority >= 1) AND (priority <= 4))),
    CONSTRAINT tasks_status_check CHECK ((status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text, 'done'::text, 'cancelled'::text]))),
    CONSTRAINT tasks_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 500))),
    CONSTRAINT tasks_title_not_blank_check CHECK ((title ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]'::text))
)
WITH (autovacuum_vacuum_scale_factor='0.02', autovacuum_analyze_scale_factor='0.01');

ALTER TABLE ONLY app.tasks FORCE ROW LEVEL SECURITY;

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
-- Name: open_tasks; Type: VIEW; Schema: app; Owner: metacortex_owner
--

CREATE VIEW app.open_tasks WITH (security_invoker='true') AS
 SELECT tasks.user_id,
    tasks.id,
    tasks.parent_id,
    tasks.title,
    tasks.status,
    tasks.priority,
    tasks.due_at,
    tasks."position",
    tasks.created_at,
    tasks.updated_at
   FROM app.tasks
  WHERE ((tasks.deleted_at IS NULL) AND (tasks.status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text])));

ALTER TABLE app.open_tasks OWNER TO metacortex_owner;

--
-- Name: VIEW open_tasks; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON VIEW app.open_tasks IS 'Live open tasks; security_invoker, so row-level security applies to the caller.';

--
-- Name: partition_maintenance; Type: TABLE; Schema: app; Owner: metacortex_owner
--

CREATE TABLE app.partition_maintenance (
    parent_table text NOT NULL,
    last_succeeded_at timestamp with time zone NOT NULL
);

ALTER TABLE app.partition_maintenance OWNER TO metacortex_owner;

--
-- Name: TABLE partition_maintenance; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.partition_maintenance IS 'When pg_partman maintenance last succeeded for each partitioned table (written by app.run_partition_maintenance).';

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
    CONSTRAINT tags_name_check CHECK (((char_length(name) >= 1) AND (char_length(name) <= 64))),
    CONSTRAINT tags_name_not_blank_check CHECK ((name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]'::text))
);

ALTER TABLE ONLY app.tags FORCE ROW LEVEL SECURITY;

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

ALTER TABLE ONLY app.task_tags FORCE ROW LEVEL SECURITY;

ALTER TABLE app.task_tags OWNER TO metacortex_owner;

--
-- Name: TABLE task_tags; Type: COMMENT; Schema: app; Owner: metacortex_owner
--

COMMENT ON TABLE app.task_tags IS 'Which tags are on which task (same user on both sides, by construction).';

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
    CONSTRAINT users_display_name_not_blank_check CHECK ((display_name ~ '[^[:space:]\u00a0\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]'::text)),
    CONSTRAINT users_email_check CHECK ((((char_length((email)::text) >= 3) AND (char_length((email)::text) <= 320)) AND ((email)::text ~~ '%_@_%'::text))),
    CONSTRAINT users_password_hash_check CHECK ((char_length(password_hash) <= 255)),
    CONSTRAINT users_time_zone_check CHECK (((now() AT TIME ZONE time_zone) IS NOT NULL))
);

ALTER TABLE ONLY app.users FORCE ROW LEVEL SECURITY;

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
-- Name: chain_heads; Type: TABLE; Schema: audit; Owner: metacortex_owner
--

CREATE TABLE audit.chain_heads (
    user_id uuid NOT NULL,
    seq bigint NOT NULL,
    hash bytea NOT NULL
);

ALTER TABLE audit.chain_heads OWNER TO metacortex_owner;

--
-- Name: TABLE chain_heads; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON TABLE audit.chain_heads IS 'The newest entry of each user''s hash chain; its row lock serializes a user''s audit writes.';

--
-- Name: chain_watermarks; Type: TABLE; Schema: audit; Owner: metacortex_owner
--

CREATE TABLE audit.chain_watermarks (
    user_id uuid NOT NULL,
    first_seq bigint NOT NULL,
    prev_hash bytea NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);

ALTER TABLE audit.chain_watermarks OWNER TO metacortex_owner;

--
-- Name: TABLE chain_watermarks; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON TABLE audit.chain_watermarks IS 'Where each user''s audit chain starts after retention dropped older months: the first entry kept and its previous hash.';

--
-- Name: row_changes; Type: TABLE; Schema: audit; Owner: metacortex_owner
--

CREATE TABLE audit.row_changes (
    user_id uuid NOT NULL,
    seq bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    txid bigint NOT NULL,
    app_user_id uuid,
    db_role text NOT NULL,
    table_name text NOT NULL,
    operation text NOT NULL,
    row_key jsonb NOT NULL,
    old_values jsonb,
    new_values jsonb,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT row_changes_occurred_at_window_check CHECK (((occurred_at >= '2000-01-01 00:00:00+00'::timestamp with time zone) AND (occurred_at < (now() + '1 day'::interval)))),
    CONSTRAINT row_changes_operation_check CHECK ((operation = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
)
PARTITION BY RANGE (occurred_at);

ALTER TABLE audit.row_changes OWNER TO metacortex_owner;

--
-- Name: TABLE row_changes; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON TABLE audit.row_changes IS 'Row history of user data: who, what, when; hash-chained per user. Written only by audit.record_change().';

--
-- Name: COLUMN row_changes.user_id; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes.user_id IS 'The user whose data changed (the tenant).';

--
-- Name: COLUMN row_changes.app_user_id; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes.app_user_id IS 'app.user_id of the writing transaction: who acted (NULL for maintenance).';

--
-- Name: COLUMN row_changes.db_role; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes.db_role IS 'The login role of the writing session (session_user).';

--
-- Name: COLUMN row_changes.old_values; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes.old_values IS 'Changed columns before (UPDATE), or the whole row (DELETE); secrets redacted.';

--
-- Name: COLUMN row_changes.new_values; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes.new_values IS 'Changed columns after (UPDATE), or the whole row (INSERT); secrets redacted.';

--
-- Name: row_changes_default; Type: TABLE; Schema: audit; Owner: metacortex_owner
--

CREATE TABLE audit.row_changes_default (
    user_id uuid NOT NULL,
    seq bigint NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    txid bigint NOT NULL,
    app_user_id uuid,
    db_role text NOT NULL,
    table_name text NOT NULL,
    operation text NOT NULL,
    row_key jsonb NOT NULL,
    old_values jsonb,
    new_values jsonb,
    prev_hash bytea NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT row_changes_occurred_at_window_check CHECK (((occurred_at >= '2000-01-01 00:00:00+00'::timestamp with time zone) AND (occurred_at < (now() + '1 day'::interval)))),
    CONSTRAINT row_changes_operation_check CHECK ((operation = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

ALTER TABLE audit.row_changes_default OWNER TO metacortex_owner;

--
-- Name: COLUMN row_changes_default.user_id; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes_default.user_id IS 'The user whose data changed (the tenant).';

--
-- Name: COLUMN row_changes_default.app_user_id; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes_default.app_user_id IS 'app.user_id of the writing transaction: who acted (NULL for maintenance).';

--
-- Name: COLUMN row_changes_default.db_role; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes_default.db_role IS 'The login role of the writing session (session_user).';

--
-- Name: COLUMN row_changes_default.old_values; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes_default.old_values IS 'Changed columns before (UPDATE), or the whole row (DELETE); secrets redacted.';

--
-- Name: COLUMN row_changes_default.new_values; Type: COMMENT; Schema: audit; Owner: metacortex_owner
--

COMMENT ON COLUMN audit.row_changes_default.new_values IS 'Changed columns after (UPDATE), or the whole row (INSERT); secrets redacted.';

--
-- Name: habit_checkins_default; Type: TABLE ATTACH; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.habit_checkins ATTACH PARTITION app.habit_checkins_default DEFAULT;

--
-- Name: row_changes_default; Type: TABLE ATTACH; Schema: audit; Owner: metacortex_owner
--

ALTER TABLE ONLY audit.row_changes ATTACH PARTITION audit.row_changes_default DEFAULT;

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
-- Name: partition_maintenance partition_maintenance_pkey; Type: CONSTRAINT; Schema: app; Owner: metacortex_owner
--

ALTER TABLE ONLY app.partition_maintenance
    ADD CONSTRAINT partition_maintenance_pkey PRIMARY KEY (parent_table);

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
-- Name: chain_heads chain_heads_pkey; Type: CONSTRAINT; Schema: audit; Owner: metacortex_owner
--

ALTER TABLE ONLY audit.chain_heads
    ADD CONSTRAINT chain_heads_pkey PRIMARY KEY (user_id);

--
-- Name: chain_watermarks chain_watermarks_pkey; Type: CONSTRAINT; Schema: audit; Owner: metacortex_owner
--

ALTER TABLE ONLY audit.chain_watermarks
    ADD CONSTRAINT chain_watermarks_pkey PRIMARY KEY (user_id);

--
-- Name: row_changes row_changes_pkey; Type: CONSTRAINT; Schema: audit; Owner: metacortex_owner
--

ALTER TABLE ONLY audit.row_changes
    ADD CONSTRAINT row_changes_pkey PRIMARY KEY (user_id, seq, occurred_at);

--
-- Name: row_changes_default row_changes_default_pkey; Type: CONSTRAINT; Schema: audit; Owner: metacortex_owner
--

ALTER TABLE ONLY audit.row_changes_default
    ADD CONSTRAINT row_changes_default_pkey PRIMARY KEY (user_id, seq, occurred_at);

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
-- Name: tasks_open_due_cover_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_open_due_cover_idx ON app.tasks USING btree (user_id, due_at, id) INCLUDE (title, status, priority) WHERE ((deleted_at IS NULL) AND (status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text])));

--
-- Name: tasks_parent_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_parent_idx ON app.tasks USING btree (user_id, parent_id, "position") WHERE (parent_id IS NOT NULL);

--
-- Name: tasks_search_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_search_idx ON app.tasks USING gin (user_id, search) WHERE (deleted_at IS NULL);

--
-- Name: tasks_status_priority_cover_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX tasks_status_priority_cover_idx ON app.tasks USING btree (user_id, status, priority, due_at, id) INCLUDE (title) WHERE (deleted_at IS NULL);

--
-- Name: users_deleted_at_idx; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE INDEX users_deleted_at_idx ON app.users USING btree (deleted_at) WHERE (deleted_at IS NOT NULL);

--
-- Name: users_email_key; Type: INDEX; Schema: app; Owner: metacortex_owner
--

CREATE UNIQUE INDEX users_email_key ON app.users USING btree (email) WHERE (deleted_at IS NULL);

--
-- Name: row_changes_occurred_idx; Type: INDEX; Schema: audit; Owner: metacortex_owner
--

CREATE INDEX row_changes_occurred_idx ON ONLY audit.row_changes USING btree (occurred_at);

--
-- Name: row_changes_default_occurred_at_idx; Type: INDEX; Schema: audit; Owner: metacortex_owner
--

CREATE INDEX row_changes_default_occurred_at_idx ON audit.row_changes_default USING btree (occurred_at);

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
-- Name: row_changes_default_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: metacortex_owner
--

ALTER INDEX audit.row_changes_occurred_idx ATTACH PARTITION audit.row_changes_default_occurred_at_idx;

--
-- Name: row_changes_default_pkey; Type: INDEX ATTACH; Schema: audit; Owner: metacortex_owner
--

ALTER INDEX audit.row_changes_pkey ATTACH PARTITION audit.row_changes_default_pkey;

--
-- Name: habit_checkins habit_checkins_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER habit_checkins_audit AFTER INSERT OR DELETE OR UPDATE ON app.habit_checkins FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id', 'checked_at');

--
-- Name: habits habits_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER habits_audit AFTER INSERT OR DELETE OR UPDATE ON app.habits FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');

--
-- Name: habits habits_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER habits_set_updated_at BEFORE UPDATE ON app.habits FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: note_tags note_tags_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER note_tags_audit AFTER INSERT OR DELETE OR UPDATE ON app.note_tags FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'note_id', 'tag_id');

--
-- Name: notes notes_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER notes_audit AFTER INSERT OR DELETE OR UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');

--
-- Name: notes notes_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER notes_set_updated_at BEFORE UPDATE ON app.notes FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: tags tags_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tags_audit AFTER INSERT OR DELETE OR UPDATE ON app.tags FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');

--
-- Name: tags tags_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tags_set_updated_at BEFORE UPDATE ON app.tags FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: task_tags task_tags_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER task_tags_audit AFTER INSERT OR DELETE OR UPDATE ON app.task_tags FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'task_id', 'tag_id');

--
-- Name: tasks tasks_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tasks_audit AFTER INSERT OR DELETE OR UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');

--
-- Name: tasks tasks_refuse_parent_cycle; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tasks_refuse_parent_cycle BEFORE INSERT OR UPDATE OF parent_id ON app.tasks FOR EACH ROW WHEN ((new.parent_id IS NOT NULL)) EXECUTE FUNCTION app.tasks_refuse_parent_cycle();

--
-- Name: tasks tasks_set_updated_at; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON app.tasks FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

--
-- Name: users users_audit; Type: TRIGGER; Schema: app; Owner: metacortex_owner
--

CREATE TRIGGER users_audit AFTER INSERT OR DELETE OR UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION audit.record_change('id');

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
-- Name: habit_checkins; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.habit_checkins ENABLE ROW LEVEL SECURITY;

--
-- Name: habit_checkins habit_checkins_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY habit_checkins_owner ON app.habit_checkins TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: habit_checkins habit_checkins_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY habit_checkins_tenant ON app.habit_checkins TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: habits; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.habits ENABLE ROW LEVEL SECURITY;

--
-- Name: habits habits_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY habits_owner ON app.habits TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: habits habits_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY habits_tenant ON app.habits TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: note_tags; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.note_tags ENABLE ROW LEVEL SECURITY;

--
-- Name: note_tags note_tags_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY note_tags_owner ON app.note_tags TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: note_tags note_tags_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY note_tags_tenant ON app.note_tags TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: notes; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;

--
-- Name: notes notes_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY notes_owner ON app.notes TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: notes notes_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY notes_tenant ON app.notes TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: tags; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.tags ENABLE ROW LEVEL SECURITY;

--
-- Name: tags tags_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY tags_owner ON app.tags TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: tags tags_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY tags_tenant ON app.tags TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: task_tags; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.task_tags ENABLE ROW LEVEL SECURITY;

--
-- Name: task_tags task_tags_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY task_tags_owner ON app.task_tags TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: task_tags task_tags_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY task_tags_tenant ON app.task_tags TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: tasks; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;

--
-- Name: tasks tasks_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY tasks_owner ON app.tasks TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: tasks tasks_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY tasks_tenant ON app.tasks TO metacortex_app, metacortex_readonly USING ((user_id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((user_id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: users; Type: ROW SECURITY; Schema: app; Owner: metacortex_owner
--

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;

--
-- Name: users users_owner; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY users_owner ON app.users TO metacortex_owner USING (true) WITH CHECK (true);

--
-- Name: users users_tenant; Type: POLICY; Schema: app; Owner: metacortex_owner
--

CREATE POLICY users_tenant ON app.users TO metacortex_app, metacortex_readonly USING ((id = ( SELECT app.current_tenant() AS current_tenant))) WITH CHECK ((id = ( SELECT app.current_tenant() AS current_tenant)));

--
-- Name: SCHEMA app; Type: ACL; Schema: -; Owner: metacortex_owner
--

GRANT USAGE ON SCHEMA app TO metacortex_app;
GRANT USAGE ON SCHEMA app TO metacortex_readonly;
GRANT USAGE ON SCHEMA app TO metacortex_monitor;

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
-- Name: FUNCTION create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text) FROM PUBLIC;

--
-- Name: FUNCTION cron_job_runs(); Type: ACL; Schema: app; Owner: metacortex_migrator
--

REVOKE ALL ON FUNCTION app.cron_job_runs() FROM PUBLIC;
GRANT ALL ON FUNCTION app.cron_job_runs() TO metacortex_monitor;

--
-- Name: FUNCTION current_tenant(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.current_tenant() FROM PUBLIC;
GRANT ALL ON FUNCTION app.current_tenant() TO metacortex_app;
GRANT ALL ON FUNCTION app.current_tenant() TO metacortex_readonly;

--
-- Name: FUNCTION default_partition_rows(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.default_partition_rows() FROM PUBLIC;
GRANT ALL ON FUNCTION app.default_partition_rows() TO metacortex_monitor;

--
-- Name: FUNCTION end_overage_transactions(max_age interval); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.end_overage_transactions(max_age interval) FROM PUBLIC;

--
-- Name: FUNCTION find_user_for_login(login_email text); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.find_user_for_login(login_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.find_user_for_login(login_email text) TO metacortex_app;

--
-- Name: FUNCTION partition_premake(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.partition_premake() FROM PUBLIC;
GRANT ALL ON FUNCTION app.partition_premake() TO metacortex_monitor;

--
-- Name: FUNCTION purge_soft_deleted(retention interval, batch_size integer); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.purge_soft_deleted(retention interval, batch_size integer) FROM PUBLIC;

--
-- Name: FUNCTION revoke_partition_grants(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.revoke_partition_grants() FROM PUBLIC;

--
-- Name: FUNCTION run_partition_maintenance(parent_table text, max_wait_seconds integer); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.run_partition_maintenance(parent_table text, max_wait_seconds integer) FROM PUBLIC;

--
-- Name: FUNCTION set_tenant(p_user_id uuid); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.set_tenant(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app.set_tenant(p_user_id uuid) TO metacortex_app;
GRANT ALL ON FUNCTION app.set_tenant(p_user_id uuid) TO metacortex_readonly;

--
-- Name: FUNCTION set_updated_at(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.set_updated_at() FROM PUBLIC;

--
-- Name: FUNCTION sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text) FROM PUBLIC;
GRANT ALL ON FUNCTION app.sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text) TO metacortex_app;

--
-- Name: FUNCTION tasks_refuse_parent_cycle(); Type: ACL; Schema: app; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION app.tasks_refuse_parent_cycle() FROM PUBLIC;

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
-- Name: FUNCTION drop_partitions_before(cutoff timestamp with time zone); Type: ACL; Schema: audit; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION audit.drop_partitions_before(cutoff timestamp with time zone) FROM PUBLIC;

--
-- Name: FUNCTION entry_hash(user_id uuid, seq bigint, occurred_at timestamp with time zone, txid bigint, app_user_id uuid, db_role text, table_name text, operation text, row_key jsonb, old_values jsonb, new_values jsonb, prev_hash bytea); Type: ACL; Schema: audit; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION audit.entry_hash(user_id uuid, seq bigint, occurred_at timestamp with time zone, txid bigint, app_user_id uuid, db_role text, table_name text, operation text, row_key jsonb, old_values jsonb, new_values jsonb, prev_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.entry_hash(user_id uuid, seq bigint, occurred_at timestamp with time zone, txid bigint, app_user_id uuid, db_role text, table_name text, operation text, row_key jsonb, old_values jsonb, new_values jsonb, prev_hash bytea) TO metacortex_auditor;

--
-- Name: FUNCTION record_change(); Type: ACL; Schema: audit; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION audit.record_change() FROM PUBLIC;

--
-- Name: FUNCTION verify_chain(chain_user uuid); Type: ACL; Schema: audit; Owner: metacortex_owner
--

REVOKE ALL ON FUNCTION audit.verify_chain(chain_user uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.verify_chain(chain_user uuid) TO metacortex_auditor;

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
-- Name: FUNCTION lo_creat(integer); Type: ACL; Schema: pg_catalog; Owner: metacortex_admin
--

REVOKE ALL ON FUNCTION pg_catalog.lo_creat(integer) FROM PUBLIC;

--
-- Name: FUNCTION lo_create(oid); Type: ACL; Schema: pg_catalog; Owner: metacortex_admin
--

REVOKE ALL ON FUNCTION pg_catalog.lo_create(oid) FROM PUBLIC;

--
-- Name: FUNCTION lo_from_bytea(oid, bytea); Type: ACL; Schema: pg_catalog; Owner: metacortex_admin
--

REVOKE ALL ON FUNCTION pg_catalog.lo_from_bytea(oid, bytea) FROM PUBLIC;

--
-- Name: TABLE habit_checkins; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE ON TABLE app.habit_checkins TO metacortex_app;
GRANT SELECT ON TABLE app.habit_checkins TO metacortex_readonly;

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
-- Name: TABLE tasks; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.tasks TO metacortex_app;
GRANT SELECT ON TABLE app.tasks TO metacortex_readonly;

--
-- Name: TABLE open_tasks; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.open_tasks TO metacortex_app;
GRANT SELECT ON TABLE app.open_tasks TO metacortex_readonly;

--
-- Name: TABLE partition_maintenance; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT ON TABLE app.partition_maintenance TO metacortex_readonly;
GRANT SELECT ON TABLE app.partition_maintenance TO metacortex_monitor;

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
-- Name: TABLE users; Type: ACL; Schema: app; Owner: metacortex_owner
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.users TO metacortex_app;
GRANT SELECT ON TABLE app.users TO metacortex_readonly;
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE app.users TO metacortex_pgaudit;

--
-- Name: TABLE chain_heads; Type: ACL; Schema: audit; Owner: metacortex_owner
--

GRANT SELECT ON TABLE audit.chain_heads TO metacortex_auditor;

--
-- Name: TABLE chain_watermarks; Type: ACL; Schema: audit; Owner: metacortex_owner
--

GRANT SELECT ON TABLE audit.chain_watermarks TO metacortex_auditor;

--
-- Name: TABLE row_changes; Type: ACL; Schema: audit; Owner: metacortex_owner
--

GRANT SELECT ON TABLE audit.row_changes TO metacortex_auditor;

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

