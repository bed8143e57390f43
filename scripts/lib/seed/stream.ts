/**
 * Generated rows into COPY streams, a chunk of users at a time, with generation and loading overlapped: the next
 * chunk is generated in this process while the server still ingests the previous one (one connection processes one
 * COPY at a time, so the chunk's COPY commands are queued and awaited only before the chunk after). Shared by the
 * seeder's load paths and by the plain-COPY baseline it is measured against.
 */
import { once } from "events";
import type { Client } from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyLine, emptyData, generateUser, type Row, type SeedOptions, type TableName, TABLES } from "./generator";

export type Counts = Record<TableName, number>;

export const zeroCounts = (): Counts => Object.fromEntries(Object.keys(TABLES).map((t) => [t, 0])) as Counts;

/** Pure: one table's rows as COPY text, in pieces of about 64 kB. */
export function copyText(rows: readonly Row[]): string[] {
    const pieces: string[] = [];
    let buffer = "";
    for (const row of rows) {
        buffer += copyLine(row);
        if (buffer.length > 1 << 16) {
            pieces.push(buffer);
            buffer = "";
        }
    }
    if (buffer) pieces.push(buffer);
    return pieces;
}

/** Starts one COPY of `pieces` into `target`; resolves when the server has taken every row. */
async function copyPieces(client: Client, command: string, pieces: readonly string[]): Promise<void> {
    const stream = client.query(copyFrom(command));
    const done = once(stream, "finish");
    done.catch(() => undefined); // handled below; a failure while still writing must not be an unhandled rejection
    for (const piece of pieces) if (!stream.write(piece)) await once(stream, "drain");
    stream.end();
    await done;
}

export interface StreamOptions extends SeedOptions {
    readonly users: number;
    readonly chunkSize: number;
    /** COPY command for a table and its column list, e.g. `COPY app.tasks (a, b) FROM STDIN WITH (FREEZE)`. */
    readonly command: (table: TableName, columns: string) => string;
    readonly onProgress?: (done: number, total: number, rows: number) => void;
}

/** Yields to the event loop, so the COPY in flight keeps its socket full while the next chunk is generated. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Generates users 0..users-1 and COPYs each table's rows on the client `route` gives it; returns rows per table. */
export async function streamUsers(route: (table: TableName) => Client, o: StreamOptions): Promise<Counts> {
    const counts = zeroCounts();
    let rows = 0;
    let inFlight: Promise<void> = Promise.resolve();
    for (let start = 0; start < o.users; start += o.chunkSize) {
        const end = Math.min(o.users, start + o.chunkSize);
        const data = emptyData();
        for (let i = start; i < end; i++) {
            generateUser(i, o, data);
            if (i % 50 === 49) await yieldToIo();
        }
        const texts = (Object.keys(TABLES) as TableName[]).map((t) => [t, copyText(data[t])] as const);
        await inFlight; // the previous chunk is in the server before this one starts: memory stays two chunks
        o.onProgress?.(start, o.users, rows);
        // One COPY at a time per connection, table after table, while the loop above generates the next chunk.
        const byClient = new Map<Client, (readonly [TableName, string[]])[]>();
        for (const entry of texts) byClient.set(route(entry[0]), [...(byClient.get(route(entry[0])) ?? []), entry]);
        inFlight = Promise.all(
            [...byClient.entries()].map(async ([client, entries]) => {
                for (const [t, pieces] of entries)
                    if (pieces.length > 0) await copyPieces(client, o.command(t, TABLES[t].join(", ")), pieces);
            }),
        ).then(() => undefined);
        inFlight.catch(() => undefined); // awaited before the next chunk; meanwhile a failure must not crash the process
        for (const t of Object.keys(TABLES) as TableName[]) {
            counts[t] += data[t].length;
            rows += data[t].length;
        }
    }
    await inFlight;
    o.onProgress?.(o.users, o.users, rows);
    return counts;
}
