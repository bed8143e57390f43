-- Why: the audit log's "who acted" must be the tenant of the writing transaction, never a value of app.user_id left at
-- session level on a pooled server connection by an earlier client. The trigger now asks app.current_tenant(), the
-- same function the row-level security policies use, so an entry names the user only when app.set_tenant() was
-- called in the transaction that wrote it. Owner-side writes (maintenance, sign-up) still record NULL.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE OR REPLACE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, audit
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

-- migrate:down
CREATE OR REPLACE FUNCTION audit.record_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, audit
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
    actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
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
