/**
 * Memory and connection sizing from an instance class's RAM and vCPUs. Pure and deterministic: the same class
 * gives the same numbers on RDS, in Docker and in the local cluster, and pool sizes and alarm thresholds are
 * computed from the same result.
 *
 * The rules, with the reasoning (docs/settings.md has the table per class):
 * - shared_buffers = 25% of RAM: RDS's own default ({DBInstanceClassMemory/32768} in 8 kB pages) and the
 *   PostgreSQL docs' starting point for a dedicated server.
 * - effective_cache_size = 75% of RAM: shared_buffers plus the OS page cache the planner may count on.
 * - max_connections = 25 per GiB, between 100 and 5000. Lower than RDS's default (about 112 per GiB) on purpose:
 *   the app reaches the database through PgBouncer, and each idle backend still costs memory and snapshot work.
 * - superuser_reserved_connections = 3, plus an admin headroom of 10: the operator roles' connection limits
 *   (OPERATOR_CONNECTION_LIMITS: migrations, health checks, the auditor) and 2 for the admin, who on RDS is not a
 *   superuser and gets no reserved slot. What is left is the connection budget the poolers may divide; the app and
 *   readonly roles' connection limits split it exactly (poolSizing.ts), so they can never take the headroom.
 * - work_mem = the RAM not given to shared_buffers, over 3 sorts or hashes per connection, 4 to 64 MiB.
 * - maintenance_work_mem = RAM / 16, 64 MiB to 2 GiB (VACUUM and CREATE INDEX; autovacuum workers use it too).
 */
import type { InstanceClass } from "../instanceClasses";

const KIB_PER_MIB = 1024;
const KIB_PER_GIB = 1024 * 1024;

export interface Sizing {
    /** 8 kB pages. */
    readonly sharedBuffersPages: number;
    /** 8 kB pages. */
    readonly effectiveCacheSizePages: number;
    /** kB. */
    readonly workMemKiB: number;
    /** kB. */
    readonly maintenanceWorkMemKiB: number;
    readonly maxConnections: number;
    readonly superuserReservedConnections: number;
    /** Connections kept for migrations, monitoring and people; not handed to poolers. */
    readonly adminHeadroomConnections: number;
    /** What application poolers may open in total: max_connections minus reserved minus headroom. */
    readonly connectionBudget: number;
    readonly autovacuumMaxWorkers: number;
    readonly maxWorkerProcesses: number;
    readonly maxParallelWorkers: number;
    readonly maxParallelWorkersPerGather: number;
}

/** CONNECTION LIMIT of each operator role; together with 2 for the admin they make up the admin headroom. */
export const OPERATOR_CONNECTION_LIMITS = { migrator: 3, auditor: 2, monitor: 3 } as const;
/** Headroom the admin keeps beyond the operator roles (a human with psql, `pulumi up`'s provider). */
export const ADMIN_CONNECTIONS = 2;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** Pure: sizing for an instance class. */
export function sizeFor(cls: InstanceClass): Sizing {
    const ramKiB = cls.memoryGiB * KIB_PER_GIB;
    const maxConnections = clamp(Math.floor(cls.memoryGiB * 25), 100, 5000);
    const superuserReservedConnections = 3;
    const adminHeadroomConnections =
        Object.values(OPERATOR_CONNECTION_LIMITS).reduce((a, b) => a + b, 0) + ADMIN_CONNECTIONS;
    const sharedBuffersKiB = ramKiB / 4;
    const workMemKiB = clamp(
        Math.floor((ramKiB - sharedBuffersKiB) / (maxConnections * 3)),
        4 * KIB_PER_MIB,
        64 * KIB_PER_MIB,
    );
    return {
        sharedBuffersPages: Math.floor(sharedBuffersKiB / 8),
        effectiveCacheSizePages: Math.floor((ramKiB * 3) / 4 / 8),
        // Rounded down to whole MiB so the value reads back the same from SHOW.
        workMemKiB: Math.floor(workMemKiB / KIB_PER_MIB) * KIB_PER_MIB,
        maintenanceWorkMemKiB: clamp(Math.floor(ramKiB / 16), 64 * KIB_PER_MIB, 2 * KIB_PER_GIB),
        maxConnections,
        superuserReservedConnections,
        adminHeadroomConnections,
        connectionBudget: maxConnections - superuserReservedConnections - adminHeadroomConnections,
        autovacuumMaxWorkers: clamp(Math.floor(cls.vcpus / 2), 3, 8),
        maxWorkerProcesses: Math.max(8, cls.vcpus + 4),
        maxParallelWorkers: cls.vcpus,
        maxParallelWorkersPerGather: clamp(Math.floor(cls.vcpus / 2), 1, 4),
    };
}
