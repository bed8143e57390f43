/**
 * The fast load's index handling: inside the load's transaction, the secondary indexes of the (non-partitioned) app
 * tables are dropped before COPY and rebuilt after it, each from its own definition (pg_get_indexdef), with parallel
 * maintenance workers for the B-tree builds. Building an index once over sorted input costs a fraction of inserting
 * every row into it. Primary keys stay: the foreign keys depend on them. A rollback restores every index.
 */
import * as os from "os";
import type { Client } from "pg";

export interface IndexDefinition {
    readonly name: string;
    readonly definition: string;
}

/** Indexes on app's ordinary tables that back no constraint, largest tables first (they take longest to build). */
const SECONDARY_SQL = `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
 WHERE t.relnamespace = 'app'::regnamespace AND t.relkind = 'r' AND NOT t.relispartition
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
   AND ($1::text[] IS NULL OR t.relname = ANY ($1))
 ORDER BY t.relname, 1`;

/** Drops the secondary indexes of `tables` (default: every app table) in the caller's transaction. */
export async function dropSecondaryIndexes(client: Client, tables?: readonly string[]): Promise<IndexDefinition[]> {
    const indexes = (await client.query(SECONDARY_SQL, [tables ?? null])).rows as IndexDefinition[];
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    return indexes;
}

/** Pure: parallel workers for an index build on a machine with `cpus` cores (the leader works too). */
export function maintenanceWorkers(cpus: number): number {
    return Math.max(1, Math.min(4, cpus - 1));
}

export async function rebuildIndexes(client: Client, indexes: readonly IndexDefinition[]): Promise<void> {
    await client.query(`SET LOCAL max_parallel_maintenance_workers = ${maintenanceWorkers(os.cpus().length)}`);
    for (const index of indexes) await client.query(index.definition);
}
