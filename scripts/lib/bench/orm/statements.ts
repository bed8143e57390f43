/**
 * The statements of the ORM benchmark: the SQL the backend's SQLAlchemy models send (captured by capture.py from
 * clients/python), with each per-user value turned into a pgbench variable, and what the report says about each
 * shape (what it stands for, whether the backend should write it that way, and its physical floor in buffers).
 */
import * as path from "path";
import { runPython } from "../../local/python";

export interface CapturedStatement {
    readonly name: string;
    /** As sent under row-level security, with the user's values as pgbench variables (:uid, :tag, ...). */
    readonly sql: string;
    /** The same statement naming the tenant, for the run without row-level security. */
    readonly ownerSql: string;
}

export interface Capture {
    readonly sqlalchemy: string;
    readonly statements: readonly CapturedStatement[];
}

/** The per-user variables a statement may use; bench.orm_params has one text column for each. */
export const VARIABLES = ["uid", "tag", "habit", "cursor_id", "cursor_due", "since", "until", "pattern"] as const;

/** Pure: replaces each sentinel's SQL text with its pgbench variable; fails if a sentinel is left or unknown. */
export function withVariables(sql: string, sentinels: Readonly<Record<string, string>>): string {
    let out = sql.replace(/\s+/g, " ").trim();
    for (const [name, text] of Object.entries(sentinels)) {
        if (!(VARIABLES as readonly string[]).includes(name))
            throw new Error(`capture.py sentinel ${name} has no bench variable (known: ${VARIABLES.join(", ")})`);
        out = out.split(text).join(`:${name}`);
    }
    if (/00000000-0000-7000-8000-0000000000a|sentinelword|200[123]-0[123]-0[123]T/.test(out))
        throw new Error(`a sentinel value survived in: ${out}`);
    return out;
}

/** Captures the statements from the backend's models (python3 with SQLAlchemy, psycopg2, clients/python). */
export async function captureStatements(): Promise<Capture> {
    const result = await runPython([path.join(__dirname, "capture.py")]);
    if (result.code !== 0)
        throw new Error(`capture.py failed (${result.code}): ${result.stderr.trim().split("\n").slice(-1)[0]}`);
    const raw = JSON.parse(result.stdout) as {
        sqlalchemy: string;
        sentinels: Record<string, string>;
        statements: { name: string; sql: string; owner_sql: string }[];
    };
    return {
        sqlalchemy: raw.sqlalchemy,
        statements: raw.statements.map((s) => ({
            name: s.name,
            sql: withVariables(s.sql, raw.sentinels),
            ownerSql: withVariables(s.owner_sql, raw.sentinels),
        })),
    };
}

export interface ShapeNote {
    /** What the statement stands for. */
    readonly shape: string;
    /** True for the shapes the backend should write; false for what an ORM writes by default. */
    readonly recommended: boolean;
    /** The fewest buffers this shape can read for a page, and why. */
    readonly floor: string;
}

const INDEX_ONLY = "index-only: root, inner and 1 to 2 leaf pages (3 to 5)";
const ENTITY = "1 heap visit per row after 3 index pages (53 for 50 rows), whatever the layout";

/** What the report says about each captured statement, by name. */
export const SHAPES: Readonly<Record<string, ShapeNote>> = {
    open_entity: { shape: "open tasks by due date, whole entity", recommended: false, floor: ENTITY },
    open_load_only: { shape: "open tasks by due date, load_only", recommended: true, floor: INDEX_ONLY },
    open_rls_only: { shape: "open tasks, load_only, no user_id (RLS only)", recommended: false, floor: INDEX_ONLY },
    open_offset_page3: {
        shape: "page 3 by OFFSET 100, whole entity",
        recommended: false,
        floor: "reads and discards the 100 rows before the page: 150 heap visits",
    },
    open_keyset_page3: { shape: "page 3 by keyset, load_only", recommended: true, floor: INDEX_ONLY },
    recent_entity: { shape: "recently updated, whole entity", recommended: false, floor: ENTITY },
    recent_load_only: { shape: "recently updated, load_only", recommended: true, floor: INDEX_ONLY },
    done_this_week: {
        shape: "completed this week, whole entity",
        recommended: true,
        floor: "3 index pages + 1 heap visit per row (a week holds a few rows)",
    },
    substring_entity: {
        shape: "title ILIKE '%word%', whole entity",
        recommended: false,
        floor: "every live task of the user is read to test it: 1 heap visit per task",
    },
    substring_load_only: {
        shape: "title ILIKE '%word%', load_only",
        recommended: true,
        floor: "index-only over the user's live tasks: 1 leaf page per ~80 tasks",
    },
    tag_status_relationship: {
        shape: "tag + status through Task.tags.any()",
        recommended: false,
        floor: "1 probe of tags and task_tags per task of the user",
    },
    tag_status_direct: {
        shape: "tag + status on task_tags.tag_id, load_only",
        recommended: true,
        floor: "task_tags leaves + 1 primary-key probe (3 to 4 pages) per tagged task",
    },
    habit_30d_now: {
        shape: "a habit's last 30 days, now() - interval",
        recommended: false,
        floor: "2 partitions x 3 index pages; plans every partition",
    },
    habit_30d_bounds: {
        shape: "a habit's last 30 days, both bounds bound in Python",
        recommended: true,
        floor: "2 partitions x 3 index pages; plans only those two",
    },
    dashboard_counts: {
        shape: "counts per status (dashboard)",
        recommended: true,
        floor: "index-only over the user's live tasks",
    },
};
