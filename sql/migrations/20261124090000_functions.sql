-- Why: time-ordered UUIDv7 primary keys generated in the database (PostgreSQL 15 has no built-in), so inserts
-- append to the right edge of every primary-key index instead of scattering like UUIDv4 (docs/schema.md has the
-- measurement); the trigger function that keeps updated_at honest; and monthly partitioning with pg_partman written
-- once for the 4.x and 5.x APIs. Later migrations use all three.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION app.uuid_generate_v7() RETURNS uuid
    LANGUAGE plpgsql VOLATILE PARALLEL SAFE
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
COMMENT ON FUNCTION app.uuid_generate_v7() IS 'A UUIDv7 (RFC 9562): time-ordered, for primary keys.';
GRANT EXECUTE ON FUNCTION app.uuid_generate_v7() TO metacortex_app;

CREATE FUNCTION app.uuid_v7_timestamp(id uuid) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint / 1000.0)
$$;
COMMENT ON FUNCTION app.uuid_v7_timestamp(uuid) IS 'The creation time embedded in a UUIDv7 (millisecond precision).';
GRANT EXECUTE ON FUNCTION app.uuid_v7_timestamp(uuid) TO metacortex_app, metacortex_readonly;

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
COMMENT ON FUNCTION app.set_updated_at() IS 'BEFORE UPDATE trigger: maintains updated_at.';

-- Monthly range partitions with pg_partman, written once for both majors this platform meets: Debian's 4.7
-- (p_type 'native', interval 'monthly') and RDS's 5.x (p_type 'range', interval '1 month'). Owner-only (migrations).
CREATE FUNCTION app.create_monthly_partitions(parent_table text, control_column text, months_back integer, retention text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
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
COMMENT ON FUNCTION app.create_monthly_partitions(text, text, integer, text) IS 'pg_partman monthly partitioning for 4.x and 5.x alike: four months premade, a default partition, retention.';

-- migrate:down
DROP FUNCTION app.create_monthly_partitions(text, text, integer, text);
DROP FUNCTION app.set_updated_at();
DROP FUNCTION app.uuid_v7_timestamp(uuid);
DROP FUNCTION app.uuid_generate_v7();
