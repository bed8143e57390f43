/**
 * An index advisor on HypoPG: for the statements that took the most time (pg_stat_statements), the planner's cost
 * of each candidate index (candidates.ts) is measured with the index only hypothetical, and the best is reported
 * with its estimated gain. Statements are planned generically (plan_cache_mode = force_generic_plan), as
 * pg_stat_statements keeps them with their constants as $n. Nothing is built: the output is DDL to review.
 */
import type { Client } from "pg";
import { type Candidate, candidateDdl, candidatesFromPlan, type PlanNode } from "./candidates";

export interface Advice {
    readonly query: string;
    readonly calls: number;
    readonly totalMs: number;
    readonly meanMs: number;
    readonly cost: number;
    readonly best?: { readonly ddl: string; readonly cost: number; readonly gain: number };
}

/** The statements an advisor can plan: SELECTs of this database, not the tools' own catalog queries. */
const TOP_SQL = `SELECT query, calls::bigint AS calls, total_exec_time AS total, mean_exec_time AS mean
  FROM ext.pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
 WHERE d.datname = current_database() AND query ~* '^\\s*(select|with)\\s'
   AND query !~* '(pg_catalog|pg_stat|information_schema|hypopg|EXPLAIN)'
 ORDER BY total_exec_time DESC LIMIT $1`;

async function genericCost(client: Client, query: string): Promise<{ cost: number; plan: PlanNode } | undefined> {
    await client.query("DEALLOCATE ALL");
    try {
        await client.query(`PREPARE advisor_statement AS ${query}`);
    } catch {
        return undefined; // a parameter whose type the statement alone does not determine
    }
    const [{ n }] = (
        await client.query(
            "SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = 'advisor_statement'",
        )
    ).rows;
    const args = n > 0 ? `(${Array(n).fill("NULL").join(", ")})` : "";
    const [row] = (await client.query(`EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE advisor_statement${args}`)).rows;
    const plan = row["QUERY PLAN"][0].Plan as PlanNode & { "Total Cost": number };
    return { cost: plan["Total Cost"], plan };
}

async function tryCandidate(client: Client, query: string, c: Candidate): Promise<number | undefined> {
    try {
        await client.query("SELECT ext.hypopg_create_index($1)", [candidateDdl(c)]);
        return (await genericCost(client, query))?.cost;
    } catch {
        return undefined; // e.g. a column the candidate names that is an expression in this table
    } finally {
        await client.query("SELECT ext.hypopg_reset()");
    }
}

async function adviseOne(client: Client, row: { query: string; calls: string; total: number; mean: number }) {
    const base = await genericCost(client, row.query);
    if (!base) return undefined;
    let best: Advice["best"];
    for (const c of candidatesFromPlan(base.plan)) {
        const cost = await tryCandidate(client, row.query, c);
        if (cost !== undefined && cost < (best?.cost ?? base.cost))
            best = { ddl: candidateDdl(c, true), cost, gain: Number((1 - cost / base.cost).toFixed(3)) };
    }
    return { query: row.query, calls: Number(row.calls), totalMs: row.total, meanMs: row.mean, cost: base.cost, best };
}

/** Advice for the `top` statements by total time; creates HypoPG in schema ext if it is missing. */
export async function adviseIndexes(client: Client, top = 10): Promise<Advice[]> {
    await client.query("CREATE EXTENSION IF NOT EXISTS hypopg WITH SCHEMA ext");
    await client.query("SET plan_cache_mode = force_generic_plan");
    const { rows } = await client.query(TOP_SQL, [top]);
    const out: Advice[] = [];
    try {
        for (const row of rows) {
            const advice = await adviseOne(client, row);
            if (advice) out.push(advice);
        }
    } finally {
        await client.query("DEALLOCATE ALL");
        await client.query("RESET plan_cache_mode");
    }
    return out;
}
