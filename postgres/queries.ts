/**
 * The backend's canonical queries: the task filters it runs on every page load, written the way the backend must
 * write them so the partial indexes apply (live rows: `deleted_at IS NULL`; open tasks: the exact status list).
 * One source for the plan tests, the benchmarks (pgbench scripts) and docs/schema.md.
 *
 * Parameters are positional; `user_id = $1` is always explicit even though row-level security adds the same
 * condition, because the planner needs it as an index condition for the composite indexes.
 */
export interface CanonicalQuery {
    readonly name: string;
    readonly purpose: string;
    /** The index the plan must use on a seeded database. */
    readonly index: string;
    /** Other per-user indexes the planner may rightly prefer (with the reason in `purpose`). */
    readonly alsoAccepted?: readonly string[];
    readonly sql: string;
}

export const OPEN_STATUSES = "('todo', 'in_progress', 'blocked')";

export const QUERIES: readonly CanonicalQuery[] = [
    {
        name: "open_by_due",
        purpose: "a user's open tasks by due date, page of 50, keyset on (due_at, id)",
        index: "tasks_open_due_cover_idx",
        sql: `SELECT id, title, status, priority, due_at FROM app.tasks
 WHERE user_id = $1 AND deleted_at IS NULL AND status IN ${OPEN_STATUSES}
   AND (due_at, id) > ($2::timestamptz, $3::uuid)
 ORDER BY due_at, id LIMIT 50`,
    },
    {
        name: "status_priority",
        purpose: "tasks with one status and priority, by due date",
        index: "tasks_status_priority_cover_idx",
        sql: `SELECT id, title, due_at FROM app.tasks
 WHERE user_id = $1 AND deleted_at IS NULL AND status = $2 AND priority = $3
 ORDER BY due_at, id LIMIT 50`,
    },
    {
        name: "overdue",
        purpose: "open tasks past their due date",
        index: "tasks_open_due_cover_idx",
        sql: `SELECT id, title, priority, due_at FROM app.tasks
 WHERE user_id = $1 AND deleted_at IS NULL AND status IN ${OPEN_STATUSES} AND due_at < now()
 ORDER BY due_at, id LIMIT 50`,
    },
    {
        name: "by_tag",
        purpose: "live tasks carrying a tag, newest first",
        index: "task_tags_tag_idx",
        sql: `SELECT t.id, t.title, t.status, t.due_at FROM app.task_tags tt
  JOIN app.tasks t ON t.user_id = tt.user_id AND t.id = tt.task_id
 WHERE tt.user_id = $1 AND tt.tag_id = $2 AND t.deleted_at IS NULL
 ORDER BY t.id DESC LIMIT 50`,
    },
    {
        name: "text_search",
        purpose: "text search on title and description, best match first",
        index: "tasks_search_idx",
        sql: `SELECT id, title, ts_rank(search, q) AS rank FROM app.tasks, websearch_to_tsquery('simple', $2) AS q
 WHERE user_id = $1 AND deleted_at IS NULL AND search @@ q
 ORDER BY rank DESC, id LIMIT 50`,
    },
    {
        name: "subtasks",
        purpose: "the subtasks of a task, in manual order",
        index: "tasks_parent_idx",
        sql: `SELECT id, title, status, position FROM app.tasks
 WHERE user_id = $1 AND parent_id = $2 AND deleted_at IS NULL
 ORDER BY position LIMIT 100`,
    },
    {
        name: "counts_per_status",
        purpose: "how many live tasks the user has in each status",
        index: "tasks_status_priority_cover_idx",
        sql: `SELECT status, count(*) AS n FROM app.tasks
 WHERE user_id = $1 AND deleted_at IS NULL
 GROUP BY status`,
    },
    {
        name: "today_checkins",
        purpose: "today's habit check-ins (one partition)",
        index: "habit_checkins_day_idx",
        sql: `SELECT habit_id, checked_at, value FROM app.habit_checkins
 WHERE user_id = $1 AND checked_at >= $2::timestamptz AND checked_at < $2::timestamptz + interval '1 day'
 ORDER BY checked_at`,
    },
    {
        name: "note_search",
        purpose:
            "text search on notes (a user with few notes is read through notes_list_idx and filtered: cheaper than GIN)",
        index: "notes_search_idx",
        alsoAccepted: ["notes_list_idx"],
        sql: `SELECT id, title, ts_rank(search, q) AS rank FROM app.notes, websearch_to_tsquery('simple', $2) AS q
 WHERE user_id = $1 AND deleted_at IS NULL AND search @@ q
 ORDER BY rank DESC, id LIMIT 50`,
    },
];

/**
 * Parameters for each query for one user, drawn from the data (a user with tasks, one of their tags, a parent task,
 * a word from their titles). Run as a superuser or the owner; returns undefined for a user lacking something.
 */
export const PARAMETER_SQL = `
WITH u AS (SELECT $1::uuid AS user_id)
SELECT
  (SELECT tag_id FROM app.task_tags t, u WHERE t.user_id = u.user_id LIMIT 1) AS tag_id,
  (SELECT parent_id FROM app.tasks t, u WHERE t.user_id = u.user_id AND parent_id IS NOT NULL AND deleted_at IS NULL LIMIT 1) AS parent_id,
  (SELECT split_part(title, ' ', 2) FROM app.tasks t, u WHERE t.user_id = u.user_id LIMIT 1) AS task_word,
  (SELECT split_part(title, ' ', 1) FROM app.notes t, u WHERE t.user_id = u.user_id AND title <> '' LIMIT 1) AS note_word,
  (SELECT max(date_trunc('day', checked_at)) FROM app.habit_checkins c, u WHERE c.user_id = u.user_id) AS checkin_day`;

export interface QueryParameters {
    readonly userId: string;
    readonly tagId: string;
    readonly parentId: string;
    readonly taskWord: string;
    readonly noteWord: string;
    readonly checkinDay: string;
}

/** Pure: the positional parameters of a canonical query. */
export function parametersFor(name: string, p: QueryParameters): unknown[] {
    switch (name) {
        case "open_by_due":
            return [p.userId, "-infinity", "00000000-0000-0000-0000-000000000000"];
        case "status_priority":
            return [p.userId, "todo", 3];
        case "overdue":
            return [p.userId];
        case "by_tag":
            return [p.userId, p.tagId];
        case "text_search":
            return [p.userId, p.taskWord];
        case "subtasks":
            return [p.userId, p.parentId];
        case "counts_per_status":
            return [p.userId];
        case "today_checkins":
            return [p.userId, p.checkinDay];
        case "note_search":
            return [p.userId, p.noteWord];
        default:
            throw new Error(`unknown query ${name}`);
    }
}
