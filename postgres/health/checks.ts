/**
 * Database health checks: what `npm run health` prints, and what the scheduled check in prod publishes as CloudWatch
 * metrics (the things CloudWatch cannot see from outside: transaction age, vacuum, archiving, partitions).
 * Runs as the monitor role (pg_monitor). Each check names its threshold; a failed check fails the command.
 */
import type { Queryable } from "./restoreValidation";

export type Status = "ok" | "warn" | "fail";

export interface CheckResult {
    readonly check: string;
    readonly status: Status;
    /** The measured value, as text. */
    readonly value: string;
    /** The threshold it was judged against, as text. */
    readonly threshold: string;
    readonly detail?: string;
    /** Numeric value for metrics, when the check has one. */
    readonly metric?: { readonly name: string; readonly value: number };
}

export interface HealthThresholds {
    /** Fraction of the connection budget in use that fails. Default 0.9 (warn at 0.8). */
    readonly connectionsFail: number;
    /** Seconds a transaction may stay open. Default 600. */
    readonly longestTransactionSeconds: number;
    /** Seconds a session may sit idle in a transaction. Default 30. */
    readonly idleInTransactionSeconds: number;
    /** Seconds a lock wait may last. Default 5. */
    readonly blockedLockSeconds: number;
    /** Transaction ID age that fails. Default 1,000,000,000 (warn at half). */
    readonly xidAge: number;
    /** Dead-tuple ratio on hot tables that fails. Default 0.2. */
    readonly deadTupleRatio: number;
    /** Future monthly partitions that must exist. Default 2. */
    readonly partitionsAhead: number;
    /** Connection budget (max_connections minus reserved and headroom); default read from the server. */
    readonly connectionBudget?: number;
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
    connectionsFail: 0.9,
    longestTransactionSeconds: 600,
    idleInTransactionSeconds: 30,
    blockedLockSeconds: 5,
    xidAge: 1_000_000_000,
    deadTupleRatio: 0.2,
    partitionsAhead: 2,
};

/** Tables whose dead-tuple ratio matters most (frequent updates). */
export const HOT_TABLES = ["app.tasks", "app.notes", "app.habits", "app.tags"];

