-- Why: four functions ran with the caller's search_path, so a role that can create objects in a schema earlier on its
-- path could put a same-named function or operator there and have it run inside ours (a security linter flags every
-- function without a pinned search_path). Each now runs with search_path = pg_catalog: they call built-ins only and
-- name every object of ours with its schema. Every other function already pins it; a test over pg_proc fails on any
-- function in our schemas that does not. Cost: a function with a SET clause is never inlined and sets the path on each
-- call (measured for app.uuid_generate_v7 in docs/security.md).

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER FUNCTION app.uuid_generate_v7() SET search_path = pg_catalog;
ALTER FUNCTION app.uuid_v7_timestamp(uuid) SET search_path = pg_catalog;
ALTER FUNCTION app.set_updated_at() SET search_path = pg_catalog;
ALTER FUNCTION audit.entry_hash(uuid, bigint, timestamptz, bigint, uuid, text, text, text, jsonb, jsonb, jsonb, bytea)
    SET search_path = pg_catalog;

-- migrate:down
ALTER FUNCTION audit.entry_hash(uuid, bigint, timestamptz, bigint, uuid, text, text, text, jsonb, jsonb, jsonb, bytea)
    RESET search_path;
ALTER FUNCTION app.set_updated_at() RESET search_path;
ALTER FUNCTION app.uuid_v7_timestamp(uuid) RESET search_path;
ALTER FUNCTION app.uuid_generate_v7() RESET search_path;
