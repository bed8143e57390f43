/**
 * How well a table keeps each tenant's rows together: for sampled users, the heap pages their rows occupy divided by
 * the fewest pages that many rows could fill. 1.0 is every user's rows packed together; a table written in arrival
 * order, where each row of a user lands on a different page, approaches rows-per-page (about 20 for tasks).
 */
import type { Client } from "pg";

export interface Locality {
    /** Median over sampled users of pages used / fewest pages possible. */
    readonly spread: number;
    /** Median heap pages one user's rows occupy. */
    readonly pagesPerUser: number;
    /** Rows per heap page, from the table's statistics. */
    readonly rowsPerPage: number;
    readonly sampledUsers: number;
}

const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)];
};

/** Pure: the spread of one user: pages used over the fewest possible (at least 1). */
export function spread(rows: number, pages: number, rowsPerPage: number): number {
    return pages / Math.max(1, Math.ceil(rows / Math.max(1, rowsPerPage)));
}

/** Samples up to `users` users (a fixed pseudo-random choice) with at least `minRows` rows in `table` (keyed by user_id). */
export async function measureLocality(client: Client, table: string, users = 200, minRows = 20): Promise<Locality> {
    const [stats] = (
        await client.query(
            "SELECT reltuples::float8 / greatest(relpages, 1) AS rpp FROM pg_class WHERE oid = $1::regclass",
            [table],
        )
    ).rows;
    const rowsPerPage = Number(stats.rpp);
    const { rows } = await client.query(
        `WITH sample AS (SELECT id AS user_id FROM app.users ORDER BY md5(id::text) LIMIT $1)
         SELECT t.user_id, count(*)::int AS n, count(DISTINCT (t.ctid::text::point)[0])::int AS pages
           FROM ${table} t JOIN sample s USING (user_id) GROUP BY t.user_id HAVING count(*) >= $2`,
        [users, minRows],
    );
    return {
        spread: Number(median(rows.map((r) => spread(r.n, r.pages, rowsPerPage))).toFixed(2)),
        pagesPerUser: median(rows.map((r) => r.pages)),
        rowsPerPage: Number(rowsPerPage.toFixed(1)),
        sampledUsers: rows.length,
    };
}
