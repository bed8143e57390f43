-- Why: time-ordered UUIDv7 primary keys generated in the database (PostgreSQL 15 has no built-in), so inserts
-- append to the right edge of every primary-key index instead of scattering like UUIDv4 (docs/schema.md has the
-- measurement), and the trigger function that keeps updated_at honest. Every later table uses both.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION app.uuid_generate_v7() RETURNS uuid
    LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
    -- RFC 9562: 48-bit Unix time in ms, version 7, variant 10, 74 random bits (taken from a v4 UUID).
    -- Bits 52 and 53 turn v4's version nibble 0100 into 0111.
    SELECT encode(
        set_bit(
            set_bit(
                overlay(uuid_send(gen_random_uuid())
                        PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                        FROM 1 FOR 6),
                52, 1),
            53, 1),
        'hex')::uuid
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

-- migrate:down
DROP FUNCTION app.set_updated_at();
DROP FUNCTION app.uuid_v7_timestamp(uuid);
DROP FUNCTION app.uuid_generate_v7();
