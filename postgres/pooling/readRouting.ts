/**
 * Where reads go, as data any engine can produce. A read target is a host that serves reads and the server
 * connections it may take (its connection budget): each RDS read replica is one, and an Aurora reader endpoint is one
 * whose budget is its readers' together. The route is the targets, or the primary when there are none, so clients
 * keep one name for reads (PgBouncer's read database) whether replicas exist yet or not.
 *
 * Why not one DNS name over the replicas (a Route 53 record): RDS puts only the instance's own endpoint in its server
 * certificate, and libpq and PgBouncer check the name they dialled against it (`sslmode=verify-full`). A CNAME of our
 * own would pass only `verify-ca`, which any certificate from the shared RDS CA satisfies. PgBouncer dials each
 * replica by its own endpoint instead, round robin over the list, and verifies each.
 */
import { POSTGRES_PORT } from "../network/ports";
import { ROLE } from "../roles/names";
import type { PoolSizing } from "./poolSizing";
import { poolSizing } from "./poolSizing";

/** A host that serves reads, with the connections it may take. `H` is a string, or a deploy tool's deferred one. */
export interface ReadTarget<H = string> {
    /** Host name clients dial; it must match the server's certificate (verify-full). */
    readonly host: H;
    /** Server connections the read pool may open to it: its class's connection budget (all readers', for Aurora). */
    readonly connectionBudget: number;
}

/** Where the read pool goes: the targets, or the primary when there are none. */
export interface ReadRoute<H = string> {
    readonly servedBy: "replicas" | "primary";
    /** Hosts in the order PgBouncer dials them (round robin); the primary alone when served by it. */
    readonly hosts: readonly H[];
    /** Server connections the targets take together; 0 when the primary serves (the pool is carved from its own). */
    readonly budget: number;
}

/**
 * Pure: the route over `targets`, or to `primary` when there are none. PgBouncer spreads new server connections
 * evenly over a host list, so each host gets the same share: the smallest budget, times the number of hosts.
 */
export function readRoute<H>(targets: readonly ReadTarget<H>[], primary: H): ReadRoute<H> {
    if (targets.length === 0) return { servedBy: "primary", hosts: [primary], budget: 0 };
    for (const t of targets)
        if (!Number.isInteger(t.connectionBudget) || t.connectionBudget < 1)
            throw new Error(
                `a read target's connection budget must be a positive whole number, got ${t.connectionBudget}`,
            );
    const smallest = Math.min(...targets.map((t) => t.connectionBudget));
    return { servedBy: "replicas", hosts: targets.map((t) => t.host), budget: smallest * targets.length };
}

/** The read database's pools on each PgBouncer replica, and what is left of the write database's. */
export interface ReadPool {
    readonly servedBy: ReadRoute["servedBy"];
    /** Server connections one PgBouncer replica may open to the read targets (the read database's max_db_connections). */
    readonly perReplica: number;
    /** Pool per role in the read database: app (the backend's read-only URL) and readonly. */
    readonly poolSize: Readonly<Record<string, number>>;
    /** The write database's max_db_connections: its share, less the read pool when that is carved from the primary. */
    readonly writePerReplica: number;
    /** perReplica x PgBouncer replicas. */
    readonly total: number;
}

/**
 * Pure: the read pool next to the write pool `write`. On replicas, it is sized from their budget as the write pool is
 * from the primary's (80% app, 20% readonly). On the primary, it is the readonly share the write pool already holds,
 * moved to the read database: the two databases together never open more than the write pool's share.
 */
export function readPool(write: PoolSizing, route: Pick<ReadRoute<unknown>, "servedBy" | "budget">): ReadPool {
    if (route.servedBy === "replicas") {
        const read = poolSizing(route.budget, write.replicas);
        return {
            servedBy: "replicas",
            perReplica: read.perReplica,
            poolSize: read.poolSize,
            writePerReplica: write.perReplica,
            total: read.total,
        };
    }
    const carved = write.poolSize[ROLE.readonly];
    if (carved === undefined) throw new Error(`the write pool has no ${ROLE.readonly} share to move to the read pool`);
    return {
        servedBy: "primary",
        perReplica: carved,
        poolSize: { [ROLE.app]: carved, [ROLE.readonly]: carved },
        writePerReplica: write.perReplica - carved,
        total: carved * write.replicas,
    };
}

/**
 * Pure: the server connections every PgBouncer replica may open together, over the write database and the read one
 * over `targets` (RDS replicas, an Aurora reader endpoint, or none: the primary). The dashboard draws it as
 * PgBouncer's share of the budgets.
 */
export function pgbouncerServerConnections(write: PoolSizing, targets: readonly ReadTarget<unknown>[]): number {
    const read = readPool(write, readRoute(targets, undefined));
    return write.replicas * (read.writePerReplica + read.perReplica);
}

/** The read database's name in PgBouncer, beside the write database's own. */
export const readDatabaseName = (database: string) => `${database}_ro`;

/**
 * Pure: a libpq URL for reads, without a password. Several hosts become a multi-host URL that lands on a standby and
 * spreads connections (libpq 16+ for `load_balance_hosts`); every host is verified against its certificate.
 */
export function readOnlyUrl(r: {
    readonly user: string;
    readonly hosts: readonly string[];
    readonly database: string;
    readonly port?: number;
}): string {
    if (r.hosts.length === 0) throw new Error("a read-only URL needs at least one host");
    const port = r.port ?? POSTGRES_PORT;
    const hosts = r.hosts.map((h) => `${h}:${port}`).join(",");
    const several = r.hosts.length > 1 ? "&target_session_attrs=standby&load_balance_hosts=random" : "";
    return `postgresql://${r.user}@${hosts}/${r.database}?sslmode=verify-full${several}`;
}
