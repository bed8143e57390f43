-- Why: an append-only history of every write to user data, that the app cannot alter and that shows tampering.
-- An AFTER row trigger on users and every user-owned table records who (the app's user id and the database role),
-- what (table, operation, primary key, the changed columns old and new, password hashes redacted) and when (time and
-- transaction id) into audit.row_changes, partitioned by month with pg_partman. Each user's entries form a hash
-- chain (each hash covers the entry and the previous hash), serialized per user by a row lock on audit.chain_heads;
-- audit.verify_chain(user) recomputes it and names the first entry that does not match. The trigger function is
-- SECURITY DEFINER (owner): the app role has no rights on the audit schema at all, so it can neither change audit
-- rows nor disable the triggers (it owns no table).

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE audit.chain_heads (
    user_id uuid   NOT NULL,
    seq     bigint NOT NULL,
    hash    bytea  NOT NULL,
    CONSTRAINT chain_heads_pkey PRIMARY KEY (user_id)
);
COMMENT ON TABLE audit.chain_heads IS 'The newest entry of each user''s hash chain; its row lock serializes a user''s audit writes.';

CREATE TABLE audit.row_changes (
    user_id     uuid        NOT NULL,
    seq         bigint      NOT NULL,
    occurred_at timestamptz NOT NULL,
    txid        bigint      NOT NULL,
    app_user_id uuid,
    db_role     text        NOT NULL,
    table_name  text        NOT NULL,
    operation   text        NOT NULL,
    row_key     jsonb       NOT NULL,
    old_values  jsonb,
    new_values  jsonb,
    prev_hash   bytea       NOT NULL,
    hash        bytea       NOT NULL,
    CONSTRAINT row_changes_pkey PRIMARY KEY (user_id, seq, occurred_at),
    CONSTRAINT row_changes_operation_check CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE'))
) PARTITION BY RANGE (occurred_at);
CREATE INDEX row_changes_occurred_idx ON audit.row_changes (occurred_at);
COMMENT ON TABLE audit.row_changes IS 'Row history of user data: who, what, when; hash-chained per user. Written only by audit.record_change().';
COMMENT ON COLUMN audit.row_changes.user_id IS 'The user whose data changed (the tenant).';
COMMENT ON COLUMN audit.row_changes.app_user_id IS 'app.user_id of the writing transaction: who acted (NULL for maintenance).';
COMMENT ON COLUMN audit.row_changes.db_role IS 'The login role of the writing session (session_user).';
COMMENT ON COLUMN audit.row_changes.old_values IS 'Changed columns before (UPDATE), or the whole row (DELETE); secrets redacted.';
COMMENT ON COLUMN audit.row_changes.new_values IS 'Changed columns after (UPDATE), or the whole row (INSERT); secrets redacted.';

-- The hash of one entry: every recorded field and the previous hash, in a fixed text form.
CREATE FUNCTION audit.entry_hash(user_id uuid, seq bigint, occurred_at timestamptz, txid bigint, app_user_id uuid, db_role text,
                                 table_name text, operation text, row_key jsonb, old_values jsonb, new_values jsonb, prev_hash bytea)
    RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT sha256(convert_to(concat_ws('|', user_id, seq, (extract(epoch FROM occurred_at) * 1000000)::bigint, txid,
        coalesce(app_user_id::text, '-'), db_role, table_name, operation, row_key::text,
        coalesce(old_values::text, '-'), coalesce(new_values::text, '-'), encode(prev_hash, 'hex')), 'UTF8'))
$$;

CREATE FUNCTION audit.record_change() RETURNS trigger
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
COMMENT ON FUNCTION audit.record_change() IS 'AFTER row trigger: appends one hash-chained entry to audit.row_changes. Arguments: primary-key columns.';

CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE ON app.users FOR EACH ROW EXECUTE FUNCTION audit.record_change('id');
CREATE TRIGGER tasks_audit AFTER INSERT OR UPDATE OR DELETE ON app.tasks FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');
CREATE TRIGGER notes_audit AFTER INSERT OR UPDATE OR DELETE ON app.notes FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');
CREATE TRIGGER tags_audit AFTER INSERT OR UPDATE OR DELETE ON app.tags FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');
CREATE TRIGGER task_tags_audit AFTER INSERT OR UPDATE OR DELETE ON app.task_tags FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'task_id', 'tag_id');
CREATE TRIGGER note_tags_audit AFTER INSERT OR UPDATE OR DELETE ON app.note_tags FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'note_id', 'tag_id');
CREATE TRIGGER habits_audit AFTER INSERT OR UPDATE OR DELETE ON app.habits FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id');
CREATE TRIGGER habit_checkins_audit AFTER INSERT OR UPDATE OR DELETE ON app.habit_checkins FOR EACH ROW EXECUTE FUNCTION audit.record_change('user_id', 'id', 'checked_at');

