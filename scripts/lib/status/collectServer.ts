/**
 * The status sections read from the server itself, each one query or two, read-only. A section the connected role
 * may not read says so instead of failing the whole screen.
 */
import { slotRetention, standbyLag } from "../../../postgres/health/replication";
import type { Queryable } from "../../../postgres/health/restoreValidation";
import type { ArchivingInfo, ConnectionsInfo, CronJob, PartitionedTable, ReplicationInfo, ServerInfo } from "./types";

type Row = Record<string, any>;
const rows = async (db: Queryable, sql: string): Promise<Row[]> => (await db.query(sql)).rows;
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function server(db: Queryable): Promise<ServerInfo> {
    const [r] = await rows(
        db,
        `SELECT current_setting('server_version') AS version, pg_postmaster_start_time() AS started,
        extract(epoch FROM now() - pg_postmaster_start_time())::float AS uptime, pg_is_in_recovery() AS recovery,
        ARRAY(SELECT name FROM pg_settings WHERE pending_restart ORDER BY 1) AS pending`,
    );
    return {
        version: r.version,
        startedAt: iso(r.started) ?? "",
        uptimeSeconds: Math.round(r.uptime),
        inRecovery: r.recovery,
        pendingRestart: r.pending,
    };
}

export async function connections(db: Queryable): Promise<ConnectionsInfo> {
    const roles = await rows(
        db,
        `SELECT r.rolname AS role, r.rolconnlimit AS lim, count(a.pid)::int AS n
        FROM pg_roles r LEFT JOIN pg_stat_activity a ON a.usename = r.rolname AND a.backend_type = 'client backend'
        WHERE r.rolcanlogin AND r.rolname NOT LIKE 'pg\\_%' GROUP BY 1, 2 ORDER BY 1`,
    );
    const [s] = await rows(
        db,
        `SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int AS total,
        current_setting('max_connections')::int AS max, current_setting('superuser_reserved_connections')::int AS reserved`,
    );
    return {
        roles: roles.map((r) => ({ role: r.role, connections: r.n, limit: r.lim })),
        total: s.total,
        maxConnections: s.max,
        superuserReserved: s.reserved,
    };
}

export async function archiving(db: Queryable): Promise<ArchivingInfo> {
    const [r] = await rows(
        db,
        `SELECT current_setting('archive_mode') AS mode, archived_count::bigint AS archived, last_archived_wal,
        last_archived_time, failed_count::bigint AS failed, last_failed_wal, last_failed_time,
        CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS current,
        pg_size_bytes(current_setting('wal_segment_size')) AS seg FROM pg_stat_archiver`,
    );
    return {
        mode: r.mode,
        archivedCount: Number(r.archived),
        lastArchivedWal: r.last_archived_wal,
        lastArchivedAt: iso(r.last_archived_time),
        failedCount: Number(r.failed),
        lastFailedWal: r.last_failed_wal,
        lastFailedAt: iso(r.last_failed_time),
        currentWal: r.current,
        walSegmentBytes: Number(r.seg),
    };
}

/** Every pg_cron job's last run; through app.cron_job_runs() for a role pg_cron shows no runs to (the monitor). */
export async function cronJobs(db: Queryable): Promise<{ jobs: CronJob[] }> {
    const direct = await rows(
        db,
        `SELECT j.jobname AS name, j.schedule, j.active, d.start_time, d.status, d.return_message,
        (SELECT count(*) FROM cron.job_run_details f WHERE f.jobid = j.jobid AND f.status = 'failed'
            AND f.start_time > coalesce((SELECT max(s.start_time) FROM cron.job_run_details s
                                         WHERE s.jobid = j.jobid AND s.status = 'succeeded'), '-infinity'))::int AS failures
        FROM cron.job j LEFT JOIN LATERAL (SELECT * FROM cron.job_run_details d WHERE d.jobid = j.jobid
                                           ORDER BY d.start_time DESC NULLS LAST LIMIT 1) d ON true ORDER BY 1`,
    ).catch(() => [] as Row[]);
    if (direct.length > 0)
        return {
            jobs: direct.map((r) => ({
                name: r.name,
                schedule: r.schedule,
                active: r.active,
                lastRunAt: iso(r.start_time),
                lastStatus: r.status,
                lastMessage: r.return_message,
                failuresSinceSuccess: r.failures,
            })),
        };
    const runs = await rows(db, "SELECT * FROM app.cron_job_runs()");
    return {
        jobs: runs.map((r) => {
            const failedLast = Number(r.failures_since_success) > 0;
            return {
                name: r.jobname,
                schedule: null,
                active: null,
                lastRunAt: iso(failedLast ? r.last_failure : r.last_success),
                lastStatus: failedLast ? "failed" : r.last_success ? "succeeded" : null,
                lastMessage: failedLast ? r.last_failure_message : null,
                failuresSinceSuccess: Number(r.failures_since_success),
            };
        }),
    };
}

/** Each partitioned table: months premade ahead against pg_partman's premake, default-partition rows, last maintenance. */
export async function partitions(db: Queryable): Promise<{ tables: PartitionedTable[] }> {
    const tables = await rows(
        db,
        `SELECT p.oid::regclass::text AS parent, pm.premake,
        count(*) FILTER (WHERE substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)')::timestamptz > now())::int AS ahead,
        coalesce(max(d.row_count), 0)::int AS default_rows, max(m.last_succeeded_at) AS maintained
        FROM pg_class p JOIN pg_inherits i ON i.inhparent = p.oid JOIN pg_class c ON c.oid = i.inhrelid
        LEFT JOIN app.partition_premake() pm ON pm.parent_table = p.oid::regclass::text
        LEFT JOIN app.default_partition_rows() d ON d.parent_table = p.oid::regclass::text
        LEFT JOIN app.partition_maintenance m ON m.parent_table = p.oid::regclass::text
        WHERE p.relkind = 'p' AND p.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('app', 'audit'))
        GROUP BY 1, 2 ORDER BY 1`,
    );
    return {
        tables: tables.map((t) => ({
            parent: t.parent,
            premake: num(t.premake),
            ahead: t.ahead,
            defaultRows: t.default_rows,
            lastMaintenanceAt: iso(t.maintained),
        })),
    };
}

/**
 * Standbys streaming from this server and its replication slots, measured as the health checks measure them
 * (postgres/health/replication.ts), and on a standby its own upstream.
 */
export async function replication(db: Queryable): Promise<ReplicationInfo> {
    const standbys = await standbyLag(db);
    const slots = await slotRetention(db);
    const [receiver] = await rows(
        db,
        `SELECT status, sender_host || ':' || sender_port AS upstream,
        extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float AS delay FROM pg_stat_wal_receiver`,
    );
    return {
        standbys: standbys.map((s) => ({
            name: s.name,
            clientAddr: s.address,
            state: s.state,
            syncState: s.syncState,
            lagBytes: s.replayLagBytes,
            replayLagSeconds: s.replayLagSeconds,
        })),
        slots: slots.map((s) => ({ name: s.name, type: s.type, active: s.active, retainedBytes: s.retainedBytes })),
        receiver: receiver
            ? { status: receiver.status, upstream: receiver.upstream, replayDelaySeconds: num(receiver.delay) }
            : undefined,
    };
}
