/**
 * Is a restored database the database it should be? The same checks serve the local PITR drill and the AWS restore
 * testing Lambda (which ships this file), so the drill proves the Lambda's logic on a real server:
 * - schema fingerprint: a hash of every table, column, constraint, index, function and policy in app and audit;
 * - sanity counts per table, against the source's counts (or a floor);
 * - the latest committed change (max of created/updated/deleted/occurred times) against the restore point: never
 *   after it, and not too far before it (the data loss the restore would mean).
 * Depends only on a pg-compatible client, so it runs in Lambda with node-postgres and nothing else.
 */
import { createHash } from "crypto";

/** The subset of node-postgres' Client this module uses. */
export interface Queryable {
    query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

export interface Fingerprint {
    readonly schemaHash: string;
    /** Rows per app and audit table (partitions folded into their parent). */
    readonly counts: Readonly<Record<string, number>>;
    /** Newest change found in the data, ISO 8601, or null for an empty database. */
    readonly latestChange: string | null;
    /** Applied migration versions, newest last. */
    readonly migrations: readonly string[];
}

const SCHEMA_SQL = `
SELECT 'column' AS kind, c.table_schema || '.' || c.table_name || '.' || c.column_name || ':' || c.data_type || ':' || c.is_nullable || ':' || coalesce(c.column_default, '') AS item
  FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = c.table_schema::regnamespace
 WHERE c.table_schema IN ('app', 'audit') AND NOT k.relispartition
UNION ALL
SELECT 'constraint', n.nspname || '.' || t.relname || '.' || k.conname || ':' || pg_get_constraintdef(k.oid)
  FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname IN ('app', 'audit') AND NOT t.relispartition
UNION ALL
SELECT 'index', schemaname || '.' || indexname || ':' || indexdef
  FROM pg_indexes i JOIN pg_class t ON t.relname = i.tablename AND t.relnamespace = i.schemaname::regnamespace
 WHERE schemaname IN ('app', 'audit') AND NOT t.relispartition
UNION ALL
SELECT 'function', p.oid::regprocedure::text || ':' || md5(p.prosrc)
  FROM pg_proc p WHERE p.pronamespace IN ('app'::regnamespace, 'audit'::regnamespace)
UNION ALL
SELECT 'policy', schemaname || '.' || tablename || '.' || policyname || ':' || coalesce(qual, '') || ':' || coalesce(with_check, '')
  FROM pg_policies WHERE schemaname IN ('app', 'audit')`;

const TABLES_SQL = `
SELECT n.nspname || '.' || c.relname AS name,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'occurred_at') AS occurred,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'created_at') AS created,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'updated_at') AS updated,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'checked_at') AS checked
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('app', 'audit') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
 ORDER BY 1`;

/** Reads a database's fingerprint. Needs SELECT on app and audit (a superuser, the owner, or the RDS master). */
export async function fingerprint(db: Queryable): Promise<Fingerprint> {
    const items = (await db.query(SCHEMA_SQL)).rows.map((r) => `${r.kind}|${r.item}`).sort();
    const schemaHash = createHash("sha256").update(items.join("\n")).digest("hex");
    const counts: Record<string, number> = {};
    let latest: number | null = null;
    for (const t of (await db.query(TABLES_SQL)).rows) {
        const times = [
            t.occurred && "occurred_at",
            t.created && "created_at",
            t.updated && "updated_at",
            t.checked && "checked_at",
        ].filter(Boolean) as string[];
        const newest =
            times.length > 0
                ? `, greatest(${times.map((c) => `max(${c})`).join(", ")}) AS newest`
                : ", NULL::timestamptz AS newest";
        const [row] = (await db.query(`SELECT count(*)::bigint AS n${newest} FROM ${t.name}`)).rows;
        counts[String(t.name)] = Number(row.n);
        if (row.newest) latest = Math.max(latest ?? 0, new Date(row.newest as string).getTime());
    }
    const versions = await db
        .query("SELECT version FROM public.schema_migrations ORDER BY version")
        .catch(() => ({ rows: [] as Array<Record<string, unknown>> }));
    return {
        schemaHash,
        counts,
        latestChange: latest === null ? null : new Date(latest).toISOString(),
        migrations: versions.rows.map((r) => String(r.version)),
    };
}

export interface Expectation {
    /** The source's fingerprint at (or near) the restore point, when available. */
    readonly source?: Fingerprint;
    /** Tables that must have rows (a restore of an empty database is not a restore). */
    readonly nonEmpty?: readonly string[];
    /** The point in time the restore targets. */
    readonly restorePoint: Date;
    /** How long before the restore point the newest change may be (the data loss accepted). */
    readonly maxLagSeconds: number;
    /** Exact counts required (the drill knows them); otherwise counts may be at most the source's. */
    readonly exactCounts?: boolean;
}

export interface Verdict {
    readonly ok: boolean;
    readonly problems: readonly string[];
}

/** Pure: compares a restored fingerprint with what it should be; every problem is named. */
export function judge(restored: Fingerprint, e: Expectation): Verdict {
    const problems: string[] = [];
    if (e.source) {
        if (restored.schemaHash !== e.source.schemaHash) {
            const sameVersion = JSON.stringify(restored.migrations) === JSON.stringify(e.source.migrations);
            problems.push(
                `schema fingerprint ${restored.schemaHash.slice(0, 12)} differs from the source's ${e.source.schemaHash.slice(0, 12)}${sameVersion ? " at the same migration version" : " (migration versions differ too)"}`,
            );
        }
        for (const [table, n] of Object.entries(e.source.counts)) {
            const got = restored.counts[table];
            if (got === undefined) problems.push(`table ${table} is missing`);
            else if (e.exactCounts && got !== n) problems.push(`${table}: ${got} rows, expected ${n}`);
            else if (!e.exactCounts && got > n) problems.push(`${table}: ${got} rows, more than the source's ${n}`);
        }
    }
    for (const table of e.nonEmpty ?? []) if (!restored.counts[table]) problems.push(`${table} is empty`);
    if (restored.latestChange === null) problems.push("no data at all");
    else {
        const latest = new Date(restored.latestChange).getTime();
        const point = e.restorePoint.getTime();
        if (latest > point + 1000)
            problems.push(
                `newest change ${restored.latestChange} is after the restore point ${e.restorePoint.toISOString()}`,
            );
        if (point - latest > e.maxLagSeconds * 1000)
            problems.push(
                `newest change ${restored.latestChange} is ${Math.round((point - latest) / 1000)} s before the restore point (more than ${e.maxLagSeconds} s)`,
            );
    }
    return { ok: problems.length === 0, problems };
}
