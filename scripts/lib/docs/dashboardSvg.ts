/**
 * Pure: a picture of a CloudWatch dashboard body, so a reader sees the dashboard before anything is deployed. Works
 * from the body alone, whatever widgets it holds: each widget at its grid position (24 columns), its title, its
 * metrics as a legend, and each horizontal annotation (alarm threshold) as a dashed line at its value on the widget's
 * axis. There is no data: the lines and the legend are what the dashboard is made of.
 */

interface Widget {
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: {
        readonly title?: string;
        readonly metrics?: readonly unknown[];
        readonly annotations?: {
            readonly horizontal?: ReadonlyArray<{ readonly label?: string; readonly value: number }>;
        };
        readonly yAxis?: { readonly left?: { readonly min?: number; readonly max?: number } };
        readonly stat?: string;
    };
}

const COLUMN = 40;
const ROW = 38;
const PAD = 6;
const COLOURS = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#bcbd22"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Pure: a number as people read it on an axis: 0.99, 80, 309, 1.7 G, 2.1 G. */
export function axisNumber(v: number): string {
    const abs = Math.abs(v);
    if (abs >= 1e9) return `${+(v / 1e9).toFixed(1)} G`;
    if (abs >= 1e6) return `${+(v / 1e6).toFixed(1)} M`;
    if (abs >= 1e4) return `${+(v / 1e3).toFixed(1)} k`;
    return `${+v.toFixed(abs < 10 ? 2 : 0)}`;
}

/** Pure: a metric entry's legend text: its label, else its name (and the dimension that tells it apart). */
export function metricLabel(entry: unknown): string {
    if (!Array.isArray(entry)) {
        const e = (entry ?? {}) as { label?: string; id?: string };
        return e.label ?? e.id ?? "expression";
    }
    const m: readonly unknown[] = entry;
    const options = m.find((x) => x !== null && typeof x === "object" && !Array.isArray(x)) as
        | { label?: string; expression?: string }
        | undefined;
    if (options?.label) return options.label;
    const strings = m.filter((x): x is string => typeof x === "string");
    const checkAt = strings.indexOf("Check");
    return checkAt >= 0 ? `${strings[1]} (${strings[checkAt + 1]})` : (strings[1] ?? "expression");
}

/** Pure: `text` cut to `width` characters, with an ellipsis when cut. */
export const ellipsize = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Pure: the title wrapped at word boundaries into at most `rows` lines of `width` characters (the last one cut). */
export function wrapTitle(title: string, width: number, rows = 2): string[] {
    const lines: string[] = [];
    for (const word of title.split(" ")) {
        const last = lines[lines.length - 1];
        if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
        else lines.push(word);
    }
    const kept = lines.slice(0, rows);
    if (lines.length > rows) kept[rows - 1] = `${kept[rows - 1]} ${lines.slice(rows).join(" ")}`;
    return kept.map((l) => ellipsize(l, width));
}

/** Pure: label positions for lines at pixel heights `ys`: a label too close to the one above moves to the left end. */
export function labelSides(ys: readonly number[], gap = 11): Array<"right" | "left"> {
    const order = ys.map((y, i) => [y, i] as const).sort((a, b) => a[0] - b[0]);
    const sides: Array<"right" | "left"> = ys.map(() => "right");
    let lastRight = Number.NEGATIVE_INFINITY;
    for (const [y, i] of order) {
        if (y - lastRight < gap) sides[i] = "left";
        else lastRight = y;
    }
    return sides;
}

