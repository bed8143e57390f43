-- Why: only a task that is its own parent was refused, so a -> b -> a could be written, and a recursive subtask query
-- over it loops until its statement timeout. A CHECK cannot see other rows, so a BEFORE trigger walks from the new
-- parent up to the root and refuses the write if it meets the task itself. The walk is capped at 64 ancestors (which
-- also bounds its cost on any chain already too deep), and it locks each ancestor FOR SHARE: two concurrent moves that
-- would close a cycle between them (a under b, b under a) cannot both pass; one waits for the other and then sees its
-- change, or fails on the conflict. The up refuses to run while a cycle already exists.

-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '5min';

DO $$
DECLARE
    looped uuid;
BEGIN
    WITH RECURSIVE up (user_id, start_id, at_id, depth) AS (
        SELECT t.user_id, t.id, t.parent_id, 1 FROM app.tasks t WHERE t.parent_id IS NOT NULL
        UNION ALL
        SELECT up.user_id, up.start_id, t.parent_id, up.depth + 1
          FROM up JOIN app.tasks t ON t.user_id = up.user_id AND t.id = up.at_id
         WHERE t.parent_id IS NOT NULL AND up.at_id <> up.start_id AND up.depth <= 64)
    SELECT up.start_id INTO looped FROM up WHERE up.at_id = up.start_id LIMIT 1;
    IF looped IS NOT NULL THEN
        RAISE EXCEPTION 'task % is its own ancestor: break the cycle (set one parent_id to NULL), then migrate again', looped;
    END IF;
END
$$;

CREATE FUNCTION app.tasks_refuse_parent_cycle() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
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
COMMENT ON FUNCTION app.tasks_refuse_parent_cycle() IS 'BEFORE trigger on tasks: refuses a parent that is the task itself or below it, and nesting deeper than 64 ancestors.';

CREATE TRIGGER tasks_refuse_parent_cycle BEFORE INSERT OR UPDATE OF parent_id ON app.tasks
    FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL) EXECUTE FUNCTION app.tasks_refuse_parent_cycle();

-- migrate:down
DROP TRIGGER tasks_refuse_parent_cycle ON app.tasks;
DROP FUNCTION app.tasks_refuse_parent_cycle();
