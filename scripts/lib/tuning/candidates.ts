/**
 * Pure: candidate indexes for a statement, read from its generic plan. For each scan of a table, the columns its
 * filter compares for equality, then the one it compares by range or sorts on, in the order a B-tree can serve:
 * equality columns first (any order serves them; the plan's order is kept), then one range or sort column.
 */

export interface PlanNode {
    readonly "Node Type": string;
    readonly "Relation Name"?: string;
    readonly Schema?: string;
    readonly Alias?: string;
    readonly Filter?: string;
    readonly "Index Cond"?: string;
    readonly "Recheck Cond"?: string;
    readonly "Sort Key"?: readonly string[];
    readonly Plans?: readonly PlanNode[];
}

export interface Candidate {
    readonly table: string;
    readonly columns: readonly string[];
}

const IDENT = String.raw`(?:\w+\.)?"?([a-z_][a-z0-9_]*)"?`;
const EQUALITY = new RegExp(String.raw`\(${IDENT} = (?:\$\d+|'[^']*'|ANY|\d)`, "g");
const RANGE = new RegExp(String.raw`\(${IDENT} (?:<|>|<=|>=) `, "g");

/** Pure: the columns a plan condition compares for equality and by range, in order of appearance. */
export function conditionColumns(condition: string): { equality: string[]; range: string[] } {
    const pick = (re: RegExp) => [...new Set([...condition.matchAll(re)].map((m) => m[1]))];
    const equality = pick(EQUALITY);
    return { equality, range: pick(RANGE).filter((c) => !equality.includes(c)) };
}

/** Pure: the sort columns of a Sort node's keys ("t.updated_at DESC" -> updated_at), when all are plain columns. */
export function sortColumns(keys: readonly string[] | undefined): string[] {
    const out: string[] = [];
    for (const key of keys ?? []) {
        const m = /^(?:\w+\.)?"?([a-z_][a-z0-9_]*)"?(?: (?:ASC|DESC))?(?: NULLS (?:FIRST|LAST))?$/.exec(key.trim());
        if (!m) return [];
        out.push(m[1]);
    }
    return out;
}

function scans(node: PlanNode, sort: string[], out: Array<{ node: PlanNode; sort: string[] }>) {
    const here = node["Node Type"] === "Sort" ? sortColumns(node["Sort Key"]) : sort;
    if (node["Relation Name"]) out.push({ node, sort: here });
    for (const child of node.Plans ?? []) scans(child, node["Node Type"] === "Sort" ? here : [], out);
    return out;
}

/** Pure: candidate indexes for every table scan in a plan, without duplicates and without single-column repeats. */
export function candidatesFromPlan(plan: PlanNode): Candidate[] {
    const out = new Map<string, Candidate>();
    for (const { node, sort } of scans(plan, [], [])) {
        const table = `${node.Schema ?? "public"}.${node["Relation Name"]}`;
        const cond = [node.Filter, node["Index Cond"], node["Recheck Cond"]].filter(Boolean).join(" AND ");
        const { equality, range } = conditionColumns(cond);
        const tails = [...range.slice(0, 1).map((c) => [c]), sort.filter((c) => !equality.includes(c)), []];
        for (const tail of tails) {
            const columns = [...equality, ...tail];
            if (columns.length === 0) continue;
            out.set(`${table}(${columns.join(",")})`, { table, columns });
        }
    }
    return [...out.values()];
}

/** Pure: the DDL of a candidate, as HypoPG takes it and as an operator would run it (CONCURRENTLY). */
export function candidateDdl(c: Candidate, concurrently = false): string {
    return `CREATE INDEX ${concurrently ? "CONCURRENTLY " : ""}ON ${c.table} (${c.columns.join(", ")})`;
}