/** One widget: frame, title, legend, axis and threshold lines. */
function widgetSvg(w: Widget): string[] {
    const [x0, y0, wPx, hPx] = [w.x * COLUMN + PAD, w.y * ROW + PAD, w.width * COLUMN - PAD, w.height * ROW - PAD];
    const title = wrapTitle(w.properties.title ?? "(untitled)", Math.floor((wPx - 16) / 7.4));
    const metrics = (w.properties.metrics ?? []).map(metricLabel);
    const lines = w.properties.annotations?.horizontal ?? [];
    const out = [
        `<rect x="${x0}" y="${y0}" width="${wPx}" height="${hPx}" rx="3" fill="#fff" stroke="#c8ccd0"/>`,
        ...title.map(
            (t, i) =>
                `<text x="${x0 + 8}" y="${y0 + 16 + i * 14}" font-size="12" font-weight="bold" fill="#16191f">${esc(t)}</text>`,
        ),
    ];
    const top = y0 + 22 + title.length * 14;
    const legendRows = Math.ceil(metrics.length / 2);
    metrics.forEach((m, i) => {
        const [lx, ly] = [x0 + 8 + (i % 2) * (wPx / 2), top + Math.floor(i / 2) * 13];
        out.push(
            `<rect x="${lx}" y="${ly - 8}" width="9" height="9" fill="${COLOURS[i % COLOURS.length]}"/>`,
            `<text x="${lx + 13}" y="${ly}" font-size="10" fill="#414750">${esc(ellipsize(m, Math.floor((wPx / 2 - 20) / 5.7)))}</text>`,
        );
    });
    const plot = {
        x: x0 + 44,
        y: top + legendRows * 13 + 4,
        w: wPx - 54,
        h: y0 + hPx - 10 - (top + legendRows * 13 + 4),
    };
    const axis = w.properties.yAxis?.left ?? {};
    const min = axis.min ?? 0;
    const highest = Math.max(0, ...lines.map((l) => l.value));
    const max = axis.max ?? (highest > 0 ? highest * 1.25 : 1);
    const yOf = (v: number) => plot.y + plot.h - ((v - min) / (max - min || 1)) * plot.h;
    out.push(
        `<line x1="${plot.x}" y1="${plot.y}" x2="${plot.x}" y2="${plot.y + plot.h}" stroke="#879196"/>`,
        `<line x1="${plot.x}" y1="${plot.y + plot.h}" x2="${plot.x + plot.w}" y2="${plot.y + plot.h}" stroke="#879196"/>`,
        `<text x="${plot.x - 4}" y="${plot.y + plot.h + 3}" font-size="9" text-anchor="end" fill="#5f6b7a">${esc(axisNumber(min))}</text>`,
        `<text x="${plot.x - 4}" y="${plot.y + 8}" font-size="9" text-anchor="end" fill="#5f6b7a">${esc(axisNumber(max))}</text>`,
    );
    if (lines.length === 0)
        out.push(
            `<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h / 2}" font-size="10" text-anchor="middle" fill="#879196">no threshold line</text>`,
        );
    const ys = lines.map((l) => Math.max(plot.y, Math.min(plot.y + plot.h, yOf(l.value))));
    const sides = labelSides(ys);
    lines.forEach((l, i) => {
        const [y, right] = [ys[i].toFixed(1), sides[i] === "right"];
        out.push(
            `<line x1="${plot.x}" y1="${y}" x2="${plot.x + plot.w}" y2="${y}" stroke="#d13212" stroke-width="1.5" stroke-dasharray="5,3"/>`,
            `<text x="${right ? plot.x + plot.w - 2 : plot.x + 4}" y="${ys[i] - 3}" font-size="9" text-anchor="${right ? "end" : "start"}" fill="#d13212">${esc(`${l.label ?? ""} ${axisNumber(l.value)}`.trim())}</text>`,
        );
    });
    return out;
}

/** Pure: the dashboard body as one SVG document. */
export function renderDashboardSvg(body: { readonly widgets: readonly unknown[] }, title: string): string {
    const widgets = body.widgets as readonly Widget[];
    const width = 24 * COLUMN + PAD;
    const height = Math.max(...widgets.map((w) => (w.y + w.height) * ROW), ROW) + PAD + 30;
    return [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
        `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
        `<text x="${PAD + 2}" y="20" font-size="15" font-weight="bold" fill="#16191f">${esc(title)}</text>`,
        `<g transform="translate(0, 30)">`,
        ...widgets.flatMap(widgetSvg),
        "</g>",
        "</svg>",
        "",
    ].join("\n");
}
