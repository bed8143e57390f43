/** Pure: a small grouped bar chart as SVG (no plotting dependency), for the benchmark reports. */
export interface Series {
    readonly name: string;
    readonly values: readonly number[];
}

const COLORS = ["#2563eb", "#16a34a", "#ea580c", "#9333ea", "#0891b2", "#ca8a04"];
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function barChart(title: string, unit: string, groups: readonly string[], series: readonly Series[]): string {
    const width = 760;
    const height = 360;
    const left = 70;
    const top = 40;
    const bottom = 60;
    const plotH = height - top - bottom;
    const max = Math.max(1, ...series.flatMap((s) => s.values.filter((v) => Number.isFinite(v))));
    const groupW = (width - left - 20) / Math.max(1, groups.length);
    const barW = Math.max(4, (groupW - 16) / Math.max(1, series.length));
    const parts: string[] = [
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
        `<rect width="100%" height="100%" fill="white"/>`,
        `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15">${esc(title)}</text>`,
        `<line x1="${left}" y1="${top + plotH}" x2="${width - 10}" y2="${top + plotH}" stroke="#333"/>`,
    ];
    for (let i = 0; i <= 4; i++) {
        const v = (max * i) / 4;
        const y = top + plotH - (plotH * i) / 4;
        parts.push(
            `<line x1="${left}" y1="${y}" x2="${width - 10}" y2="${y}" stroke="#ddd"/>`,
            `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${v >= 100 ? Math.round(v) : v.toFixed(2)}</text>`,
        );
    }
    parts.push(
        `<text x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${esc(unit)}</text>`,
    );
    groups.forEach((g, gi) => {
        const x0 = left + gi * groupW + 8;
        series.forEach((s, si) => {
            const v = s.values[gi];
            const x = x0 + si * barW;
            if (!Number.isFinite(v)) {
                parts.push(
                    `<text x="${x + barW / 2}" y="${top + plotH - 4}" text-anchor="middle" fill="#b91c1c">x</text>`,
                );
                return;
            }
            const h = (plotH * v) / max;
            parts.push(
                `<rect x="${x}" y="${top + plotH - h}" width="${barW - 2}" height="${h}" fill="${COLORS[si % COLORS.length]}"><title>${esc(s.name)} ${esc(g)}: ${v}</title></rect>`,
            );
        });
        parts.push(
            `<text x="${x0 + (series.length * barW) / 2}" y="${top + plotH + 16}" text-anchor="middle">${esc(g)}</text>`,
        );
    });
    series.forEach((s, si) => {
        const x = left + si * 180;
        parts.push(
            `<rect x="${x}" y="${height - 22}" width="12" height="12" fill="${COLORS[si % COLORS.length]}"/>`,
            `<text x="${x + 16}" y="${height - 12}">${esc(s.name)}</text>`,
        );
    });
    parts.push("</svg>", "");
    return parts.join("\n");
}
