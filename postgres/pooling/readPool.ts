/**
 * PgBouncer's databases for a primary with standbys: the database itself on the primary (reads and writes); a read
 * pool (`<database>_ro`) over the standbys, or on the primary when there is none; and one pool per standby
 * (`<database>_<standby>`) to reach a given standby through the pooler. The read-only role's pooled URL names the read
 * pool; a client that must read its own writes uses the primary's.
 */
import { multiHostProblem, type PgbouncerDatabase, type PgbouncerVersion } from "./pgbouncerIni";

/** A server PgBouncer connects to. */
export interface PoolServer {
    readonly host: string;
    readonly port: number;
}

export interface PoolStandby extends PoolServer {
    /** Its name (a database name suffix: lower case letters, digits, underscores). */
    readonly name: string;
}

/** Pure: the read pool's database name for `database`. */
export function readPoolName(database: string): string {
    return `${database}_ro`;
}

/**
 * Pure: whether a PgBouncer spreads one database over several hosts with TLS verify-full. From 1.17 a host list is
 * connected to round robin, but only from MULTI_HOST_VERIFY_FULL is each host checked against its own certificate.
 */
export function spreadsOverHosts(version: PgbouncerVersion): boolean {
    return multiHostProblem(version, 2) === undefined;
}

/**
 * Pure: the `[databases]` entries. A host list takes one port for every host, so standbys must share one (each on
 * its own address, as replicas do). Where the PgBouncer cannot spread a pool over hosts, the read pool is the first
 * standby's and the others are reached through their own pools.
 */
export function poolDatabases(
    database: string,
    primary: PoolServer,
    standbys: readonly PoolStandby[],
    version: PgbouncerVersion,
): PgbouncerDatabase[] {
    const ports = [...new Set(standbys.map((s) => s.port))];
    if (ports.length > 1)
        throw new Error(
            `read pool ${readPoolName(database)}: standbys listen on ports ${ports.join(", ")}; PgBouncer takes one port per database entry, so give them one port on different hosts`,
        );
    for (const s of standbys)
        if (!/^[a-z][a-z0-9_]*$/.test(s.name))
            throw new Error(
                `standby name ${s.name}: lower case letters, digits and underscores, starting with a letter`,
            );
    const readers = spreadsOverHosts(version) ? standbys : standbys.slice(0, 1);
    const reader: PoolServer =
        readers.length > 0 ? { host: readers.map((s) => s.host).join(","), port: readers[0].port } : primary;
    const entry = (name: string, server: PoolServer): PgbouncerDatabase => ({
        name,
        host: server.host,
        port: server.port,
        dbname: database,
    });
    return [
        entry(database, primary),
        entry(readPoolName(database), reader),
        ...standbys.map((s) => entry(`${database}_${s.name}`, s)),
    ];
}
