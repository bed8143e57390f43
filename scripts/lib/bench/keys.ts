/**
 * The primary-key decision, measured: bigint identity vs UUIDv4 vs UUIDv7 (app.uuid_generate_v7). Each variant gets
 * the same table shape and the same rows, inserted in application-sized batches after a CHECKPOINT, on a throwaway
 * cluster with the stack's settings. Reported: insert rate, primary-key index size and fill, table size, WAL volume.
 */
import { Client } from "pg";
import { dbmate } from "../local/migrations";
import { databaseWithRoles } from "../local/throwaway";

export interface KeyResult {
    readonly variant: string;
    readonly rows: number;
    readonly seconds: number;
    readonly rowsPerSecond: number;
    readonly indexBytes: number;
    readonly tableBytes: number;
    readonly walBytes: number;
    /** Leaf-page fill from pgstattuple-free arithmetic: key bytes needed / index bytes. */
    readonly indexBytesPerRow: number;
}

const VARIANTS: Record<string, string> = {
    "bigint identity": "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    "uuid v4 (gen_random_uuid)": "id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY",
    "uuid v7 (app.uuid_generate_v7)": "id uuid NOT NULL DEFAULT app.uuid_generate_v7() PRIMARY KEY",
};

const SETTINGS_QUERY =
    "SELECT name, current_setting(name) AS v FROM unnest(ARRAY['shared_buffers','max_wal_size','checkpoint_timeout','full_page_writes']) name";

/** Creates the variant's table, inserts `rows` in batches after a CHECKPOINT, and measures rate, sizes and WAL. */
async function measureVariant(
    client: Client,
    [variant, column]: [string, string],
    rows: number,
    batch: number,
    progress: (line: string) => void,
): Promise<KeyResult> {
    await client.query("DROP TABLE IF EXISTS public.key_bench");
    await client.query(
        `CREATE TABLE public.key_bench (${column}, user_id uuid NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)`,
    );
    await client.query("CHECKPOINT");
    const [{ lsn: startLsn }] = (await client.query("SELECT pg_current_wal_insert_lsn() AS lsn")).rows;
    const started = process.hrtime.bigint();
    for (let done = 0; done < rows; done += batch) {
        const n = Math.min(batch, rows - done);
        await client.query(
            `INSERT INTO public.key_bench (user_id, payload) SELECT gen_random_uuid(), repeat('x', 60) FROM generate_series(1, ${n})`,
        );
        if ((done / batch) % 50 === 0)
            progress(`keys: ${variant}: ${(done + n).toLocaleString("en")}/${rows.toLocaleString("en")} rows`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const [m] = (
        await client.query(
            `SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1)::bigint AS wal,
                    pg_relation_size('public.key_bench_pkey') AS idx, pg_relation_size('public.key_bench') AS tbl`,
            [startLsn],
        )
    ).rows;
    progress(
        `keys: ${variant}: ${Math.round(rows / seconds).toLocaleString("en")} rows/s, index ${(Number(m.idx) / 2 ** 20).toFixed(0)} MiB, WAL ${(Number(m.wal) / 2 ** 20).toFixed(0)} MiB`,
    );
    return {
        variant,
        rows,
        seconds: Number(seconds.toFixed(2)),
        rowsPerSecond: Math.round(rows / seconds),
        indexBytes: Number(m.idx),
        tableBytes: Number(m.tbl),
        walBytes: Number(m.wal),
        indexBytesPerRow: Number((Number(m.idx) / rows).toFixed(1)),
    };
}

export async function benchKeys(
    rows: number,
    batch: number,
    progress: (line: string) => void,
): Promise<{ results: KeyResult[]; settings: Record<string, string> }> {
    const db = await databaseWithRoles();
    try {
        await dbmate(db.url("migrator"), "migrate"); // for app.uuid_generate_v7
        const client = new Client(db.cluster.connection());
        await client.connect();
        try {
            await client.query("SET statement_timeout = 0");
            const settings = Object.fromEntries((await client.query(SETTINGS_QUERY)).rows.map((r) => [r.name, r.v]));
            const results: KeyResult[] = [];
            for (const variant of Object.entries(VARIANTS))
                results.push(await measureVariant(client, variant, rows, batch, progress));
            await client.query("DROP TABLE IF EXISTS public.key_bench");
            return { results, settings };
        } finally {
            await client.end();
        }
    } finally {
        await db.cluster.destroy();
    }
}

/** Pure: the Markdown table for a keys run. */
export function keysMarkdown(
    results: readonly KeyResult[],
    meta: { rows: number; batch: number; machine: string; date: string },
): string {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    const base = results[0];
    return [
        `# Primary keys: bigint identity vs UUIDv4 vs UUIDv7`,
        "",
        `${meta.rows.toLocaleString("en")} rows inserted in batches of ${meta.batch.toLocaleString("en")} after a CHECKPOINT, on ${meta.machine}, ${meta.date}.`,
        "Generated by `npm run bench -- keys`.",
        "",
        "| key | rows/s | PK index | bytes/row in PK | table | WAL | WAL vs bigint |",
        "|---|---|---|---|---|---|---|",
        ...results.map(
            (r) =>
                `| ${r.variant} | ${r.rowsPerSecond.toLocaleString("en")} | ${mib(r.indexBytes)} | ${r.indexBytesPerRow} | ${mib(r.tableBytes)} | ${mib(r.walBytes)} | ${(r.walBytes / base.walBytes).toFixed(2)}x |`,
        ),
        "",
    ].join("\n");
}
