/**
 * Pure, deterministic seed data: one user's rows for every table, from that user's own random stream
 * (`<seed>/user/<index>`), so any slice of users can be generated independently and the same seed always gives the
 * same rows. Distributions aim at what the backend sees:
 * - tasks per user are exponential (a long tail of heavy users) around the mean;
 * - statuses: 45% todo, 10% in progress, 5% blocked, 35% done, 5% cancelled;
 * - 65% of tasks have a due date, spread from 30 days before to 60 days after the as-of date;
 * - 15% are subtasks, 3% are soft-deleted, 40% carry one to three tags;
 * - habits get daily check-ins over the last `checkinDays` days at the habit's own adherence rate.
 */
import { Random } from "./random";
import { COLORS, FIRST, HABITS, LAST, OBJECTS, TAGS, VERBS, WORDS, ZONES } from "./words";

export type Cell = string | number | boolean | null;
export type Row = Cell[];

/** COPY column order per table, in load order. */
export const TABLES = {
    users: ["id", "email", "display_name", "time_zone", "created_at", "updated_at", "deleted_at"],
    tasks: [
        "user_id",
        "id",
        "parent_id",
        "title",
        "description",
        "status",
        "priority",
        "due_at",
        "completed_at",
        "position",
        "created_at",
        "updated_at",
        "deleted_at",
    ],
    tags: ["user_id", "id", "name", "color", "created_at", "updated_at"],
    task_tags: ["user_id", "task_id", "tag_id", "created_at"],
    notes: ["user_id", "id", "title", "body", "pinned", "created_at", "updated_at", "deleted_at"],
    note_tags: ["user_id", "note_id", "tag_id", "created_at"],
    habits: ["user_id", "id", "name", "frequency", "target_per_period", "archived_at", "created_at", "updated_at"],
    habit_checkins: ["user_id", "id", "habit_id", "checked_at", "value"],
} as const;

export type TableName = keyof typeof TABLES;
export type UserData = Record<TableName, Row[]>;

