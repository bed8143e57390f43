-- Why: a tenant left at session level must not reach the next transaction on the same server connection. Through
-- PgBouncer in transaction mode a server connection serves many clients in turn; a client that set app.user_id with
-- SET or set_config(..., false) left it there, and the next client, setting nothing, read that user's rows and was
-- audited as them. The backend now calls app.set_tenant(user) once per transaction: it sets app.user_id for the
-- transaction only, together with app.tenant_txn, a marker of the current transaction (its start time in
-- microseconds). The policies ask app.current_tenant(), which returns app.user_id only while that marker matches
-- the running transaction: a value set at session level, or left from an earlier transaction, gives no tenant, so no
-- rows and no writes. The policies keep the initPlan form (SELECT app.current_tenant()), evaluated once per
-- statement, so the user_id-leading indexes still apply.
--
-- Two transactions on one backend share a start time only inside one multi-statement query string (PostgreSQL takes
-- the transaction start from the protocol message); the marker is set transaction-locally, so it survives into a
-- later transaction only if a client copies it to session level deliberately, which needs no leak to be harmful.
-- The backend PID is not part of the marker: settings never move between backends.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION app.set_tenant(p_user_id uuid) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog
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
COMMENT ON FUNCTION app.set_tenant(uuid) IS 'Call once per transaction (SELECT app.set_tenant($1)): the tenant for this transaction only.';
GRANT EXECUTE ON FUNCTION app.set_tenant(uuid) TO metacortex_app, metacortex_readonly;

-- STABLE and parallel safe: workers share the leader's settings and transaction start time.
CREATE FUNCTION app.current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN current_setting('app.tenant_txn', true)
                     = (extract(epoch FROM transaction_timestamp()) * 1000000)::bigint::text
                THEN nullif(current_setting('app.user_id', true), '')::uuid
           END
$$;
COMMENT ON FUNCTION app.current_tenant() IS 'The tenant set by app.set_tenant() in the current transaction; NULL otherwise (no rows, no writes).';
GRANT EXECUTE ON FUNCTION app.current_tenant() TO metacortex_app, metacortex_readonly;

ALTER POLICY users_tenant ON app.users
    USING (id = (SELECT app.current_tenant()))
    WITH CHECK (id = (SELECT app.current_tenant()));

ALTER POLICY tasks_tenant ON app.tasks
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

ALTER POLICY notes_tenant ON app.notes
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

ALTER POLICY tags_tenant ON app.tags
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

ALTER POLICY task_tags_tenant ON app.task_tags
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

ALTER POLICY note_tags_tenant ON app.note_tags
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

ALTER POLICY habits_tenant ON app.habits
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

ALTER POLICY habit_checkins_tenant ON app.habit_checkins
    USING (user_id = (SELECT app.current_tenant()))
    WITH CHECK (user_id = (SELECT app.current_tenant()));

-- migrate:down
ALTER POLICY users_tenant ON app.users
    USING (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY tasks_tenant ON app.tasks
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY notes_tenant ON app.notes
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY tags_tenant ON app.tags
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY task_tags_tenant ON app.task_tags
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY note_tags_tenant ON app.note_tags
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY habits_tenant ON app.habits
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

ALTER POLICY habit_checkins_tenant ON app.habit_checkins
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));

DROP FUNCTION app.current_tenant();
DROP FUNCTION app.set_tenant(uuid);
