-- Why: habits, and their check-ins: an append-only, high-volume table range-partitioned by month with pg_partman,
-- so old months drop as whole partitions (retention) and "today's check-ins" touch one partition. Maintenance runs
-- hourly under pg_cron. app.create_monthly_partitions() handles pg_partman 4.x (Debian) and 5.x (RDS) alike.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE app.habits (
    user_id           uuid        NOT NULL,
    id                uuid        NOT NULL DEFAULT app.uuid_generate_v7(),
    name              text        NOT NULL,
    frequency         text        NOT NULL DEFAULT 'daily',
    -- smallint on purpose: the CHECK below bounds it far under 32767.
    -- squawk-ignore prefer-bigint-over-smallint
    days_of_week      smallint[],
    -- smallint on purpose: the CHECK below bounds it far under 32767.
    -- squawk-ignore prefer-bigint-over-smallint
    target_per_period smallint    NOT NULL DEFAULT 1,
    archived_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz,
    CONSTRAINT habits_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT habits_user_fkey FOREIGN KEY (user_id) REFERENCES app.users (id) ON DELETE CASCADE,
    CONSTRAINT habits_name_check CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT habits_frequency_check CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    CONSTRAINT habits_days_check CHECK (days_of_week <@ '{1,2,3,4,5,6,7}'::smallint[]),
    CONSTRAINT habits_target_check CHECK (target_per_period BETWEEN 1 AND 100)
);
CREATE UNIQUE INDEX habits_name_key ON app.habits (user_id, lower(name)) WHERE deleted_at IS NULL;
CREATE INDEX habits_deleted_at_idx ON app.habits (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE TRIGGER habits_set_updated_at BEFORE UPDATE ON app.habits FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
COMMENT ON TABLE app.habits IS 'A user''s habits and how often they aim to do them.';
COMMENT ON COLUMN app.habits.days_of_week IS 'ISO days (1 = Monday) for weekly habits.';
COMMENT ON COLUMN app.habits.archived_at IS 'Archived habits keep their history but leave the daily list.';

CREATE TABLE app.habit_checkins (
    user_id    uuid        NOT NULL,
    id         uuid        NOT NULL DEFAULT app.uuid_generate_v7(),
    habit_id   uuid        NOT NULL,
    checked_at timestamptz NOT NULL DEFAULT now(),
    -- smallint on purpose: the CHECK below bounds it far under 32767.
    -- squawk-ignore prefer-bigint-over-smallint
    value      smallint    NOT NULL DEFAULT 1,
    note       text,
    CONSTRAINT habit_checkins_pkey PRIMARY KEY (user_id, id, checked_at),
    CONSTRAINT habit_checkins_habit_fkey FOREIGN KEY (user_id, habit_id) REFERENCES app.habits (user_id, id) ON DELETE CASCADE,
    CONSTRAINT habit_checkins_value_check CHECK (value BETWEEN 1 AND 1000),
    CONSTRAINT habit_checkins_note_check CHECK (char_length(note) <= 1000)
) PARTITION BY RANGE (checked_at);
-- A habit's history; also the index behind habit_checkins_habit_fkey.
CREATE INDEX habit_checkins_habit_idx ON app.habit_checkins (user_id, habit_id, checked_at);
-- Today's check-ins across a user's habits.
CREATE INDEX habit_checkins_day_idx ON app.habit_checkins (user_id, checked_at);
COMMENT ON TABLE app.habit_checkins IS 'Append-only check-ins, partitioned by month (pg_partman); the app may insert and delete, never update.';

-- Append-only for the app: no UPDATE (default privileges granted it with the other DML).
REVOKE UPDATE ON app.habit_checkins FROM metacortex_app;

SELECT app.create_monthly_partitions('app.habit_checkins', 'checked_at', 12, '36 months');

-- Hourly maintenance: premake future months, drop months past retention. The job belongs to the migrator (pg_cron
-- on PostgreSQL 15 cannot run as a NOLOGIN role) and switches to the owner, who owns the partitions.
SET LOCAL ROLE NONE;
SELECT cron.schedule('metacortex-partman-maintenance', '7 * * * *',
    'SET ROLE metacortex_owner; SELECT partman.run_maintenance(p_analyze := false)');
SET LOCAL ROLE metacortex_owner;

-- migrate:down
SET LOCAL ROLE NONE;
SELECT cron.unschedule('metacortex-partman-maintenance');
SET LOCAL ROLE metacortex_owner;
DELETE FROM partman.part_config WHERE parent_table = 'app.habit_checkins';
DROP TABLE app.habit_checkins;
DROP TABLE IF EXISTS partman.template_app_habit_checkins;
DROP TABLE app.habits;
