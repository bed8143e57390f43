/** Pure: an import graph judged against the package table (layers.ts), and the import cycles in it. */
import type { ImportEdge } from "./importGraph";
import { PACKAGES, type PackageRule } from "./layers";

function holds(rule: PackageRule, file: string): boolean {
    if (!rule.path.endsWith("/")) return file === rule.path;
    if (!file.startsWith(rule.path)) return false;
    return rule.deep || !file.slice(rule.path.length).includes("/");
}

/** The package a project file belongs to: the most specific one that holds it. */
export function packageOf(file: string, packages: readonly PackageRule[] = PACKAGES): PackageRule | undefined {
    return packages.filter((p) => holds(p, file)).sort((a, b) => b.path.length - a.path.length)[0];
}

/** Whether `from` may import `to`: itself, or a package its rule names (a folder names everything beneath it). */
export function mayImport(from: PackageRule, to: PackageRule): boolean {
    return from === to || from.mayImport.some((m) => to.path === m || (m.endsWith("/") && to.path.startsWith(m)));
}

function describe(edge: ImportEdge): string {
    return `${edge.from}:${edge.line} imports "${edge.specifier}"${edge.typeOnly ? " (type only)" : ""}`;
}

function judge(edge: ImportEdge, packages: readonly PackageRule[]): string | undefined {
    const from = packageOf(edge.from, packages);
    if (!from) return undefined; // reported once per file by unpackagedFiles
    if (edge.pkg !== undefined) {
        const refused = from.refuses?.find((r) => r.pattern.test(edge.pkg!));
        return refused && `${describe(edge)}: ${from.path} must not import ${refused.what} packages`;
    }
    const to = packageOf(edge.to!, packages);
    if (!to) return `${describe(edge)}: ${edge.to} belongs to no package of the rule table`;
    if (mayImport(from, to)) return undefined;
    const allowed = from.mayImport.length ? from.mayImport.join(", ") : "nothing else";
    return `${describe(edge)}: ${from.path} may not import ${to.path} (allowed: ${allowed})`;
}

/** One line per import that breaks the table, naming the file, the line, the import and the rule. */
export function layeringViolations(edges: readonly ImportEdge[], packages = PACKAGES): string[] {
    return edges.map((e) => judge(e, packages)).filter((v): v is string => v !== undefined);
}

/** Files no package of the table holds (a new folder must be placed in the architecture before it is used). */
export function unpackagedFiles(files: readonly string[], packages = PACKAGES): string[] {
    return files.filter((f) => !packageOf(f, packages));
}

/** Strongly connected components of a directed graph (Tarjan), each sorted, in a stable order. */
function components(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const out: string[][] = [];
    const visit = (v: string): void => {
        index.set(v, index.size);
        low.set(v, index.get(v)!);
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) !== index.get(v)) return;
        const scc: string[] = [];
        for (let w = stack.pop()!; ; w = stack.pop()!) {
            onStack.delete(w);
            scc.push(w);
            if (w === v) break;
        }
        out.push(scc.sort());
    };
    for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
    return out;
}

/** The shortest path from `start` back to itself inside `members` (breadth first). */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, start: string, members: Set<string>): string[] {
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length) {
        const v = queue.shift()!;
        for (const w of graph.get(v) ?? []) {
            if (!members.has(w)) continue;
            if (w === start) {
                const path = [v];
                while (path[0] !== start) path.unshift(previous.get(path[0])!);
                return [...path, start];
            }
            if (!previous.has(w)) {
                previous.set(w, v);
                queue.push(w);
            }
        }
    }
    return [start, start];
}

/** Every import cycle among project files (type-only imports included), each as `a.ts -> b.ts -> a.ts`. */
export function importCycles(edges: readonly ImportEdge[]): string[] {
    const graph = new Map<string, string[]>();
    for (const e of edges) {
        if (e.to === undefined) continue;
        graph.set(e.from, [...new Set([...(graph.get(e.from) ?? []), e.to])].sort());
    }
    return components(graph)
        .filter((scc) => scc.length > 1 || (graph.get(scc[0]) ?? []).includes(scc[0]))
        .map((scc) => shortestCycle(graph, scc[0], new Set(scc)).join(" -> "));
}
