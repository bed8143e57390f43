/**
 * Pure: the ORM benchmark's per-user parameters (bench.orm_params) and its pgbench scripts. Each transaction is what
 * the backend's tenant session sends: BEGIN, app.set_tenant(user), the statement with that user's values inlined
 * as psycopg2 inlines them (literals, so plans are custom plans with plan-time pruning where the SQL allows it),
 * COMMIT. The tenant call also fetches the values (\gset), so the transaction has no extra round trip.
 */
import { OPEN_STATUSES } from "../../../../postgres/queries";

/**
 * One row per user who has every kind of row the statements need: a tag on a task, a habit with check-ins, an open
 * task with a due date. Values are stored as the SQL literals psycopg2 would send. The keyset cursor is the user's
 * 100th open dated task by (due_at, id), or the last one: the same page OFFSET 100 asks for.
 */
export const ORM_PARAMS_SQL = `CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.orm_params AS
SELECT row_number() OVER (ORDER BY u.id)::int AS n, u.id AS user_id,
       quote_literal(u.id) || '::uuid' AS uid,
       quote_literal(tg.tag_id) || '::uuid' AS tag,
       quote_literal(h.habit_id) || '::uuid' AS habit,
       quote_literal('%' || left(w.word, 4) || '%') AS pattern,
       quote_literal(c.due_at) || '::timestamptz' AS cursor_due,
       quote_literal(c.id) || '::uuid' AS cursor_id
  FROM app.users u
 CROSS JOIN LATERAL (SELECT x.tag_id FROM app.task_tags x WHERE x.user_id = u.id
                      GROUP BY x.tag_id ORDER BY count(*) DESC, x.tag_id LIMIT 1) tg
 CROSS JOIN LATERAL (SELECT h.id AS habit_id FROM app.habits h WHERE h.user_id = u.id AND h.archived_at IS NULL
                      ORDER BY h.id LIMIT 1) h
 CROSS JOIN LATERAL (SELECT split_part(t.title, ' ', 2) AS word FROM app.tasks t
                      WHERE t.user_id = u.id AND t.deleted_at IS NULL ORDER BY t.id LIMIT 1) w
 CROSS JOIN LATERAL (SELECT s.due_at, s.id FROM (
        SELECT t.due_at, t.id, row_number() OVER (ORDER BY t.due_at, t.id) AS rn, count(*) OVER () AS total
          FROM app.tasks t WHERE t.user_id = u.id AND t.deleted_at IS NULL AND t.due_at IS NOT NULL
           AND t.status IN ${OPEN_STATUSES}) s
        WHERE s.rn = least(100, s.total)) c
 WHERE u.deleted_at IS NULL;
ALTER TABLE bench.orm_params ADD PRIMARY KEY (n);
GRANT USAGE ON SCHEMA bench TO metacortex_app;
GRANT SELECT ON bench.orm_params TO metacortex_app;`;

/** Pure: the values of one user as pgbench variables (and as columns for the EXPLAIN sampler). */
export function paramsSelect(where: string): string {
    return (
        "SELECT uid, tag, habit, pattern, cursor_due, cursor_id, " +
        "quote_literal(now() - interval '30 days') || '::timestamptz' AS since, " +
        "quote_literal(now()) || '::timestamptz' AS until " +
        `FROM bench.orm_params WHERE ${where}`
    );
}

/** Pure: the pgbench script of one statement (sql or ownerSql). */
export function ormScript(sql: string): string {
    const tenant = paramsSelect("n = :n").replace(/^SELECT /, "SELECT app.set_tenant(user_id)::text AS tenant, ");
    return `\\set n random(1, :nusers)\nBEGIN;\n${tenant} \\gset\n${sql};\nCOMMIT;\n`;
}

/** Pure: a statement with one user's values in place of its pgbench variables. */
export function inline(sql: string, values: Readonly<Record<string, string>>): string {
    return sql.replace(/(?<!:):([a-z_]+)\b/g, (_whole, name: string) => {
        if (!(name in values)) throw new Error(`no value for :${name} in ${sql.slice(0, 80)}...`);
        return values[name];
    });
}

/** Pure: the statement with the returned rows' heap page numbers in place of its columns (single-table task lists). */
export function heapPagesSql(sql: string): string | undefined {
    if (!/^SELECT [\s\S]+? FROM app\.tasks\b/.test(sql) || /GROUP BY/.test(sql)) return undefined;
    return `SELECT count(DISTINCT (bench_ctid::text::point)[0])::int AS pages FROM (${sql.replace(/^SELECT /, "SELECT app.tasks.ctid AS bench_ctid, ")}) s`;
}

/** The measured order of each statement's slices: a discarded warm-up block (A, B), then A B B A. */
export type Variant = "rls" | "owner";

/** Pure: the slices of statement `index`; A alternates between statements so neither variant always leads. */
export function sliceOrder(index: number): { variant: Variant; measured: boolean }[] {
    const [a, b]: Variant[] = index % 2 === 0 ? ["rls", "owner"] : ["owner", "rls"];
    return [
        { variant: a, measured: false },
        { variant: b, measured: false },
        { variant: a, measured: true },
        { variant: b, measured: true },
        { variant: b, measured: true },
        { variant: a, measured: true },
    ];
}
