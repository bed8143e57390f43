-- Why: the database, not the backend, keeps each user's data to that user. Every user-owned table gets row-level
-- security, FORCEd so that even the owner goes through a policy. The app and readonly roles see and write only rows
-- whose user_id is the transaction's app.user_id, which the backend sets with SET LOCAL (or set_config(..., true))
-- per transaction; no user set means no rows. The policies use the initPlan form (SELECT current_setting(...)), so
-- the setting is read once per statement and the user_id indexes apply. The owner has its own all-rows policy for
-- maintenance (purge, partition upkeep). Also: partitions lose their direct grants (policies on a partitioned
-- table do not apply when a partition is queried directly), a security_invoker view, and the two SECURITY DEFINER
-- entry points the backend needs before it knows the user (login lookup and sign-up).

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_tenant ON app.users TO metacortex_app, metacortex_readonly
    USING (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY users_owner ON app.users TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tasks FORCE ROW LEVEL SECURITY;
CREATE POLICY tasks_tenant ON app.tasks TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY tasks_owner ON app.tasks TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_tenant ON app.notes TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY notes_owner ON app.notes TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tags_tenant ON app.tags TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY tags_owner ON app.tags TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.task_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.task_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY task_tags_tenant ON app.task_tags TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY task_tags_owner ON app.task_tags TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.note_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.note_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY note_tags_tenant ON app.note_tags TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY note_tags_owner ON app.note_tags TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.habits ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.habits FORCE ROW LEVEL SECURITY;
CREATE POLICY habits_tenant ON app.habits TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY habits_owner ON app.habits TO metacortex_owner USING (true) WITH CHECK (true);

ALTER TABLE app.habit_checkins ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.habit_checkins FORCE ROW LEVEL SECURITY;
CREATE POLICY habit_checkins_tenant ON app.habit_checkins TO metacortex_app, metacortex_readonly
    USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid))
    WITH CHECK (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
CREATE POLICY habit_checkins_owner ON app.habit_checkins TO metacortex_owner USING (true) WITH CHECK (true);

-- Partitions are reached through their parent (where the grants and policies are); direct grants on them, which
-- default privileges hand out when partman creates one, would bypass the parent's policies.
CREATE FUNCTION app.revoke_partition_grants() RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog
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
COMMENT ON FUNCTION app.revoke_partition_grants() IS 'Removes direct grants from every partition; run after partman creates partitions.';
SELECT app.revoke_partition_grants();

-- Re-scheduled under the same name (pg_cron 1.4 grants schedule/unschedule, not alter_job) with the revoke added.
SET LOCAL ROLE NONE;
SELECT cron.unschedule('metacortex-partman-maintenance');
SELECT cron.schedule('metacortex-partman-maintenance', '7 * * * *',
    'SET ROLE metacortex_owner; SELECT partman.run_maintenance(p_analyze := false); SELECT app.revoke_partition_grants()');
SET LOCAL ROLE metacortex_owner;

-- Views run with the querying user's rights and policies, never the owner's.
CREATE VIEW app.open_tasks WITH (security_invoker = true) AS
    SELECT user_id, id, parent_id, title, status, priority, due_at, position, created_at, updated_at
      FROM app.tasks
     WHERE deleted_at IS NULL AND status IN ('todo', 'in_progress', 'blocked');
COMMENT ON VIEW app.open_tasks IS 'Live open tasks; security_invoker, so row-level security applies to the caller.';

-- Before login the backend does not know the user: these two functions are the only way past the users policy.
-- SECURITY DEFINER (they run as the owner), search_path pinned, EXECUTE granted to the app role alone.
CREATE FUNCTION app.find_user_for_login(login_email text)
    RETURNS TABLE (id uuid, password_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, app, ext
AS $$
    SELECT u.id, u.password_hash FROM app.users u WHERE u.email = login_email::ext.citext AND u.deleted_at IS NULL
$$;
COMMENT ON FUNCTION app.find_user_for_login(text) IS 'Login: the live user with this email (case-insensitive) and their password hash.';
GRANT EXECUTE ON FUNCTION app.find_user_for_login(text) TO metacortex_app;

CREATE FUNCTION app.sign_up(new_email text, new_display_name text, new_time_zone text, new_password_hash text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, app, ext
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
COMMENT ON FUNCTION app.sign_up(text, text, text, text) IS 'Sign-up: creates a user and returns its id (the caller then sets app.user_id).';
GRANT EXECUTE ON FUNCTION app.sign_up(text, text, text, text) TO metacortex_app;

-- migrate:down
SET LOCAL ROLE NONE;
SELECT cron.unschedule('metacortex-partman-maintenance');
SELECT cron.schedule('metacortex-partman-maintenance', '7 * * * *',
    'SET ROLE metacortex_owner; SELECT partman.run_maintenance(p_analyze := false)');
SET LOCAL ROLE metacortex_owner;
DROP FUNCTION app.sign_up(text, text, text, text);
DROP FUNCTION app.find_user_for_login(text);
DROP VIEW app.open_tasks;
DROP FUNCTION app.revoke_partition_grants();
-- Give partitions back the grants default privileges had given them.
DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN SELECT c.oid::regclass FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                 WHERE p.relkind = 'p' AND p.relnamespace = 'app'::regnamespace
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO metacortex_app', part);
        EXECUTE format('GRANT SELECT ON %s TO metacortex_readonly', part);
    END LOOP;
END
$$;

DROP POLICY habit_checkins_owner ON app.habit_checkins;
DROP POLICY habit_checkins_tenant ON app.habit_checkins;
ALTER TABLE app.habit_checkins NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.habit_checkins DISABLE ROW LEVEL SECURITY;

DROP POLICY habits_owner ON app.habits;
DROP POLICY habits_tenant ON app.habits;
ALTER TABLE app.habits NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.habits DISABLE ROW LEVEL SECURITY;

DROP POLICY note_tags_owner ON app.note_tags;
DROP POLICY note_tags_tenant ON app.note_tags;
ALTER TABLE app.note_tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.note_tags DISABLE ROW LEVEL SECURITY;

DROP POLICY task_tags_owner ON app.task_tags;
DROP POLICY task_tags_tenant ON app.task_tags;
ALTER TABLE app.task_tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.task_tags DISABLE ROW LEVEL SECURITY;

DROP POLICY tags_owner ON app.tags;
DROP POLICY tags_tenant ON app.tags;
ALTER TABLE app.tags NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.tags DISABLE ROW LEVEL SECURITY;

DROP POLICY notes_owner ON app.notes;
DROP POLICY notes_tenant ON app.notes;
ALTER TABLE app.notes NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.notes DISABLE ROW LEVEL SECURITY;

DROP POLICY tasks_owner ON app.tasks;
DROP POLICY tasks_tenant ON app.tasks;
ALTER TABLE app.tasks NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.tasks DISABLE ROW LEVEL SECURITY;

DROP POLICY users_owner ON app.users;
DROP POLICY users_tenant ON app.users;
ALTER TABLE app.users NO FORCE ROW LEVEL SECURITY;
ALTER TABLE app.users DISABLE ROW LEVEL SECURITY;
