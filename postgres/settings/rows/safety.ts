/** The settings catalog's rows: security, safety limits, WAL and checkpoints, and the planner. */
import {
    DEFAULT_STATEMENT_TIMEOUT_MS,
    IDLE_IN_TRANSACTION_TIMEOUT_MS,
    LOCK_TIMEOUT_MS,
    TEMP_FILE_LIMIT_KB,
    doc,
    s,
    type RowContext,
    type Setting,
} from "../settingRow";

export function safetyRows(c: RowContext): Setting[] {
    return [
        // Security.
        s(
            "ssl",
            true,
            "dynamic",
            "security",
            "TLS for every connection; pg_hba allows hostssl only",
            doc.rdsSsl,
            "self-managed",
        ),
        s("ssl_min_protocol_version", "TLSv1.2", "dynamic", "security", "no TLS 1.0/1.1", doc.rdsSsl),
        s(
            "password_encryption",
            "scram-sha-256",
            "dynamic",
            "security",
            "SCRAM verifiers only; md5 is refused",
            doc.rdsScram,
        ),
        s("rds.force_ssl", true, "dynamic", "security", "RDS refuses non-SSL connections", doc.rdsSsl, "rds"),
        s(
            "rds.accepted_password_auth_method",
            "scram",
            "dynamic",
            "security",
            "RDS accepts SCRAM only, not md5",
            doc.rdsScram,
            "rds",
        ),

        // Safety.
        s(
            "idle_in_transaction_session_timeout",
            IDLE_IN_TRANSACTION_TIMEOUT_MS,
            "dynamic",
            "safety",
            "end sessions idle in a transaction for 60 s: they hold locks and block vacuum",
            doc.client,
        ),
        s(
            "statement_timeout",
            DEFAULT_STATEMENT_TIMEOUT_MS,
            "dynamic",
            "safety",
            "60 s safety net; the app role sets 5 s and the migrator 0 (ALTER ROLE ... SET)",
            doc.client,
        ),
        s(
            "lock_timeout",
            LOCK_TIMEOUT_MS,
            "dynamic",
            "safety",
            "a session waits 3 s at most for a lock: a LOCK TABLE or a DDL cannot queue every tenant's queries behind it (migrations set their own)",
            doc.client,
        ),
        s(
            "temp_file_limit",
            TEMP_FILE_LIMIT_KB,
            "dynamic",
            "safety",
            "a runaway sort or hash errors after 2 GiB of temporary files instead of filling the disk; superuser-only, so a session cannot lift it",
            doc.resource,
        ),
        s(
            "client_connection_check_interval",
            2000,
            "dynamic",
            "safety",
            "a statement whose client is gone (PgBouncer's query_timeout closes the server connection) stops within 2 s instead of running on",
            doc.connection,
        ),
        s(
            "deadlock_timeout",
            1000,
            "dynamic",
            "safety",
            "PostgreSQL default; also the log_lock_waits threshold",
            doc.locks,
        ),

        // WAL and checkpoints.
        s(
            "checkpoint_timeout",
            900,
            "dynamic",
            "wal",
            "15 min: fewer full-page writes than the 5 min default",
            doc.wal,
        ),
        s("max_wal_size", 4096, "dynamic", "wal", "4 GB so checkpoints are timed, not forced by WAL volume", doc.wal),
        s("min_wal_size", 1024, "dynamic", "wal", "keep 1 GB of WAL segments for reuse", doc.wal),
        s(
            "checkpoint_completion_target",
            0.9,
            "dynamic",
            "wal",
            "spread checkpoint writes (the PostgreSQL 14+ default, stated)",
            doc.wal,
        ),

        // Planner and parallelism for SSD storage and a small number of cores.
        s(
            "random_page_cost",
            1.1,
            "dynamic",
            "planner",
            "gp3/SSD: random reads cost nearly what sequential ones do",
            doc.query,
        ),
        s(
            "effective_io_concurrency",
            200,
            "dynamic",
            "planner",
            "SSD storage can serve many concurrent prefetches",
            doc.resource,
        ),
        s("jit", false, "dynamic", "planner", "OLTP queries are short; JIT compile time would dominate", doc.query),
        s(
            "max_worker_processes",
            c.size.maxWorkerProcesses,
            "static",
            "planner",
            "vCPUs + 4, at least 8: parallel query, pg_cron and autovacuum share it",
            doc.resource,
        ),
        s(
            "max_parallel_workers",
            c.size.maxParallelWorkers,
            "dynamic",
            "planner",
            "at most one parallel worker per vCPU",
            doc.resource,
        ),
        s(
            "max_parallel_workers_per_gather",
            c.size.maxParallelWorkersPerGather,
            "dynamic",
            "planner",
            "vCPUs/2 (1 to 4): reports may go parallel without starving OLTP",
            doc.resource,
        ),
    ];
}
