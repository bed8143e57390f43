/**
 * PgBouncer pool sizes computed from the database, not guessed: the connection budget (max_connections minus the
 * superuser reserve and the admin headroom, settings/sizing.ts) is divided across PgBouncer replicas, and each
 * replica's share across the pooled roles. `max_db_connections` caps each replica at its share, so the sum over all
 * replicas never exceeds the budget, whatever the clients do.
 */
import { ROLE } from "../roles/names";

export interface PoolUser {
    readonly role: string;
    /** Fraction of a replica's share; the shares sum to 1. */
    readonly share: number;
}

export interface PoolSizing {
    readonly replicas: number;
    /** Server connections one replica may open in total (max_db_connections). */
    readonly perReplica: number;
    /** default_pool_size per (database, role) on one replica. */
    readonly poolSize: Readonly<Record<string, number>>;
    /** perReplica x replicas: never above the budget. */
    readonly total: number;
}

/** The app's pools: the backend gets most; readonly (support, reports) a fifth. */
export const DEFAULT_POOL_USERS: readonly PoolUser[] = [
    { role: ROLE.app, share: 0.8 },
    { role: ROLE.readonly, share: 0.2 },
];

/** Pure: pool sizes for `replicas` PgBouncer instances sharing `connectionBudget` server connections. */
export function poolSizing(
    connectionBudget: number,
    replicas: number,
    users: readonly PoolUser[] = DEFAULT_POOL_USERS,
): PoolSizing {
    if (!Number.isInteger(replicas) || replicas < 1)
        throw new Error(`replicas must be a positive whole number, got ${replicas}`);
    const shares = users.reduce((s, u) => s + u.share, 0);
    if (Math.abs(shares - 1) > 1e-9) throw new Error(`pool shares must sum to 1, got ${shares}`);
    const perReplica = Math.floor(connectionBudget / replicas);
    if (perReplica < users.length)
        throw new Error(`a budget of ${connectionBudget} connections cannot give ${replicas} replicas a pool per role`);
    const poolSize: Record<string, number> = {};
    for (const u of users) poolSize[u.role] = Math.max(1, Math.floor(perReplica * u.share));
    return { replicas, perReplica, poolSize, total: perReplica * replicas };
}

/**
 * Pure: the CONNECTION LIMIT of each pooled role. Each role gets its share of the budget rounded down, the largest
 * role the rest, so the limits sum to the budget exactly and the operators' headroom stays free. Every replica
 * count's pools fit inside them (floor(floor(budget / replicas) x share) x replicas <= floor(budget x share)).
 */
export function pooledRoleLimits(
    connectionBudget: number,
    users: readonly PoolUser[] = DEFAULT_POOL_USERS,
): Record<string, number> {
    const largest = users.reduce((a, b) => (b.share > a.share ? b : a));
    const limits: Record<string, number> = {};
    for (const u of users) if (u !== largest) limits[u.role] = Math.floor(connectionBudget * u.share);
    limits[largest.role] = connectionBudget - Object.values(limits).reduce((a, b) => a + b, 0);
    return limits;
}
