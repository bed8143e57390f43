/**
 * What `npm run status` collects: one section per question an operator asks first. Each section is its data, or why
 * it could not be read (`unavailable`), or why it does not apply to this target (`skipped`).
 */
import type { PgbouncerState } from "../local/pgbouncerAdmin";

export type Part<T> =
    | ({ readonly kind: "ok" } & T)
    | { readonly kind: "unavailable"; readonly reason: string }
    | { readonly kind: "skipped"; readonly reason: string };

export interface ServerInfo {
    readonly version: string;
    readonly startedAt: string;
    readonly uptimeSeconds: number;
    readonly inRecovery: boolean;
    readonly pendingRestart: readonly string[];
}

export interface RoleConnections {
    readonly role: string;
    readonly connections: number;
    /** -1: no limit. */
    readonly limit: number;
}

export interface ConnectionsInfo {
    readonly roles: readonly RoleConnections[];
    readonly total: number;
    readonly maxConnections: number;
    readonly superuserReserved: number;
}

export interface ArchivingInfo {
    readonly mode: string;
    readonly archivedCount: number;
    readonly lastArchivedWal: string | null;
    readonly lastArchivedAt: string | null;
    readonly failedCount: number;
    readonly lastFailedWal: string | null;
    readonly lastFailedAt: string | null;
    /** The segment being written (null on a standby). */
    readonly currentWal: string | null;
    readonly walSegmentBytes: number;
}

export interface BackupEntry {
    readonly label: string;
    readonly type: string;
    readonly startedAt: string;
    readonly stoppedAt: string;
    readonly sizeBytes: number;
    readonly repoDeltaBytes: number;
}

export interface BackupsInfo {
    readonly backups: readonly BackupEntry[];
    /** Newest WAL segment in the repository. */
    readonly newestWal: string | null;
}

export interface MigrationsInfo {
    readonly applied: readonly string[];
    readonly pending: readonly string[];
    /** Applied versions with no file in sql/migrations. */
    readonly unknown: readonly string[];
}

export interface CronJob {
    readonly name: string;
    readonly schedule: string | null;
    readonly active: boolean | null;
    readonly lastRunAt: string | null;
    /** succeeded, failed, running, ...; null when it never ran. */
    readonly lastStatus: string | null;
    readonly lastMessage: string | null;
    /** Failed runs since its last success. */
    readonly failuresSinceSuccess: number;
}

export interface PartitionedTable {
    readonly parent: string;
    readonly premake: number | null;
    /** Partitions starting after now. */
    readonly ahead: number;
    readonly defaultRows: number;
    readonly lastMaintenanceAt: string | null;
}

export interface Standby {
    readonly name: string;
    readonly clientAddr: string | null;
    readonly state: string;
    readonly syncState: string;
    readonly lagBytes: number | null;
    readonly replayLagSeconds: number | null;
}

export interface Slot {
    readonly name: string;
    readonly type: string;
    readonly active: boolean;
    readonly retainedBytes: number | null;
}

export interface ReplicationInfo {
    readonly standbys: readonly Standby[];
    readonly slots: readonly Slot[];
    /** On a standby: its upstream and how far behind it replays. */
    readonly receiver?: {
        readonly status: string;
        readonly upstream: string;
        readonly replayDelaySeconds: number | null;
    };
}

export interface HealthSummary {
    readonly ok: number;
    readonly warn: number;
    readonly fail: number;
    readonly failing: readonly string[];
    readonly warned: readonly string[];
}

export interface StatusReport {
    readonly target: { readonly where: string; readonly source: string; readonly role: string };
    readonly collectedAt: string;
    /** Set when the server could not be reached at all: every other section is then absent. */
    readonly unreachable?: string;
    readonly server?: Part<ServerInfo>;
    readonly connections?: Part<ConnectionsInfo>;
    readonly pgbouncer?: Part<Pick<PgbouncerState, "state" | "where" | "pools" | "error">>;
    readonly archiving?: Part<ArchivingInfo>;
    readonly backups?: Part<BackupsInfo>;
    readonly migrations?: Part<MigrationsInfo>;
    readonly cron?: Part<{ readonly jobs: readonly CronJob[] }>;
    readonly partitions?: Part<{ readonly tables: readonly PartitionedTable[] }>;
    readonly replication?: Part<ReplicationInfo>;
    readonly health?: Part<HealthSummary>;
}

export type SectionName = Exclude<keyof StatusReport, "target" | "collectedAt" | "unreachable">;

/** The sections in the order the screen shows them. */
export const SECTIONS: readonly SectionName[] = [
    "server",
    "connections",
    "pgbouncer",
    "archiving",
    "backups",
    "migrations",
    "cron",
    "partitions",
    "replication",
    "health",
];
