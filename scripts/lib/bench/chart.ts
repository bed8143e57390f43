/**
 * Pure: grouped bar charts as SVG (no plotting dependency), for the benchmark reports. A chart is one or more panels
 * stacked vertically, each with its own axis, so figures of different magnitudes (a naive schema's seconds next to
 * milliseconds) never squash each other. Latency panels use a log axis; group labels are slanted so they never overlap.
 */
export interface Series {
    readonly name: string;
    readonly values: readonly number[];
    /** Fill colour; by default the series' place in the palette. */
    readonly color?: string;
}

export interface Panel {
    readonly title: string;
    /** Axis label, e.g. "ms (log scale)". */
    readonly unit: string;
    readonly groups: readonly string[];
    readonly series: readonly Series[];
    readonly scale: "linear" | "log";
    /** A target drawn as a dashed line, e.g. { value: 20, label: "goal: 20" }. */
    readonly goal?: { readonly value: number; readonly label: string };
}

const COLORS = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#ca8a04"];
const WIDTH = 820;
const LEFT = 70;
const RIGHT = 20;
const PLOT_H = 220;
const FONT_PX = 12;
/** Width of a character at 12 px sans-serif, generously: labels are laid out from it. */
const CHAR_W = 7;
export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Pure: the axis of a panel: where a value sits (0 at the bottom, 1 at the top) and the tick values. */
export function axis(
    values: readonly number[],
    scale: Panel["scale"],
): { pos: (v: number) => number; ticks: number[] } {
    const finite = values.filter((v) => Number.isFinite(v) && (scale === "linear" || v > 0));
    if (scale === "linear") {
        const step = niceCeil(Math.max(1e-9, ...finite) / 4);
        const top = step * Math.ceil(Math.max(1e-9, ...finite) / step);
        const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
        return { pos: (v) => v / top, ticks };
    }
    const lo = Math.floor(Math.log10(Math.min(...finite, 1)));
    const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...finite, 1))));
    const ticks: number[] = [];
    // Up to two decades get 2 and 5 as well, so a short axis still has a tick to read values against.
    const steps = hi - lo <= 2 ? [1, 2, 5] : [1];
    for (let e = lo; e <= hi; e++) for (const m of steps) if (e < hi || m === 1) ticks.push(m * 10 ** e);
    return { pos: (v) => (Math.log10(v) - lo) / (hi - lo), ticks };
}

/** Pure: the smallest of 1, 2, 2.5, 5 x 10^k at or above v. */
export function niceCeil(v: number): number {
    const p = 10 ** Math.floor(Math.log10(v));
    return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v * (1 - 1e-12)) ?? 10) * p;
}

/** Pure: a tick label: 0.01, 0.1, 1, 10, 100, 1,000, 10,000. */
export function tickLabel(v: number): string {
    if (v === 0) return "0";
    if (v >= 1000) return Math.round(v).toLocaleString("en");
    if (v >= 1) return String(Number(v.toPrecision(3)));
    return String(Number(v.toPrecision(2)));
}

/** Pure: how far below the plot slanted labels reach (sin 40 deg of the longest label, plus a margin). */
function labelDepth(groups: readonly string[]): number {
    const longest = Math.max(1, ...groups.map((g) => g.length));
    return Math.ceil(longest * CHAR_W * 0.65) + 24;
}

function panelSvg(p: Panel, top: number): { parts: string[]; height: number } {
    const plotW = WIDTH - LEFT - RIGHT;
    const { pos, ticks } = axis([...p.series.flatMap((s) => s.values), ...(p.goal ? [p.goal.value] : [])], p.scale);
    const y = (v: number) => top + 24 + PLOT_H - PLOT_H * Math.min(1, Math.max(0, pos(v)));
    const base = top + 24 + PLOT_H;
    const parts = [`<text x="${LEFT}" y="${top + 14}" font-size="14" font-weight="bold">${esc(p.title)}</text>`];
    for (const t of ticks)
        parts.push(
            `<line x1="${LEFT}" y1="${y(t)}" x2="${WIDTH - RIGHT}" y2="${y(t)}" stroke="#ddd"/>`,
            `<text x="${LEFT - 6}" y="${y(t) + 4}" text-anchor="end">${tickLabel(t)}</text>`,
        );
    const mid = top + 24 + PLOT_H / 2;
    parts.push(
        `<text x="14" y="${mid}" transform="rotate(-90 14 ${mid})" text-anchor="middle">${esc(p.unit)}</text>`,
        `<line x1="${LEFT}" y1="${base}" x2="${WIDTH - RIGHT}" y2="${base}" stroke="#333"/>`,
    );
    const groupW = plotW / Math.max(1, p.groups.length);
    const barW = Math.max(3, (groupW - 8) / Math.max(1, p.series.length));
    p.groups.forEach((g, gi) => {
        const x0 = LEFT + gi * groupW + 4;
        p.series.forEach((s, si) => {
            const v = s.values[gi];
            const x = x0 + si * barW;
            if (!Number.isFinite(v) || (p.scale === "log" && v <= 0)) {
                parts.push(`<text x="${x + barW / 2}" y="${base - 4}" text-anchor="middle" fill="#b91c1c">x</text>`);
                return;
            }
            const h = base - y(v);
            parts.push(
                `<rect x="${x.toFixed(1)}" y="${(base - h).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color ?? COLORS[si % COLORS.length]}"><title>${esc(s.name)} ${esc(g)}: ${v}</title></rect>`,
            );
        });
        const lx = x0 + (p.series.length * barW) / 2;
        parts.push(
            `<text x="${lx.toFixed(1)}" y="${base + 14}" text-anchor="end" transform="rotate(-40 ${lx.toFixed(1)} ${base + 14})">${esc(g)}</text>`,
        );
    });
    // The goal over the bars, its label haloed in white so a bar never hides it.
    if (p.goal)
        parts.push(
            `<line x1="${LEFT}" y1="${y(p.goal.value)}" x2="${WIDTH - RIGHT}" y2="${y(p.goal.value)}" stroke="#b91c1c" stroke-dasharray="6 4"/>`,
            `<text x="${WIDTH - RIGHT - 4}" y="${y(p.goal.value) - 4}" text-anchor="end" fill="#b91c1c" stroke="white" stroke-width="4" paint-order="stroke">${esc(p.goal.label)}</text>`,
        );
    let legendY = base + labelDepth(p.groups);
    let lx = LEFT;
    p.series.forEach((s, si) => {
        const w = 16 + s.name.length * CHAR_W + 24;
        if (lx > LEFT && lx + w > WIDTH - RIGHT) {
            lx = LEFT;
            legendY += 20;
        }
        parts.push(
            `<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="${s.color ?? COLORS[si % COLORS.length]}"/>`,
            `<text x="${lx + 16}" y="${legendY}">${esc(s.name)}</text>`,
        );
        lx += w;
    });
    return { parts, height: legendY - top + 16 };
}

/** Pure: panels stacked vertically under a title, as one SVG document. */
export function chart(title: string, panels: readonly Panel[]): string {
    const parts: string[] = [];
    let top = 36;
    for (const p of panels) {
        const panel = panelSvg(p, top);
        parts.push(...panel.parts);
        top += panel.height + 12;
    }
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="sans-serif" font-size="${FONT_PX}">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="16">${esc(title)}</text>`,
        ...parts,
        "</svg>",
        "",
    ].join("\n");
}

/** Pure: one linear panel (throughput charts), kept for callers that have a single series set. */
export function barChart(title: string, unit: string, groups: readonly string[], series: readonly Series[]): string {
    return chart(title, [{ title: "", unit, groups, series, scale: "linear" }]);
}
