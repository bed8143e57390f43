/**
 * Loads generated data with COPY, all or nothing: a failure or Ctrl-C leaves the database as it was, --replace
 * included. Runs as a superuser with session_replication_role = replica, so per-row triggers (foreign-key checks,
 * audit) do not fire during the bulk load; the generator's rows are consistent by construction, and a foreign-key
 * check query runs before the load commits.
 *
 * Three paths (loadPath), the same rows (a test compares checksums):
 * - `parallel` (the default into an empty database): parallel.ts, one connection per group of tables, secondary
 *   indexes dropped and rebuilt per stream; a failure empties the tables again.
 * - `single` (--replace, or streams: 1): ONE transaction that truncates the tables, drops their secondary indexes,
 *   copies WITH (FREEZE) (no later pass to set hint bits or freeze; the visibility map is set, so index-only scans
 *   work at once) and rebuilds the indexes with parallel workers (fastLoad.ts). The old rows stay until it commits.
 * - `indexed`: rows copied into the tables as they are, every index maintained row by row. The reference.
 */
import { Client, type ClientConfig } from "pg";
import { emptyData, generateUser, type SeedOptions, type TableName, TABLES } from "./generator";
import { dropSecondaryIndexes, rebuildIndexes } from "./fastLoad";
import { loadParallel, STREAM_GROUPS } from "./parallel";
import { type Counts, streamUsers, zeroCounts } from "./stream";

export type { Counts } from "./stream";

export interface LoadOptions extends SeedOptions {
    readonly users: number;
    /** Users per chunk (memory vs round trips). Default 2000. */
    readonly chunkSize?: number;
    /** TRUNCATE the app tables first (inside the same transaction). */
    readonly replace?: boolean;
    /** Default `fast`. */
    readonly method?: "fast" | "indexed";
    /** Connections for a fast load into an empty database (default: one per STREAM_GROUPS entry); 1 = one transaction. */
    readonly streams?: number;
    readonly onProgress?: (done: number, total: number, rows: number) => void;
}

export interface LoadResult {
    readonly counts: Counts;
    readonly seconds: number;
    /** Seconds per phase: copy, indexes (fast only), checks. */
    readonly phases: Readonly<Record<string, number>>;
    readonly path: "indexed" | "single" | "parallel";
}

/** Pure: the row counts a run will produce, without a database (the generator run dry). */
export function expectedCounts(o: SeedOptions & { users: number }): Counts {
    const counts = zeroCounts();
    for (let i = 0; i < o.users; i++) {
        const data = emptyData();
        generateUser(i, o, data);
        for (const t of Object.keys(TABLES) as TableName[]) counts[t] += data[t].length;
    }
    return counts;
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

const APP_TABLES = Object.keys(TABLES)
    .map((t) => `app.${t}`)
    .join(", ");

/** Opens the load's transaction: superuser check, target checked empty, replica mode, partman held. */
async function begin(client: Client, o: LoadOptions): Promise<void> {
    const [{ superuser }] = (
        await client.query("SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user")
    ).rows;
    if (!superuser)
        throw new Error(
            "seeding needs a superuser connection (the admin URL): it loads many users' rows past row-level security",
        );
    // Before BEGIN: a lock kept on app.users until the end would block the parallel streams' index drops.
    if (!o.replace && (await client.query("SELECT EXISTS (SELECT 1 FROM app.users) AS any")).rows[0].any)
        throw new Error("the database already has users; pass --replace to truncate the app tables first");
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("SET LOCAL statement_timeout = 0");
    // The load's connections wait on each other (the coordinator on the streams, a stream between its chunks).
    await client.query("SET LOCAL idle_in_transaction_session_timeout = 0");
    // pg_partman's hourly maintenance (pg_cron, minute 7) creates partitions of tables this transaction is loading;
    // interleaved with a load of many minutes, the two deadlocked (seen at 10M tasks). Holding partman's config
    // table makes maintenance wait at its first read, before it locks any partition, until this load commits.
    if ((await client.query("SELECT to_regclass('partman.part_config') IS NOT NULL AS present")).rows[0].present) {
        await client.query("LOCK TABLE partman.part_config IN ACCESS EXCLUSIVE MODE");
    }
}

async function checkForeignKeys(client: Client): Promise<void> {
    for (const [name, sql] of Object.entries(FK_CHECKS)) {
        const broken = Number((await client.query(sql)).rows[0].count);
        if (broken > 0) throw new Error(`seed data breaks ${name}: ${broken} rows (generator bug); rolled back`);
    }
}

/** Pure: which way a load goes. Parallel streams only into an empty target: --replace stays one transaction. */
export function loadPath(o: Pick<LoadOptions, "method" | "replace" | "streams">): "indexed" | "single" | "parallel" {
    if (o.method === "indexed") return "indexed";
    return !o.replace && (o.streams ?? STREAM_GROUPS.length) > 1 ? "parallel" : "single";
}

/** The one-transaction load (indexed, or fast: truncated, indexes dropped, COPY FREEZE, indexes rebuilt). */
async function loadSingle(client: Client, o: LoadOptions, fast: boolean) {
    // COPY FREEZE needs a table truncated in its own transaction; an empty target is truncated too.
    if (o.replace || fast) await client.query(`TRUNCATE ${APP_TABLES}`);
    let t = Date.now();
    const dropped = fast ? await dropSecondaryIndexes(client) : [];
    const counts = await streamUsers(() => client, {
        ...o,
        chunkSize: o.chunkSize ?? 2000,
        // Partitioned tables take no FREEZE (PostgreSQL 15); their partitions keep their indexes.
        command: (table, columns) =>
            `COPY app.${table} (${columns}) FROM STDIN${fast && table !== "habit_checkins" ? " WITH (FREEZE)" : ""}`,
    });
    const phases: Record<string, number> = { copy: Number(((Date.now() - t) / 1000).toFixed(1)) };
    t = Date.now();
    if (fast) {
        await rebuildIndexes(client, dropped);
        phases.indexes = Number(((Date.now() - t) / 1000).toFixed(1));
    }
    return { counts, phases };
}

export async function loadSeed(connection: ClientConfig, o: LoadOptions): Promise<LoadResult> {
    const started = Date.now();
    const path = loadPath(o);
    const client = new Client(connection);
    await client.connect();
    let loading = false; // set once the target is known empty and the load's transaction is open
    try {
        await begin(client, o);
        loading = true;
        const { counts, phases } =
            path === "parallel"
                ? await loadParallel(connection, { ...o, chunkSize: o.chunkSize ?? 2000 })
                : await loadSingle(client, o, path === "single");
        const t = Date.now();
        await checkForeignKeys(client);
        phases.checks = Number(((Date.now() - t) / 1000).toFixed(1));
        await client.query("COMMIT");
        return { counts, seconds: (Date.now() - started) / 1000, phases, path };
    } catch (error) {
        // The parallel streams may have committed: the target was empty when the load began, so emptying it
        // restores it. Never before that: a refused load (users already there) must not touch the data.
        const undo = loading && path === "parallel";
        if (undo) await client.query(`TRUNCATE ${APP_TABLES}`).catch(() => undefined);
        await client.query(undo ? "COMMIT" : "ROLLBACK").catch(() => undefined);
        throw error;
    } finally {
        await client.end();
    }
}
