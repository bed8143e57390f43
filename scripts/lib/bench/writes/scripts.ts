/**
 * Pure: what the write-cost benchmark varies (candidate indexes on app.tasks) and what it runs (pgbench scripts of
 * the app's inserts and updates, as the app role under row-level security, with the audit trigger firing).
 */

export interface Candidate {
    readonly name: string;
    readonly create: string;
    /** The statement whose plan shows whether the index is used, with and without row-level security. */
    readonly probe?: string;
}

const ILIKE_PROBE = `SELECT app.tasks.user_id, app.tasks.id, app.tasks.title, app.tasks.description, app.tasks.status,
 app.tasks.updated_at FROM app.tasks WHERE app.tasks.user_id = :uid AND app.tasks.title ILIKE :pattern
 AND app.tasks.deleted_at IS NULL ORDER BY app.tasks.updated_at DESC, app.tasks.id DESC LIMIT 50`;

/** The indexes measured: the two the migrations ship, and the trigram index they do not. */
export const CANDIDATES: readonly Candidate[] = [
    {
        name: "tasks_recent_cover_idx",
        create: `CREATE INDEX tasks_recent_cover_idx ON app.tasks (user_id, updated_at DESC, id DESC)
            INCLUDE (title, status, priority, due_at) WHERE deleted_at IS NULL`,
    },
    {
        name: "tasks_done_idx",
        create: "CREATE INDEX tasks_done_idx ON app.tasks (user_id, completed_at) WHERE status = 'done' AND deleted_at IS NULL",
    },
    {
        name: "tasks_title_trgm_idx",
        create: `CREATE INDEX tasks_title_trgm_idx ON app.tasks USING gin (user_id, title ext.gin_trgm_ops)
            WHERE deleted_at IS NULL`,
        probe: ILIKE_PROBE,
    },
];

/** Configurations in the order measured; the baseline runs first and last, so the drift of the run shows. */
export const CONFIGS: ReadonlyArray<{ readonly name: string; readonly indexes: readonly string[] }> = [
    { name: "baseline (before)", indexes: [] },
    { name: "+ tasks_recent_cover_idx", indexes: ["tasks_recent_cover_idx"] },
    { name: "+ tasks_done_idx", indexes: ["tasks_done_idx"] },
    { name: "+ tasks_title_trgm_idx", indexes: ["tasks_title_trgm_idx"] },
    { name: "shipped (recent + done)", indexes: ["tasks_recent_cover_idx", "tasks_done_idx"] },
    { name: "baseline (after)", indexes: [] },
];

/** One random live task and its owner per transaction, from bench.write_targets (built by the run). */
const TARGET =
    "\\set k random(1, :ntargets)\nBEGIN;\nSELECT app.set_tenant(user_id)::text AS tenant, quote_literal(user_id) || '::uuid' AS uid, quote_literal(id) || '::uuid' AS tid FROM bench.write_targets WHERE k = :k \\gset\n";

/** A new task for a random user, as the backend inserts one (the database makes id and timestamps). */
export const INSERT_SCRIPT = `${TARGET}INSERT INTO app.tasks (user_id, title, description, status, priority, due_at)
 VALUES (:uid, 'write bench task ' || :k, 'a description of a few words for the search vector', 'todo', 3, now() + interval '3 days');
COMMIT;
`;

/**
 * The app's edits in equal shares: complete or reopen, rename, edit the description, reschedule, reprioritize,
 * move among siblings. Every one changes an indexed column (status, title, the search vector, due_at, priority,
 * position), which is why none of them can be a HOT update, with or without the candidates.
 */
export const UPDATE_SCRIPT = `${TARGET}\\set op random(1, 6)
\\if :op = 1
UPDATE app.tasks SET status = CASE WHEN status = 'done' THEN 'todo' ELSE 'done' END, completed_at = CASE WHEN status = 'done' THEN NULL ELSE now() END WHERE user_id = :uid AND id = :tid;
\\elif :op = 2
UPDATE app.tasks SET title = 'renamed ' || :k WHERE user_id = :uid AND id = :tid;
\\elif :op = 3
UPDATE app.tasks SET description = 'edited ' || :k WHERE user_id = :uid AND id = :tid;
\\elif :op = 4
UPDATE app.tasks SET due_at = now() + interval '1 day' * (:k % 30) WHERE user_id = :uid AND id = :tid;
\\elif :op = 5
UPDATE app.tasks SET priority = 1 + :k % 4 WHERE user_id = :uid AND id = :tid;
\\else
UPDATE app.tasks SET position = position + 0.5 WHERE user_id = :uid AND id = :tid;
\\endif
COMMIT;
`;

/** Live tasks numbered for random picks, readable by the app role. */
export const TARGETS_SQL = `CREATE SCHEMA IF NOT EXISTS bench;
DROP TABLE IF EXISTS bench.write_targets;
CREATE TABLE bench.write_targets AS
  SELECT row_number() OVER (ORDER BY id)::int AS k, user_id, id FROM app.tasks WHERE deleted_at IS NULL;
ALTER TABLE bench.write_targets ADD PRIMARY KEY (k);
GRANT USAGE ON SCHEMA bench TO metacortex_app;
GRANT SELECT ON bench.write_targets TO metacortex_app;`;
