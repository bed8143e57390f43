/**
 * Health checks of the server itself: TLS, connections, transactions and locks, wraparound, vacuum, indexes, cache
 * and WAL archiving. Each is one small function; checks.ts runs them in order.
 */
import { ADMIN_CONNECTIONS, OPERATOR_CONNECTION_LIMITS } from "../settings/sizing";
import { type Check, row, rows } from "./types";

/** Tables whose dead-tuple ratio matters most (frequent updates). */
export const HOT_TABLES = ["app.tasks", "app.notes", "app.habits", "app.tags"];

const ADMIN_HEADROOM = Object.values(OPERATOR_CONNECTION_LIMITS).reduce((a, b) => a + b, 0) + ADMIN_CONNECTIONS;

export const ssl: Check = async ({ db, tls }) => {
    const s = await row(db, "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    return {
        check: "ssl",
        status: s.ssl && tls.verified ? "ok" : "fail",
        value: s.ssl ? `${s.version}, sslmode=${tls.mode}` : "no TLS",
        threshold: "TLS with the server certificate verified (verify-full)",
    };
};

export const connections: Check = async ({ db, t }) => {
    const conn = await row(
        db,
        `SELECT count(*) FILTER (WHERE backend_type = 'client backend')::int AS used,
        current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved FROM pg_stat_activity`,
    );
    const budget = t.connectionBudget ?? conn.max - conn.reserved - ADMIN_HEADROOM;
    const share = conn.used / budget;
    return {
        check: "connections",
        status: share >= t.connectionsFail ? "fail" : share >= 0.8 ? "warn" : "ok",
        value: `${conn.used} of ${budget} (${Math.round(share * 100)}%)`,
        threshold: `fail at ${Math.round(t.connectionsFail * 100)}% of the budget (max_connections ${conn.max} - reserved - headroom)`,
        metric: { name: "ConnectionsUsedRatio", value: share },
    };
};

const OPEN_TRANSACTIONS = `FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend'`;

export const longestTransaction: Check = async ({ db, t }) => {
    const tx = await row(
        db,
        `SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start)), 0)::float AS longest,
        (SELECT pid ${OPEN_TRANSACTIONS} ORDER BY xact_start LIMIT 1) AS pid ${OPEN_TRANSACTIONS}`,
    );
    return {
        check: "longest transaction",
        status: tx.longest > t.longestTransactionSeconds ? "fail" : "ok",
        value: `${Math.round(tx.longest)} s`,
        threshold: `${t.longestTransactionSeconds} s`,
        detail: tx.pid ? `oldest: pid ${tx.pid}` : undefined,
        metric: { name: "LongestTransactionSeconds", value: Number(tx.longest) },
    };
};

export const idleInTransaction: Check = async ({ db, t }) => {
    const tx = await row(
        db,
        `SELECT count(*) FILTER (WHERE state LIKE 'idle in transaction%'
                AND clock_timestamp() - state_change > make_interval(secs => $1))::int AS idle ${OPEN_TRANSACTIONS}`,
        [t.idleInTransactionSeconds],
    );
    return {
        check: "idle in transaction",
        status: tx.idle > 0 ? "fail" : "ok",
        value: `${tx.idle} session(s)`,
        threshold: `none idle in a transaction longer than ${t.idleInTransactionSeconds} s`,
        metric: { name: "IdleInTransactionSessions", value: tx.idle },
    };
};

export const blockedLocks: Check = async ({ db, t }) => {
    const blocked = await row(
        db,
        `SELECT count(*)::int AS n, string_agg(pid || ' waits for ' || array_to_string(pg_blocking_pids(pid), ','), '; ') AS who
        FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0 AND wait_event_type = 'Lock'
          AND clock_timestamp() - coalesce(query_start, state_change) > make_interval(secs => $1)`,
        [t.blockedLockSeconds],
    );
    return {
        check: "blocked locks",
        status: blocked.n > 0 ? "fail" : "ok",
        value: `${blocked.n} waiting`,
        threshold: `no lock wait over ${t.blockedLockSeconds} s`,
        detail: blocked.who ?? undefined,
        metric: { name: "BlockedLocks", value: blocked.n },
    };
};

export const transactionIdAge: Check = async ({ db, t }) => {
    const xid = await rows(
        db,
        "SELECT datname, age(datfrozenxid)::bigint AS age FROM pg_database WHERE datallowconn ORDER BY 2 DESC",
    );
    const maxAge = Number(xid[0]?.age ?? 0);
    return {
        check: "transaction ID age",
        status: maxAge > t.xidAge ? "fail" : maxAge > t.xidAge / 2 ? "warn" : "ok",
        value: xid.map((x) => `${x.datname} ${Number(x.age).toLocaleString("en")}`).join(", "),
        threshold: `${t.xidAge.toLocaleString("en")} (wraparound at 2,147,483,647)`,
        metric: { name: "MaxTransactionIdAge", value: maxAge },
    };
};

export const deadTuples: Check = async ({ db, t }) => {
    const dead = await rows(
        db,
        `SELECT schemaname || '.' || relname AS t, n_live_tup::bigint AS live, n_dead_tup::bigint AS dead,
        CASE WHEN n_live_tup + n_dead_tup > 0 THEN n_dead_tup::float / (n_live_tup + n_dead_tup) ELSE 0 END AS ratio
        FROM pg_stat_user_tables WHERE schemaname || '.' || relname = ANY($1)`,
        [HOT_TABLES],
    );
    const worst = dead.filter((d) => Number(d.live) + Number(d.dead) >= 1000).sort((a, b) => b.ratio - a.ratio)[0];
    return {
        check: "dead tuples (hot tables)",
        status: worst && worst.ratio > t.deadTupleRatio ? "fail" : "ok",
        value: worst ? `${worst.t} ${(worst.ratio * 100).toFixed(1)}%` : "tables too small to judge",
        threshold: `${t.deadTupleRatio * 100}% dead rows`,
        metric: { name: "DeadTupleRatioHotTables", value: Number(worst?.ratio ?? 0) },
    };
};
