/**
 * pgbouncer.ini and userlist.txt, rendered from one source for every place PgBouncer runs (Kubernetes in prod, the
 * dev container, the local environment and the tests), per PgBouncer version: Debian ships 1.18, which has no
 * `max_prepared_statements`; the upstream container image is newer and gets it (from 1.22, the first version that
 * keeps its prepared-statement cache right across the `DISCARD ALL` reset).
 *
 * Session state never crosses clients: `DISCARD ALL` runs after every transaction (`server_reset_query_always`;
 * transaction mode skips the reset query otherwise), so a `SET`, a `PREPARE`, a protocol-level named statement or a
 * session-level tenant left by one client is gone before the next gets the server connection.
 */
import { POSTGRES_PORT } from "../network/ports";
import { ROLE } from "../roles/names";
import type { ReadPool } from "./readRouting";

export interface PgbouncerVersion {
    readonly major: number;
    readonly minor: number;
}

/** Debian 12's PgBouncer (local environment, tests). */
export const DEBIAN_PGBOUNCER: PgbouncerVersion = { major: 1, minor: 18 };

/**
 * Limits the client cannot lift (a session can `SET statement_timeout = 0`; PgBouncer does not listen). Each sits
 * just above the largest server-side limit of a pooled role (readonly's statement_timeout of 60 s, the server's
 * idle_in_transaction_session_timeout of 60 s), so it only fires on a client that lifted its own.
 */
export const POOLER_LIMITS = {
    /** query_timeout, s: a statement running longer is cancelled and its server connection closed. */
    queryTimeoutSeconds: 65,
    /** idle_transaction_timeout, s: a client idle inside a transaction longer is disconnected. */
    idleTransactionTimeoutSeconds: 65,
} as const;

/** server_login_retry, s: how soon a pool tries a server again after a failed connection or login. */
export const SERVER_LOGIN_RETRY_SECONDS = 2;

export interface PgbouncerDatabase {
    readonly name: string;
    /** One host, or several separated by commas (dialled round robin; verify-full per host needs 1.25+). */
    readonly host: string;
    readonly port: number;
    readonly dbname: string;
    /** This database's pool size, instead of default_pool_size. */
    readonly poolSize?: number;
    /** This database's cap on server connections, instead of the global max_db_connections. */
    readonly maxDbConnections?: number;
}

/**
 * PgBouncer checked the whole comma-separated list, not the host it dialled, against the server's certificate under
 * verify-full until 1.25.0 (pgbouncer/pgbouncer#1300): a database on several hosts needs 1.25 or later.
 */
export const MULTI_HOST_VERIFY_FULL = { major: 1, minor: 25 } as const;

/** Pure: why PgBouncer `version` cannot serve a database on `hosts` hosts under verify-full; undefined if it can. */
export function multiHostProblem(version: PgbouncerVersion, hosts: number): string | undefined {
    const { major, minor } = MULTI_HOST_VERIFY_FULL;
    if (hosts <= 1 || supports(version, major, minor)) return undefined;
    return (
        `${hosts} hosts, which PgBouncer ${version.major}.${version.minor} cannot verify one by one ` +
        `(verify-full checks the whole list against each certificate): ${major}.${minor} or later required`
    );
}

/** Pure: a [databases] line. */
function databaseLine(d: PgbouncerDatabase, version: PgbouncerVersion): string {
    const problem = multiHostProblem(version, d.host.split(",").length);
    if (problem) throw new Error(`database ${d.name} is on ${problem}`);
    const own = [
        d.poolSize === undefined ? "" : ` pool_size=${d.poolSize}`,
        d.maxDbConnections === undefined ? "" : ` max_db_connections=${d.maxDbConnections}`,
    ].join("");
    return `${d.name} = host=${d.host} port=${d.port} dbname=${d.dbname}${own}`;
}