export interface HealthReport {
    readonly checks: readonly CheckResult[];
    readonly topStatements: ReadonlyArray<{
        readonly query: string;
        readonly calls: number;
        readonly meanMs: number;
        readonly totalMs: number;
    }>;
    readonly ok: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;
const row = async (db: Queryable, sql: string, params: unknown[] = []): Promise<Row> =>
    (await db.query(sql, params)).rows[0] ?? {};
const rows = async (db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> =>
    (await db.query(sql, params)).rows;

/** Runs every check. `tls` is what the client verified (the server only knows whether TLS is on). */
export async function runHealth(
    db: Queryable,
    tls: { verified: boolean; mode: string },
    overrides: Partial<HealthThresholds> = {},
): Promise<HealthReport> {
    const t = { ...DEFAULT_THRESHOLDS, ...overrides };
    const out: CheckResult[] = [];
    const push = (r: CheckResult) => out.push(r);

    const ssl = await row(db, "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    push({
        check: "ssl",
        status: ssl.ssl && tls.verified ? "ok" : "fail",
        value: ssl.ssl ? `${ssl.version}, sslmode=${tls.mode}` : "no TLS",
        threshold: "TLS with the server certificate verified (verify-full)",
    });

    const conn = await row(
        db,
        `SELECT count(*) FILTER (WHERE backend_type = 'client backend')::int AS used,
        current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved FROM pg_stat_activity`,
    );
    const budget = t.connectionBudget ?? conn.max - conn.reserved - 10;
    const share = conn.used / budget;
    push({
        check: "connections",
        status: share >= t.connectionsFail ? "fail" : share >= 0.8 ? "warn" : "ok",
        value: `${conn.used} of ${budget} (${Math.round(share * 100)}%)`,
        threshold: `fail at ${Math.round(t.connectionsFail * 100)}% of the budget (max_connections ${conn.max} - reserved - headroom)`,
        metric: { name: "ConnectionsUsedRatio", value: share },
    });

    const tx = await row(
        db,
        `SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)::float AS longest,
        count(*) FILTER (WHERE state LIKE 'idle in transaction%' AND clock_timestamp() - state_change > make_interval(secs => $1))::int AS idle,
        (SELECT pid FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1) AS pid
        FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [t.idleInTransactionSeconds],
    );
    push({
        check: "longest transaction",
        status: tx.longest > t.longestTransactionSeconds ? "fail" : "ok",
        value: `${Math.round(tx.longest)} s`,
        threshold: `${t.longestTransactionSeconds} s`,
        detail: tx.pid ? `oldest: pid ${tx.pid}` : undefined,
        metric: { name: "LongestTransactionSeconds", value: Number(tx.longest) },
    });
    push({
        check: "idle in transaction",
        status: tx.idle > 0 ? "fail" : "ok",
        value: `${tx.idle} session(s)`,
        threshold: `none idle in a transaction longer than ${t.idleInTransactionSeconds} s`,
        metric: { name: "IdleInTransactionSessions", value: tx.idle },
    });

    const blocked = await row(
        db,
        `SELECT count(*)::int AS n, string_agg(pid || ' waits for ' || array_to_string(pg_blocking_pids(pid), ','), '; ') AS who
        FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0 AND wait_event_type = 'Lock'
          AND clock_timestamp() - coalesce(query_start, state_change) > make_interval(secs => $1)`,
        [t.blockedLockSeconds],
    );
    push({
        check: "blocked locks",
        status: blocked.n > 0 ? "fail" : "ok",
        value: `${blocked.n} waiting`,
        threshold: `no lock wait over ${t.blockedLockSeconds} s`,
        detail: blocked.who ?? undefined,
        metric: { name: "BlockedLocks", value: blocked.n },
    });

    const xid = await rows(
        db,
        "SELECT datname, age(datfrozenxid)::bigint AS age FROM pg_database WHERE datallowconn ORDER BY 2 DESC",
    );
    const maxAge = Number(xid[0]?.age ?? 0);
    push({
        check: "transaction ID age",
        status: maxAge > t.xidAge ? "fail" : maxAge > t.xidAge / 2 ? "warn" : "ok",
        value: xid.map((x) => `${x.datname} ${Number(x.age).toLocaleString("en")}`).join(", "),
        threshold: `${t.xidAge.toLocaleString("en")} (wraparound at 2,147,483,647)`,
        metric: { name: "MaxTransactionIdAge", value: maxAge },
    });

    const dead = await rows(
        db,
        `SELECT schemaname || '.' || relname AS t, n_live_tup::bigint AS live, n_dead_tup::bigint AS dead,
        CASE WHEN n_live_tup + n_dead_tup > 0 THEN n_dead_tup::float / (n_live_tup + n_dead_tup) ELSE 0 END AS ratio
        FROM pg_stat_user_tables WHERE schemaname || '.' || relname = ANY($1)`,
        [HOT_TABLES],
    );
    const worst = dead.filter((d) => Number(d.live) + Number(d.dead) >= 1000).sort((a, b) => b.ratio - a.ratio)[0];
    push({
        check: "dead tuples (hot tables)",
        status: worst && worst.ratio > t.deadTupleRatio ? "fail" : "ok",
        value: worst ? `${worst.t} ${(worst.ratio * 100).toFixed(1)}%` : "tables too small to judge",
        threshold: `${t.deadTupleRatio * 100}% dead rows`,
        metric: { name: "DeadTupleRatioHotTables", value: Number(worst?.ratio ?? 0) },
    });

    // Index bloat, estimated from the catalog alone (the monitor role cannot read pg_stats of app tables): actual size
    // against rows x (key width from the column types, 32 bytes for variable-length ones, + 12 bytes of tuple header
    // and line pointer) / 90% fill.
    const bloat = await rows(
        db,
        `SELECT i.indexrelid::regclass::text AS idx, pg_relation_size(i.indexrelid) AS bytes,
        c.reltuples * ((SELECT coalesce(sum(CASE WHEN a.attlen > 0 THEN a.attlen ELSE 32 END), 16) FROM pg_attribute a
                         WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) + 12) / 0.9 AS expected
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_am am ON am.oid = c.relam
        WHERE n.nspname IN ('app', 'audit') AND am.amname = 'btree' AND c.reltuples > 10000`,
    );
    const bloated = bloat.filter((b) => Number(b.bytes) > 10 * 2 ** 20 && Number(b.bytes) > 2.5 * Number(b.expected));
    push({
        check: "index bloat (estimate)",
        status: bloated.length > 0 ? "warn" : "ok",
        value:
            bloated.length > 0
                ? bloated.map((b) => b.idx).join(", ")
                : `${bloat.length} indexes within 2.5x of their estimate`,
        threshold: "2.5x the size the rows need, over 10 MiB: REINDEX CONCURRENTLY",
    });

    const invalid = await rows(db, "SELECT indexrelid::regclass::text AS idx FROM pg_index WHERE NOT indisvalid");
    push({
        check: "invalid indexes",
        status: invalid.length > 0 ? "fail" : "ok",
        value: invalid.length > 0 ? invalid.map((i) => i.idx).join(", ") : "none",
        threshold: "none (a failed CREATE INDEX CONCURRENTLY leaves one: drop and rebuild)",
    });
    const unused = await rows(
        db,
        `SELECT s.indexrelid::regclass::text AS idx FROM pg_stat_user_indexes s JOIN pg_index i USING (indexrelid)
        WHERE s.idx_scan = 0 AND NOT i.indisunique AND pg_relation_size(s.indexrelid) > 10 * 1024 * 1024 AND s.schemaname IN ('app', 'audit')`,
    );
    push({
        check: "unused indexes",
        status: unused.length > 0 ? "warn" : "ok",
        value: unused.length > 0 ? unused.map((u) => u.idx).join(", ") : "none over 10 MiB",
        threshold: "no scans since statistics reset, over 10 MiB",
    });

    const cache = await row(
        db,
        "SELECT blks_hit::float AS hit, blks_read::float AS read FROM pg_stat_database WHERE datname = current_database()",
    );
    const ratio = cache.hit + cache.read > 0 ? cache.hit / (cache.hit + cache.read) : 1;
    push({
        check: "cache hit ratio",
        status: cache.hit + cache.read > 100_000 && ratio < 0.99 ? "warn" : "ok",
        value: `${(ratio * 100).toFixed(2)}%`,
        threshold: "99% once there is traffic",
        metric: { name: "CacheHitRatio", value: ratio },
    });

    const archiver = await row(
        db,
        `SELECT archived_count::bigint AS archived, failed_count::bigint AS failed, last_archived_wal, last_failed_wal,
        last_archived_time, last_failed_time, current_setting('archive_mode') AS mode FROM pg_stat_archiver`,
    );
    const failing =
        archiver.failed > 0 &&
        (!archiver.last_archived_time || archiver.last_failed_time > archiver.last_archived_time);
    const slots = await rows(
        db,
        `SELECT slot_name, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint AS retained FROM pg_replication_slots`,
    );
    const stuck = slots.filter((s) => !s.active && Number(s.retained) > 2 ** 30);
    push({
        check: "WAL archive and replication",
        status: failing || stuck.length > 0 ? "fail" : "ok",
        value:
            archiver.mode === "off"
                ? "archiving off (RDS archives itself)"
                : `${archiver.archived} archived, last ${archiver.last_archived_wal ?? "none"}${archiver.failed > 0 ? `, ${archiver.failed} failures, last ${archiver.last_failed_wal}` : ""}${stuck.length ? `; stuck slots ${stuck.map((s) => s.slot_name).join(", ")}` : ""}`,
        threshold: "no failure newer than the last success; no inactive slot holding over 1 GiB",
        metric: { name: "ArchiveFailing", value: failing ? 1 : 0 },
    });

    const parts = await rows(
        db,
        `SELECT p.oid::regclass::text AS parent,
        count(*) FILTER (WHERE substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)')::timestamptz > now())::int AS ahead
        FROM pg_class p JOIN pg_inherits i ON i.inhparent = p.oid JOIN pg_class c ON c.oid = i.inhrelid
        WHERE p.relkind = 'p' AND p.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('app', 'audit')) GROUP BY 1 ORDER BY 1`,
    );
    const fewest = Math.min(...parts.map((p) => p.ahead), Infinity);
    push({
        check: "partitions premade ahead",
        status: parts.length > 0 && fewest < t.partitionsAhead ? "fail" : "ok",
        value: parts.map((p) => `${p.parent} ${p.ahead}`).join(", ") || "no partitioned tables",
        threshold: `${t.partitionsAhead} future months (pg_partman maintenance)`,
        metric: { name: "PartitionsPremadeAhead", value: Number.isFinite(fewest) ? fewest : 0 },
    });

    const top = await db
        .query(`SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query, calls::bigint AS calls, mean_exec_time AS mean, total_exec_time AS total
        FROM ext.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 5`)
        .catch(() => ({ rows: [] as Array<Record<string, unknown>> }));
    return {
        checks: out,
        topStatements: top.rows.map((r) => ({
            query: String(r.query),
            calls: Number(r.calls),
            meanMs: Number(r.mean),
            totalMs: Number(r.total),
        })),
        ok: out.every((c) => c.status !== "fail"),
    };
}
