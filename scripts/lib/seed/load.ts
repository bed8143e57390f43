/**
 * Loads generated data with COPY, a chunk of users at a time, in ONE transaction: a failure or Ctrl-C leaves the
 * database as it was. Runs as a superuser with session_replication_role = replica, so per-row triggers (foreign-key
 * checks, audit) do not fire during the bulk load; the generator's rows are consistent by construction, and a
 * foreign-key check query runs before COMMIT to prove it.
 */
import { once } from "events";
import { Client, type ClientConfig } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyLine, emptyData, generateUser, type Row, type SeedOptions, type TableName, TABLES } from "./generator";

export interface LoadOptions extends SeedOptions {
    readonly users: number;
    /** Users per chunk (memory vs round trips). Default 2000. */
    readonly chunkSize?: number;
    /** TRUNCATE the app tables first (inside the same transaction). */
    readonly replace?: boolean;
    readonly onProgress?: (done: number, total: number, rows: number) => void;
}

export type Counts = Record<TableName, number>;

/** Pure: the row counts a run will produce, without a database (the generator run dry). */
export function expectedCounts(o: SeedOptions & { users: number }): Counts {
    const counts = Object.fromEntries(Object.keys(TABLES).map((t) => [t, 0])) as Counts;
    for (let i = 0; i < o.users; i++) {
        const data = emptyData();
        generateUser(i, o, data);
        for (const t of Object.keys(TABLES) as TableName[]) counts[t] += data[t].length;
    }
    return counts;
}

async function copyRows(client: Client, table: TableName, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const stream = client.query(copyFrom(`COPY app.${table} (${TABLES[table].join(", ")}) FROM STDIN`));
    let buffer = "";
    for (const row of rows) {
        buffer += copyLine(row);
        if (buffer.length > 1 << 16) {
            if (!stream.write(buffer)) await once(stream, "drain");
            buffer = "";
        }
    }
    stream.end(buffer);
    await once(stream, "finish");
}

/** The FK relationships the replica-mode load skipped, checked once in bulk before COMMIT. */
const FK_CHECKS: Record<string, string> = {
    "tasks.user_id":
        "SELECT count(*) FROM app.tasks t WHERE NOT EXISTS (SELECT 1 FROM app.users u WHERE u.id = t.user_id)",
    "tasks.parent":
        "SELECT count(*) FROM app.tasks t WHERE t.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM app.tasks p WHERE p.user_id = t.user_id AND p.id = t.parent_id)",
    task_tags:
        "SELECT count(*) FROM app.task_tags x WHERE NOT EXISTS (SELECT 1 FROM app.tasks t WHERE (t.user_id, t.id) = (x.user_id, x.task_id)) OR NOT EXISTS (SELECT 1 FROM app.tags g WHERE (g.user_id, g.id) = (x.user_id, x.tag_id))",
    note_tags:
        "SELECT count(*) FROM app.note_tags x WHERE NOT EXISTS (SELECT 1 FROM app.notes n WHERE (n.user_id, n.id) = (x.user_id, x.note_id)) OR NOT EXISTS (SELECT 1 FROM app.tags g WHERE (g.user_id, g.id) = (x.user_id, x.tag_id))",
    habit_checkins:
        "SELECT count(*) FROM app.habit_checkins c WHERE NOT EXISTS (SELECT 1 FROM app.habits h WHERE (h.user_id, h.id) = (c.user_id, c.habit_id))",
};

export async function loadSeed(connection: ClientConfig, o: LoadOptions): Promise<{ counts: Counts; seconds: number }> {
    const started = Date.now();
    const chunkSize = o.chunkSize ?? 2000;
    const counts = Object.fromEntries(Object.keys(TABLES).map((t) => [t, 0])) as Counts;
    const client = new Client(connection);
    await client.connect();
    try {
        const [{ superuser }] = (
            await client.query("SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user")
        ).rows;
        if (!superuser)
            throw new Error(
                "seeding needs a superuser connection (the admin URL): it loads many users' rows past row-level security",
            );
        await client.query("BEGIN");
        await client.query("SET LOCAL session_replication_role = replica");
        await client.query("SET LOCAL statement_timeout = 0");
        // pg_partman's hourly maintenance (pg_cron, minute 7) creates partitions of tables this transaction is loading;
        // interleaved with a load of many minutes, the two deadlocked (seen at 10M tasks). Holding partman's config
        // table makes maintenance wait at its first read, before it locks any partition, until this load commits.
        if ((await client.query("SELECT to_regclass('partman.part_config') IS NOT NULL AS present")).rows[0].present) {
            await client.query("LOCK TABLE partman.part_config IN ACCESS EXCLUSIVE MODE");
        }
        if (o.replace)
            await client.query(
                `TRUNCATE ${Object.keys(TABLES)
                    .map((t) => `app.${t}`)
                    .join(", ")}`,
            );
        else if ((await client.query("SELECT EXISTS (SELECT 1 FROM app.users) AS any")).rows[0].any) {
            throw new Error("the database already has users; pass --replace to truncate the app tables first");
        }
        let rows = 0;
        for (let start = 0; start < o.users; start += chunkSize) {
            const data = emptyData();
            for (let i = start; i < Math.min(o.users, start + chunkSize); i++) generateUser(i, o, data);
            for (const table of Object.keys(TABLES) as TableName[]) {
                await copyRows(client, table, data[table]);
                counts[table] += data[table].length;
                rows += data[table].length;
            }
            o.onProgress?.(Math.min(o.users, start + chunkSize), o.users, rows);
        }
        for (const [name, sql] of Object.entries(FK_CHECKS)) {
            const broken = Number((await client.query(sql)).rows[0].count);
            if (broken > 0) throw new Error(`seed data breaks ${name}: ${broken} rows (generator bug); rolled back`);
        }
        await client.query("COMMIT");
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    } finally {
        await client.end();
    }
    return { counts, seconds: (Date.now() - started) / 1000 };
}