export interface PgbouncerIniInput {
    readonly version: PgbouncerVersion;
    readonly listenAddr: string;
    readonly listenPort: number;
    /** Unix socket directory; empty to disable. */
    readonly unixSocketDir: string;
    readonly databases: readonly PgbouncerDatabase[];
    readonly authFile: string;
    /** Server connections per (database, user) pair on this instance. */
    readonly defaultPoolSize: number;
    /** Hard cap of server connections per database on this instance (covers every user's pool). */
    readonly maxDbConnections: number;
    readonly maxClientConn: number;
    /** Protocol-level prepared statements kept per server connection (1.21+ only); 0 disables. */
    readonly maxPreparedStatements: number;
    /** TLS to PostgreSQL: verify-full against this CA. */
    readonly serverTlsCaFile: string;
    /** TLS from clients. */
    readonly clientTlsCertFile: string;
    readonly clientTlsKeyFile: string;
    /** Roles allowed to run SHOW commands on the admin console. */
    readonly statsUsers: readonly string[];
    /** Roles allowed every admin console command (PAUSE, RELOAD, RESUME): the local failover drill's. Default none. */
    readonly adminUsers?: readonly string[];
    /** Per-role caps on server connections ([users] max_user_connections), e.g. readonly's share of the pool. */
    readonly userLimits?: Readonly<Record<string, number>>;
    readonly pidFile?: string;
    readonly logFile?: string;
    /** Run `DISCARD ALL` after every transaction. Default true; false only to measure what the reset costs. */
    readonly resetAfterEveryTransaction?: boolean;
    /** Defaults: POOLER_LIMITS. */
    readonly queryTimeoutSeconds?: number;
    readonly idleTransactionTimeoutSeconds?: number;
    /**
     * dns_max_ttl, seconds a resolved host name is kept. Omit for PgBouncer's 15. An Aurora cluster endpoint moves to
     * the new writer on failover and its reader endpoint rotates readers, each with a 1 s TTL: keep them short there.
     */
    readonly dnsMaxTtlSeconds?: number;
}

/** Pure: true when a PgBouncer version supports a setting introduced in `major.minor`. */
export function supports(version: PgbouncerVersion, major: number, minor: number): boolean {
    return version.major > major || (version.major === major && version.minor >= minor);
}

/** Pure: pgbouncer.ini. Transaction pooling, SCRAM, TLS on both sides with server verify-full. */
export function renderPgbouncerIni(i: PgbouncerIniInput): string {
    if (i.defaultPoolSize < 1 || i.defaultPoolSize > i.maxDbConnections)
        throw new Error(`pool size ${i.defaultPoolSize} must be 1 to max_db_connections (${i.maxDbConnections})`);
    const settings: Array<[string, string | number]> = [
        ["listen_addr", i.listenAddr],
        ["listen_port", i.listenPort],
        ["unix_socket_dir", i.unixSocketDir],
        ["auth_type", "scram-sha-256"],
        ["auth_file", i.authFile],
        // Transaction pooling: a server connection belongs to a client for one transaction only. Session state (SET,
        // advisory locks, LISTEN, temp tables) must not be used; the tenant is set per transaction (app.set_tenant).
        ["pool_mode", "transaction"],
        ["default_pool_size", i.defaultPoolSize],
        ["min_pool_size", 0],
        ["reserve_pool_size", 0],
        ["max_db_connections", i.maxDbConnections],
        ["max_client_conn", i.maxClientConn],
        // Whatever a client left at session level is discarded before the next client gets the connection.
        ["server_reset_query", "DISCARD ALL"],
        ["server_reset_query_always", (i.resetAfterEveryTransaction ?? true) ? 1 : 0],
        ["server_check_query", "SELECT 1"],
        // Wait before retrying a failed server login, RELOAD or not: the default 15 s was most of a failover's outage.
        ["server_login_retry", SERVER_LOGIN_RETRY_SECONDS],
        ["server_lifetime", 3600],
        ["server_idle_timeout", 600],
        ["query_wait_timeout", 30],
        ["query_timeout", i.queryTimeoutSeconds ?? POOLER_LIMITS.queryTimeoutSeconds],
        ["idle_transaction_timeout", i.idleTransactionTimeoutSeconds ?? POOLER_LIMITS.idleTransactionTimeoutSeconds],
        ["ignore_startup_parameters", "extra_float_digits"],
        ["tcp_keepalive", 1],
        ["server_tls_sslmode", "verify-full"],
        ["server_tls_ca_file", i.serverTlsCaFile],
        ["server_tls_protocols", "secure"],
        ["client_tls_sslmode", "require"],
        ["client_tls_cert_file", i.clientTlsCertFile],
        ["client_tls_key_file", i.clientTlsKeyFile],
        ["client_tls_protocols", "secure"],
        ["stats_users", i.statsUsers.join(",")],
        ["log_connections", 0],
        ["log_disconnections", 0],
        ["log_pooler_errors", 1],
        ...optionalSettings(i),
    ];
    return [
        `; Rendered from postgres/pooling/pgbouncerIni.ts for PgBouncer ${i.version.major}.${i.version.minor}; do not edit.`,
        "[databases]",
        ...i.databases.map((d) => databaseLine(d, i.version)),
        "",
        ...(i.userLimits && Object.keys(i.userLimits).length > 0
            ? ["[users]", ...Object.entries(i.userLimits).map(([u, n]) => `${u} = max_user_connections=${n}`), ""]
            : []),
        "[pgbouncer]",
        ...settings.map(([k, v]) => `${k} = ${v}`),
        "",
    ].join("\n");
}

