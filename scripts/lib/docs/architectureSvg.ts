/**
 * Pure: docs/architecture.svg, the packages and their allowed imports, drawn from the same table the layering test
 * checks (scripts/lib/architecture/layers.ts). An arrow A -> B means "A may import B"; a dashed one, "reads files".
 */
import { LAYERS, type Layer, type PackageRule } from "../architecture/layers";
import { type Arrow, type Box, type Layout, layout } from "./diagram/layout";

const LEAF_W = 210;
const INNER_W = 150;
const LINE = 14;
const HEADER = 44;
const PAD = 14;
const INK = "#1f2937";
const FILL: Record<string, string> = {
    "test/": "#f3f4f6",
    "index.ts": "#fde68a",
    "scripts/": "#e9d5ff",
    "config.ts": "#fed7aa",
    "components/": "#dbeafe",
    "policies/": "#fecaca",
    "postgres/": "#dcfce7",
    "sql/": "#e5e7eb",
};

/** Pure: words wrapped to lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    for (const word of text.split(" ")) {
        const last = lines.length - 1;
        if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
        else lines.push(word);
    }
    return lines;
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface Node extends Box {
    readonly title: string;
    readonly lines: string[];
    readonly fill: string;
    /** For a layer of several packages: their own layout, drawn inside under the header. */
    readonly inner?: { readonly layout: Layout; readonly nodes: Map<string, Node> };
}

function leaf(id: string, title: string, what: string, w: number, fill: string): Node {
    const lines = wrap(what, Math.floor((w - 16) / 6.2));
    return { id, title, lines, w, h: 30 + LINE * lines.length, fill };
}

const layerOfPath = (path: string) => LAYERS.find((l) => path === l.name || path.startsWith(l.name))!;

/** Arrows between the packages of one layer; "the whole layer" (the core's packages among each other) draws none. */
function innerArrows(layer: Layer): Arrow[] {
    return layer.packages.flatMap((p) =>
        p.mayImport
            .filter((m) => m !== layer.name && layerOfPath(m) === layer)
            .map((m): Arrow => ({ from: p.path, to: m })),
    );
}

function container(layer: Layer): Node {
    const label = (p: PackageRule) => (p.path === layer.name ? "*.ts" : p.path.slice(layer.name.length));
    const nodes = new Map(layer.packages.map((p) => [p.path, leaf(p.path, label(p), p.what, INNER_W, "#ffffff")]));
    const inner = layout([...nodes.values()], innerArrows(layer), 4);
    const free = layer.packages.some((p) => p.mayImport.includes(layer.name));
    const lines = [free ? `${layer.title}; its packages import each other` : layer.title];
    return {
        id: layer.name,
        title: layer.name,
        lines,
        w: inner.w + 2 * PAD,
        h: HEADER + inner.h + PAD,
        fill: FILL[layer.name] ?? "#ffffff",
        inner: { layout: inner, nodes },
    };
}

/** Arrows between layers: one per pair. A layer that may import every other one (the tests) is placed on top, undrawn. */
function layerArrows(): Arrow[] {
    const code = LAYERS.filter((l) => l.packages.some((p) => p.mayImport.length > 0 || l.name.endsWith(".ts")));
    const arrows: Arrow[] = [];
    for (const layer of LAYERS) {
        const targets = new Set(layer.packages.flatMap((p) => p.mayImport.map((m) => layerOfPath(m).name)));
        targets.delete(layer.name);
        const hidden = code.every((l) => l === layer || targets.has(l.name));
        for (const to of targets) arrows.push({ from: layer.name, to, hidden });
        if (hidden) continue;
        const reads = new Set(layer.packages.flatMap((p) => p.reads ?? []).map((r) => layerOfPath(r).name));
        for (const to of reads) arrows.push({ from: layer.name, to, dashed: true });
    }
    return arrows;
}

function text(x: number, y: number, s: string, size: number, weight = "normal"): string {
    return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${INK}">${xml(s)}</text>`;
}

function drawNode(node: Node, x: number, y: number): string[] {
    const out = [
        `<rect x="${x}" y="${y}" width="${node.w}" height="${node.h}" rx="6" fill="${node.fill}" stroke="${INK}" stroke-width="1"/>`,
        text(x + 8, y + 18, node.title, 13, "bold"),
        ...node.lines.map((l, i) => text(x + 8, y + 34 + i * LINE, l, 11)),
    ];
    if (node.inner) out.push(...drawLayout(node.inner.layout, node.inner.nodes, x + PAD, y + HEADER));
    return out;
}

function drawRoute(points: readonly [number, number][], dashed: boolean, dx: number, dy: number): string {
    const d = points.map(([px, py]) => `${px + dx},${py + dy}`).join(" ");
    const dash = dashed ? ` stroke-dasharray="5,4"` : "";
    return `<polyline points="${d}" fill="none" stroke="${INK}" stroke-width="1.3"${dash} marker-end="url(#arrow)"/>`;
}

function drawLayout(l: Layout, nodes: Map<string, Node>, dx: number, dy: number): string[] {
    return [
        ...l.boxes.flatMap((b) => drawNode(nodes.get(b.id)!, b.x + dx, b.y + dy)),
        ...l.routes.map((r) => drawRoute(r.points, r.arrow.dashed ?? false, dx, dy)),
    ];
}

/** Pure: the architecture picture as SVG text. */
export function renderArchitectureSvg(): string {
    const nodes = new Map(
        LAYERS.map((layer): [string, Node] => {
            const [only] = layer.packages;
            if (layer.packages.length > 1) return [layer.name, container(layer)];
            return [layer.name, leaf(layer.name, layer.name, only.what, LEAF_W, FILL[layer.name] ?? "#ffffff")];
        }),
    );
    const top = layout([...nodes.values()], layerArrows(), 3);
    const legendY = top.h + 8;
    const w = top.w;
    const h = legendY + 28;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif">`,
        `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${INK}"/></marker></defs>`,
        `<rect width="${w}" height="${h}" fill="#ffffff"/>`,
        ...drawLayout(top, nodes, 0, 0),
        text(
            24,
            legendY,
            "A \u2192 B: A may import B.  Dashed: reads files.  Everything else is refused by test/architecture/layering.test.ts.",
            11,
        ),
        text(24, legendY + 16, "Generated by npm run docs from scripts/lib/architecture/layers.ts.", 11),
        "</svg>",
        "",
    ].join("\n");
}
