/**
 * The yardstick for the seeder: a plain COPY of the same rows, generated and streamed the same way (stream.ts), into
 * tables with the same column types and nothing else (no index, constraint, generated column or trigger). It runs in
 * a transaction that is rolled back, so it leaves nothing behind. seed rows/s divided by this rate is the seeder's
 * "fraction of plain COPY".
 */
import { Client, type ClientConfig } from "pg";
import { type SeedOptions, TABLES } from "./generator";
import { streamUsers } from "./stream";

export interface BaselineResult {
    readonly rows: number;
    readonly seconds: number;
    readonly rowsPerSecond: number;
}

export async function plainCopyBaseline(
    connection: ClientConfig,
    o: SeedOptions & { users: number; chunkSize?: number },
): Promise<BaselineResult> {
    const client = new Client(connection);
    await client.connect();
    try {
        await client.query("BEGIN");
        await client.query("SET LOCAL statement_timeout = 0");
        await client.query("CREATE SCHEMA seed_baseline");
        for (const [table, columns] of Object.entries(TABLES))
            await client.query(
                `CREATE TABLE seed_baseline.${table} AS SELECT ${columns.join(", ")} FROM app.${table} WITH NO DATA`,
            );
        const started = Date.now();
        const counts = await streamUsers(() => client, {
            ...o,
            chunkSize: o.chunkSize ?? 2000,
            command: (table, columns) => `COPY seed_baseline.${table} (${columns}) FROM STDIN`,
        });
        const seconds = (Date.now() - started) / 1000;
        const rows = Object.values(counts).reduce((a, b) => a + b, 0);
        return { rows, seconds: Number(seconds.toFixed(1)), rowsPerSecond: Math.round(rows / seconds) };
    } finally {
        await client.query("ROLLBACK").catch(() => undefined);
        await client.end();
    }
}