export interface SeedOptions {
    readonly seed: string;
    /** Mean tasks per user. */
    readonly tasksPerUser: number;
    /** Days of check-in history before asOf. */
    readonly checkinDays: number;
    /** The "today" the data is generated around (UTC midnight, ms). */
    readonly asOf: number;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const STATUS: ReadonlyArray<readonly [string, number]> = [
    ["todo", 45],
    ["in_progress", 10],
    ["blocked", 5],
    ["done", 35],
    ["cancelled", 5],
];
const PRIORITY: ReadonlyArray<readonly [number, number]> = [
    [1, 10],
    [2, 25],
    [3, 45],
    [4, 20],
];

export function emptyData(): UserData {
    return { users: [], tasks: [], tags: [], task_tags: [], notes: [], note_tags: [], habits: [], habit_checkins: [] };
}

/** What each part of one user's generation shares: the user's random stream, id, join time and the output. */
interface UserContext {
    readonly r: Random;
    readonly o: SeedOptions;
    readonly out: UserData;
    readonly userId: string;
    readonly joined: number;
    /** A time in [from, to), drawn from the user's stream. */
    readonly between: (from: number, to: number) => number;
}

/** The user's tags; returns a picker of 1 to 3 distinct ones for tasks and notes. */
function generateTags(c: UserContext): () => string[] {
    const { r, o, out, userId } = c;
    const tagIds: string[] = [];
    for (const name of r.shuffle(TAGS).slice(0, r.int(3, 10))) {
        const at = c.between(c.joined, o.asOf);
        const id = r.uuidv7(at);
        tagIds.push(id);
        out.tags.push([userId, id, name, r.chance(0.7) ? r.pick(COLORS) : null, iso(at), iso(at)]);
    }
    return () => {
        const n = Math.min(tagIds.length, r.int(1, 3));
        return [...new Set(Array.from({ length: n }, () => r.pick(tagIds)))];
    };
}

function generateTasks(c: UserContext, pickTags: () => string[]): void {
    const { r, o, out, userId } = c;
    const taskCount = r.exponential(o.tasksPerUser, o.tasksPerUser * 10);
    const live: string[] = [];
    for (let t = 0; t < taskCount; t++) {
        const created = c.between(c.joined, o.asOf);
        const id = r.uuidv7(created);
        const status = r.weighted(STATUS);
        const due = r.chance(0.65) ? o.asOf + r.int(-30 * 24, 60 * 24) * 3_600_000 : null;
        const completed = status === "done" ? iso(c.between(created, o.asOf)) : null;
        const parent = live.length > 3 && r.chance(0.15) ? r.pick(live) : null;
        const deleted = r.chance(0.03) ? iso(o.asOf - r.int(0, 60) * DAY) : null;
        const title = `${r.pick(VERBS)} ${r.pick(OBJECTS)}`;
        const description = r.chance(0.5) ? Array.from({ length: r.int(5, 40) }, () => r.pick(WORDS)).join(" ") : null;
        const priority = r.weighted(PRIORITY);
        const dueAt = due === null ? null : iso(due);
        const times = [iso(created), iso(created), deleted];
        out.tasks.push([userId, id, parent, title, description, status, priority, dueAt, completed, t, ...times]);
        if (deleted === null) live.push(id);
        if (r.chance(0.4)) for (const tag of pickTags()) out.task_tags.push([userId, id, tag, iso(created)]);
    }
}

function generateNotes(c: UserContext, pickTags: () => string[]): void {
    const { r, o, out, userId } = c;
    const noteCount = r.exponential(Math.max(1, o.tasksPerUser / 4), o.tasksPerUser * 3);
    for (let n = 0; n < noteCount; n++) {
        const created = c.between(c.joined, o.asOf);
        const id = r.uuidv7(created);
        const body = Array.from({ length: r.int(20, 200) }, () => r.pick(WORDS)).join(" ");
        const updated = c.between(created, o.asOf);
        const title = `${r.pick(WORDS)} ${r.pick(WORDS)}`;
        const pinned = r.chance(0.1);
        const deleted = r.chance(0.03) ? iso(updated) : null;
        out.notes.push([userId, id, title, body, pinned, iso(created), iso(updated), deleted]);
        if (r.chance(0.3)) for (const tag of pickTags()) out.note_tags.push([userId, id, tag, iso(created)]);
    }
}

function generateHabits(c: UserContext): void {
    const { r, o, out, userId } = c;
    for (const name of r.shuffle(HABITS).slice(0, r.int(0, 4))) {
        const created = c.between(c.joined, o.asOf - o.checkinDays * DAY);
        const id = r.uuidv7(created);
        const archived = r.chance(0.1);
        const archivedAt = archived ? iso(o.asOf - r.int(1, 30) * DAY) : null;
        out.habits.push([userId, id, name, "daily", 1, archivedAt, iso(created), iso(created)]);
        if (archived) continue;
        const adherence = 0.3 + r.next() * 0.6;
        for (let d = o.checkinDays; d >= 1; d--) {
            if (!r.chance(adherence)) continue;
            const at = o.asOf - d * DAY + r.int(6 * 3600, 22 * 3600) * 1000;
            out.habit_checkins.push([userId, r.uuidv7(at), id, iso(at), 1]);
        }
    }
}

/** Pure: appends user `index`'s rows to `out`. */
export function generateUser(index: number, o: SeedOptions, out: UserData): void {
    const r = new Random(`${o.seed}/user/${index}`);
    const joined = o.asOf - r.int(30, 730) * DAY + r.int(0, DAY - 1);
    const userId = r.uuidv7(joined);
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    out.users.push([
        userId,
        `${first}.${last}.${index}@example.test`.toLowerCase().replace(/[^a-z0-9.@-]/g, ""),
        `${first} ${last}`,
        r.pick(ZONES),
        iso(joined),
        iso(joined),
        null,
    ]);
    const between = (from: number, to: number) => from + Math.floor(r.next() * Math.max(1, to - from));
    const c: UserContext = { r, o, out, userId, joined, between };
    const pickTags = generateTags(c);
    generateTasks(c, pickTags);
    generateNotes(c, pickTags);
    generateHabits(c);
}

/** Pure: COPY text format for one row (tabs, newlines and backslashes escaped; NULL as \N). */
export function copyLine(row: Row): string {
    return `${row
        .map((v) => {
            if (v === null) return "\\N";
            if (typeof v === "boolean") return v ? "t" : "f";
            return String(v).replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
        })
        .join("\t")}\n`;
}
