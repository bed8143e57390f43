/**
 * RDS Proxy's pool, from the same connection budget as PgBouncer's: the proxy takes a percentage of the instance's
 * max_connections, so the percentage is the budget over max_connections, rounded down (never above the budget).
 */
import type { Sizing } from "../settings/sizing";

export interface ProxyPool {
    /** maxConnectionsPercent of the default target group. */
    readonly maxConnectionsPercent: number;
    /** maxIdleConnectionsPercent: idle server connections the proxy keeps, as a share of max_connections. */
    readonly maxIdleConnectionsPercent: number;
    /** Server connections the proxy may open: floor(max_connections x percent / 100). */
    readonly connections: number;
}

/** Pure: the proxy's pool percentages for a sizing. */
export function proxyPool(size: Pick<Sizing, "maxConnections" | "connectionBudget">): ProxyPool {
    const maxConnectionsPercent = Math.floor((size.connectionBudget / size.maxConnections) * 100);
    if (maxConnectionsPercent < 1)
        throw new Error(
            `a budget of ${size.connectionBudget} of ${size.maxConnections} connections leaves RDS Proxy no pool`,
        );
    return {
        maxConnectionsPercent,
        maxIdleConnectionsPercent: Math.floor(maxConnectionsPercent / 2),
        connections: Math.floor((size.maxConnections * maxConnectionsPercent) / 100),
    };
}
