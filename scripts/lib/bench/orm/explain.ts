/**
 * EXPLAIN (ANALYZE, BUFFERS) of one statement for sampled users, in a tenant transaction as the benchmark runs it:
 * buffers per execution (median and max), the plan's access paths, planning time and planning buffers, rows, and
 * the distinct heap pages that hold the returned rows (what a cold cache would have to read from disk).
 */
import type { Client } from "pg";
import { heapPagesSql, inline, paramsSelect } from "./script";

export interface ExplainSummary {
    readonly samples: number;
    readonly buffers: { readonly median: number; readonly max: number };
    /** Median planning time, ms (the session's catalog caches warm). */
    readonly planningMs: number;
    /** Median shared buffers read while planning. */
    readonly planningBuffers: number;
    readonly rows: number;
    /** The access paths of the most common plan, e.g. "Index Only Scan using tasks_recent_cover_idx". */
    readonly plan: string;
    /** Median distinct heap pages of the returned rows; undefined where not meaningful (aggregates, joins). */
    readonly heapPages?: number;
}

interface PlanNode {
    "Node Type": string;
    "Index Name"?: string;
    "Relation Name"?: string;
    Plans?: PlanNode[];
}

/** Pure: the access paths of a plan tree, in order, without repeats ("Seq Scan on x", "Index Scan using y"). */
export function accessPaths(node: PlanNode): string[] {
    const own = node["Index Name"]
        ? [`${node["Node Type"]} using ${node["Index Name"]}`]
        : node["Node Type"] === "Seq Scan"
          ? [`Seq Scan on ${node["Relation Name"]}`]
          : [];
    const all = [...own, ...(node.Plans ?? []).flatMap(accessPaths)];
    return [...new Set(all)];
}

/** Pure: partition scans named once, as "... (N partitions)", so a plan over 19 partitions stays readable. */
export function summarizePaths(paths: readonly string[]): string {
    const counts = new Map<string, number>();
    for (const p of paths) {
        const key = p.replace(/\b(\w+?)_(?:p\d{4}_\d{2}|default)(_\w+)?\b/, "$1_<partition>$2");
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()].map(([p, n]) => (n > 1 ? `${p} (${n} partitions)` : p)).join(", ");
}

export const median = (xs: readonly number[]) => {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function explainOne(client: Client, sql: string, n: number) {
    await client.query("BEGIN");
    try {
        const [values] = (await client.query(paramsSelect(`n = ${n}`))).rows;
        await client.query(`SELECT app.set_tenant((SELECT user_id FROM bench.orm_params WHERE n = ${n}))`);
        const statement = inline(sql, values);
        const [row] = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement}`)).rows;
        const out = row["QUERY PLAN"][0];
        const pagesSql = heapPagesSql(statement);
        const pages = pagesSql ? Number((await client.query(pagesSql)).rows[0].pages) : undefined;
        return { out, pages };
    } finally {
        await client.query("COMMIT");
    }
}

/** Samples `users` (bench.orm_params row numbers) with `client` (connected as the role of the variant). */
export async function explainSample(client: Client, sql: string, users: readonly number[]): Promise<ExplainSummary> {
    await explainOne(client, sql, users[0]); // warms the session's catalog caches for this statement's relations
    const buffers: number[] = [];
    const planning: number[] = [];
    const planningBuffers: number[] = [];
    const rows: number[] = [];
    const pages: number[] = [];
    const plans = new Map<string, number>();
    for (const n of users) {
        const { out, pages: p } = await explainOne(client, sql, n);
        const top = out.Plan;
        buffers.push(Number(top["Shared Hit Blocks"] ?? 0) + Number(top["Shared Read Blocks"] ?? 0));
        planning.push(Number(out["Planning Time"]));
        planningBuffers.push(
            Number(out.Planning?.["Shared Hit Blocks"] ?? 0) + Number(out.Planning?.["Shared Read Blocks"] ?? 0),
        );
        rows.push(Number(top["Actual Rows"]));
        if (p !== undefined) pages.push(p);
        const plan = summarizePaths(accessPaths(top));
        plans.set(plan, (plans.get(plan) ?? 0) + 1);
    }
    const plan = [...plans.entries()].sort((a, b) => b[1] - a[1])[0][0];
    return {
        samples: users.length,
        buffers: { median: median(buffers), max: Math.max(...buffers) },
        planningMs: Number(median(planning).toFixed(3)),
        planningBuffers: median(planningBuffers),
        rows: median(rows),
        plan,
        heapPages: pages.length ? median(pages) : undefined,
    };
}
