/**
 * The fast load into an empty database, on several connections: one per group of tables, each in its own
 * transaction, so the server computes the tasks' and the notes' text-search vectors (most of a load's CPU) and
 * rebuilds their indexes on separate backends at once. Every stream drops its tables' secondary indexes, copies,
 * and rebuilds them; the streams commit together only when all have finished, and a failure before that rolls all
 * of them back, leaving the database empty as it was. (COPY FREEZE needs a table truncated in the same transaction,
 * which a table referenced by foreign keys cannot be alone, so these streams copy without it; VACUUM after the load
 * sets hint bits and the visibility map.) --replace never comes here: it needs the one-transaction path, which keeps
 * the old rows until the new ones commit.
 */
import { Client, type ClientConfig } from "pg";
import type { TableName } from "./generator";
import { dropSecondaryIndexes, type IndexDefinition, rebuildIndexes } from "./fastLoad";
import { type Counts, type StreamOptions, streamUsers } from "./stream";

/** Tables per connection: the two with text-search vectors apart, everything else together. */
export const STREAM_GROUPS: readonly (readonly TableName[])[] = [
    ["tasks"],
    ["notes", "note_tags"],
    ["users", "tags", "task_tags", "habits", "habit_checkins"],
];

interface Stream {
    readonly client: Client;
    readonly tables: readonly TableName[];
    dropped: IndexDefinition[];
}

async function openStream(connection: ClientConfig, tables: readonly TableName[]): Promise<Stream> {
    const client = new Client(connection);
    await client.connect();
    await client.query("BEGIN");
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("SET LOCAL statement_timeout = 0");
    // The load's connections wait on each other (the coordinator on the streams, a stream between its chunks).
    await client.query("SET LOCAL idle_in_transaction_session_timeout = 0");
    return { client, tables, dropped: await dropSecondaryIndexes(client, tables) };
}

/** Loads on one stream per STREAM_GROUPS entry; the caller holds partman's lock and checks foreign keys after. */
export async function loadParallel(
    connection: ClientConfig,
    o: Omit<StreamOptions, "command">,
): Promise<{ counts: Counts; phases: Record<string, number> }> {
    const streams: Stream[] = [];
    try {
        for (const tables of STREAM_GROUPS) streams.push(await openStream(connection, tables));
        const route = (t: TableName) => streams.find((s) => s.tables.includes(t))!.client;
        let t = Date.now();
        const counts = await streamUsers(route, {
            ...o,
            command: (table, columns) => `COPY app.${table} (${columns}) FROM STDIN`,
        });
        const copy = (Date.now() - t) / 1000;
        t = Date.now();
        await Promise.all(streams.map((s) => rebuildIndexes(s.client, s.dropped)));
        const indexes = (Date.now() - t) / 1000;
        for (const s of streams) await s.client.query("COMMIT");
        return { counts, phases: { copy: Number(copy.toFixed(1)), indexes: Number(indexes.toFixed(1)) } };
    } finally {
        for (const s of streams) {
            await s.client.query("ROLLBACK").catch(() => undefined); // a no-op after COMMIT
            await s.client.end().catch(() => undefined);
        }
    }
}