/** The settings some versions or instances get and others do not. */
function optionalSettings(i: PgbouncerIniInput): Array<[string, string | number]> {
    const out: Array<[string, string | number]> = [];
    // 1.21 tracks protocol-level statements but not their loss to DISCARD ALL (1.22 does): leave them off there.
    if (supports(i.version, 1, 22) && i.maxPreparedStatements > 0)
        out.push(["max_prepared_statements", i.maxPreparedStatements]);
    if (i.adminUsers && i.adminUsers.length > 0) out.push(["admin_users", i.adminUsers.join(",")]);
    if (i.dnsMaxTtlSeconds !== undefined) out.push(["dns_max_ttl", i.dnsMaxTtlSeconds]);
    if (i.pidFile) out.push(["pidfile", i.pidFile]);
    if (i.logFile) out.push(["logfile", i.logFile]);
    return out;
}

/** Pure: userlist.txt from SCRAM verifiers. The same verifier as the server's lets PgBouncer pass SCRAM through. */
export function renderUserlist(entries: ReadonlyArray<{ readonly user: string; readonly verifier: string }>): string {
    for (const e of entries)
        if (!e.verifier.startsWith("SCRAM-SHA-256$"))
            throw new Error(`userlist entry for ${e.user} is not a SCRAM verifier`);
    return `${entries.map((e) => `"${e.user}" "${e.verifier}"`).join("\n")}\n`;
}

/** What a deployed PgBouncer (Kubernetes or container) is given; the rest follows from the sizing. */
export interface DeployedPgbouncer {
    readonly version: PgbouncerVersion;
    readonly sizing: { readonly perReplica: number; readonly poolSize: Readonly<Record<string, number>> };
    readonly database: PgbouncerDatabase;
    /** A read database beside it (readRouting.ts): its hosts, and its pool next to the write pool. Omit for none. */
    readonly read?: {
        readonly database: PgbouncerDatabase;
        readonly pool: Pick<ReadPool, "perReplica" | "poolSize" | "writePerReplica">;
    };
    /** Paths inside the container. */
    readonly files: {
        readonly userlist: string;
        readonly serverCa: string;
        readonly cert: string;
        readonly key: string;
    };
    readonly maxPreparedStatements?: number;
    readonly maxClientConn?: number;
    /** dns_max_ttl (PgbouncerIniInput); omit for PgBouncer's default. */
    readonly dnsMaxTtlSeconds?: number;
}

/** Pure: pgbouncer.ini for a deployed PgBouncer: the largest pool is the default, smaller ones are capped per role. */
export function deployedPgbouncerIni(d: DeployedPgbouncer): string {
    const largest = Math.max(...Object.values(d.sizing.poolSize));
    const limits = Object.fromEntries(Object.entries(d.sizing.poolSize).filter(([, n]) => n < largest));
    return renderPgbouncerIni({
        version: d.version,
        listenAddr: "*",
        listenPort: POSTGRES_PORT,
        unixSocketDir: "",
        databases: d.read ? withReadDatabase(d.database, d.read) : [d.database],
        authFile: d.files.userlist,
        defaultPoolSize: largest,
        // A role's cap counts its server connections in every database: a capped role's share is its read pool's.
        userLimits: d.read ? readLimits(limits, d.read.pool.poolSize) : limits,
        maxDbConnections: d.read ? d.read.pool.writePerReplica : d.sizing.perReplica,
        maxClientConn: d.maxClientConn ?? 2000,
        maxPreparedStatements: d.maxPreparedStatements ?? 200,
        serverTlsCaFile: d.files.serverCa,
        clientTlsCertFile: d.files.cert,
        clientTlsKeyFile: d.files.key,
        statsUsers: [ROLE.monitor],
        dnsMaxTtlSeconds: d.dnsMaxTtlSeconds,
    });
}

/** Pure: the write database, capped at what the read pool leaves it, and the read database with its own pool. */
function withReadDatabase(write: PgbouncerDatabase, read: NonNullable<DeployedPgbouncer["read"]>): PgbouncerDatabase[] {
    const largest = Math.max(...Object.values(read.pool.poolSize));
    return [
        { ...write, maxDbConnections: read.pool.writePerReplica },
        { ...read.database, poolSize: largest, maxDbConnections: read.pool.perReplica },
    ];
}

/** Pure: the capped roles' limits, each at its read pool when it has one there. */
function readLimits(
    limits: Readonly<Record<string, number>>,
    readPoolSize: Readonly<Record<string, number>>,
): Record<string, number> {
    return Object.fromEntries(Object.entries(limits).map(([role, n]) => [role, readPoolSize[role] ?? n]));
}

/** Pure: the PgBouncer version an image tag names (`...:1.23.1` -> 1.23). */
export function versionOfImage(image: string): PgbouncerVersion {
    const m = /:(\d+)\.(\d+)\./.exec(image);
    if (!m) throw new Error(`cannot read a PgBouncer version from image ${image}`);
    return { major: Number(m[1]), minor: Number(m[2]) };
}
