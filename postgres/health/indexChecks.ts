/** Health checks of indexes, the buffer cache and WAL archiving. */
import { type Check, row, rows } from "./types";

// Index bloat, estimated from the catalog alone (the monitor role cannot read pg_stats of app tables): actual size
// against rows x (key width from the column types, 32 bytes for variable-length ones, + 12 bytes of tuple header
// and line pointer) / 90% fill.
export const indexBloat: Check = async ({ db }) => {
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
    return {
        check: "index bloat (estimate)",
        status: bloated.length > 0 ? "warn" : "ok",
        value:
            bloated.length > 0
                ? bloated.map((b) => b.idx).join(", ")
                : `${bloat.length} indexes within 2.5x of their estimate`,
        threshold: "2.5x the size the rows need, over 10 MiB: REINDEX CONCURRENTLY",
    };
};

export const invalidIndexes: Check = async ({ db }) => {
    const invalid = await rows(db, "SELECT indexrelid::regclass::text AS idx FROM pg_index WHERE NOT indisvalid");
    return {
        check: "invalid indexes",
        status: invalid.length > 0 ? "fail" : "ok",
        value: invalid.length > 0 ? invalid.map((i) => i.idx).join(", ") : "none",
        threshold: "none (a failed CREATE INDEX CONCURRENTLY leaves one: drop and rebuild)",
    };
};

export const unusedIndexes: Check = async ({ db }) => {
    const unused = await rows(
        db,
        `SELECT s.indexrelid::regclass::text AS idx FROM pg_stat_user_indexes s JOIN pg_index i USING (indexrelid)
        WHERE s.idx_scan = 0 AND NOT i.indisunique AND pg_relation_size(s.indexrelid) > 10 * 1024 * 1024 AND s.schemaname IN ('app', 'audit')`,
    );
    return {
        check: "unused indexes",
        status: unused.length > 0 ? "warn" : "ok",
        value: unused.length > 0 ? unused.map((u) => u.idx).join(", ") : "none over 10 MiB",
        threshold: "no scans since statistics reset, over 10 MiB",
    };
};

export const cacheHitRatio: Check = async ({ db }) => {
    const cache = await row(
        db,
        "SELECT blks_hit::float AS hit, blks_read::float AS read FROM pg_stat_database WHERE datname = current_database()",
    );
    const ratio = cache.hit + cache.read > 0 ? cache.hit / (cache.hit + cache.read) : 1;
    return {
        check: "cache hit ratio",
        status: cache.hit + cache.read > 100_000 && ratio < 0.99 ? "warn" : "ok",
        value: `${(ratio * 100).toFixed(2)}%`,
        threshold: "99% once there is traffic",
        metric: { name: "CacheHitRatio", value: ratio },
    };
};

export const walArchive: Check = async ({ db }) => {
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
    return {
        check: "WAL archive and replication",
        status: failing || stuck.length > 0 ? "fail" : "ok",
        value:
            archiver.mode === "off"
                ? "archiving off (RDS archives itself)"
                : `${archiver.archived} archived, last ${archiver.last_archived_wal ?? "none"}${archiver.failed > 0 ? `, ${archiver.failed} failures, last ${archiver.last_failed_wal}` : ""}${stuck.length ? `; stuck slots ${stuck.map((s) => s.slot_name).join(", ")}` : ""}`,
        threshold: "no failure newer than the last success; no inactive slot holding over 1 GiB",
        metric: { name: "ArchiveFailing", value: failing ? 1 : 0 },
    };
};
