/** A checksum of the seeded data, table by table: equal checksums mean equal rows, whatever their physical order. */
import type { Client } from "pg";
import { TABLES } from "./generator";

/** Pure: the SQL of one table's checksum (each row's text form hashed, the hashes sorted and hashed again). */
export function tableChecksumSql(table: string): string {
    return `SELECT count(*)::bigint AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS sum FROM (SELECT md5(t::text) AS h FROM app.${table} t) s`;
}

/** Every app table's row count and checksum, generated columns (the search vectors) included. */
export async function dataChecksum(client: Client): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of Object.keys(TABLES)) {
        const [row] = (await client.query(tableChecksumSql(table))).rows;
        out[table] = `${row.rows}:${row.sum}`;
    }
    return out;
}