-- Verification: recompute every remaining entry of a user's chain, oldest first. The oldest remaining entry's
-- prev_hash is taken as given (retention may have dropped older months); every later link must match.
CREATE FUNCTION audit.verify_chain(chain_user uuid)
    RETURNS TABLE (valid boolean, entries bigint, first_bad_seq bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, audit
AS $$
DECLARE
    e audit.row_changes;
    expected_prev bytea;
    expected_seq bigint;
BEGIN
    valid := true;
    entries := 0;
    FOR e IN SELECT * FROM audit.row_changes r WHERE r.user_id = chain_user ORDER BY r.seq LOOP
        entries := entries + 1;
        IF (expected_prev IS NOT NULL AND (e.prev_hash <> expected_prev OR e.seq <> expected_seq))
           OR e.hash <> audit.entry_hash(e.user_id, e.seq, e.occurred_at, e.txid, e.app_user_id, e.db_role, e.table_name,
                                         e.operation, e.row_key, e.old_values, e.new_values, e.prev_hash) THEN
            valid := false;
            first_bad_seq := e.seq;
            RETURN NEXT;
            RETURN;
        END IF;
        expected_prev := e.hash;
        expected_seq := e.seq + 1;
    END LOOP;
    IF valid AND entries > 0 AND expected_prev <> (SELECT h.hash FROM audit.chain_heads h WHERE h.user_id = chain_user) THEN
        valid := false;  -- the newest entries were removed
        first_bad_seq := expected_seq;
    END IF;
    RETURN NEXT;
END
$$;
COMMENT ON FUNCTION audit.verify_chain(uuid) IS 'Recomputes a user''s audit hash chain; returns whether it holds and the first entry that does not.';
GRANT EXECUTE ON FUNCTION audit.verify_chain(uuid), audit.entry_hash(uuid, bigint, timestamptz, bigint, uuid, text, text, text, jsonb, jsonb, jsonb, bytea) TO metacortex_auditor;

-- Seven years, then whole months are dropped; verify_chain starts from the oldest month kept.
SELECT app.create_monthly_partitions('audit.row_changes', 'occurred_at', 1, '84 months');
SELECT app.revoke_partition_grants();

-- migrate:down
DELETE FROM partman.part_config WHERE parent_table = 'audit.row_changes';
DROP TRIGGER habit_checkins_audit ON app.habit_checkins;
DROP TRIGGER habits_audit ON app.habits;
DROP TRIGGER note_tags_audit ON app.note_tags;
DROP TRIGGER task_tags_audit ON app.task_tags;
DROP TRIGGER tags_audit ON app.tags;
DROP TRIGGER notes_audit ON app.notes;
DROP TRIGGER tasks_audit ON app.tasks;
DROP TRIGGER users_audit ON app.users;
DROP FUNCTION audit.verify_chain(uuid);
DROP FUNCTION audit.record_change();
DROP FUNCTION audit.entry_hash(uuid, bigint, timestamptz, bigint, uuid, text, text, text, jsonb, jsonb, jsonb, bytea);
DROP TABLE audit.row_changes;
DROP TABLE IF EXISTS partman.template_audit_row_changes;
DROP TABLE audit.chain_heads;
