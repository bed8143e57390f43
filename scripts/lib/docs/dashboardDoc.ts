/**
 * The dashboard as the docs show it, from the body the prod stack deploys (the program run under mocks): its picture
 * (docs/dashboard.svg) and, in docs/monitoring.md between the dashboard markers, every widget with its metrics and
 * its lines. `npm run docs` writes both; test/stack/dashboardDoc.test.ts fails when either is stale.
 */
import * as fs from "fs";
import { repoPath } from "../repo";
import type { StackRun } from "../stack/mockStack";
import { metricLabel, renderDashboardSvg } from "./dashboardSvg";

interface Widget {
    readonly properties: {
        readonly title: string;
        readonly metrics: readonly unknown[];
        readonly annotations?: {
            readonly horizontal?: ReadonlyArray<{ readonly label?: string; readonly value: number }>;
        };
    };
}

const START = "<!-- dashboard:start -->";
const END = "<!-- dashboard:end -->";

/** The dashboard body the stack deploys. */
export function deployedDashboard(run: StackRun): { widgets: Widget[]; name: string } {
    const dashboard = run.one("aws:cloudwatch/dashboard:Dashboard");
    return { widgets: JSON.parse(dashboard.inputs.dashboardBody).widgets, name: dashboard.inputs.dashboardName };
}

/** Pure: the generated section: the picture, then one row per widget, then the widgets that draw no line. */
export function dashboardSection(name: string, widgets: readonly Widget[]): string {
    const bare = widgets.filter((w) => (w.properties.annotations?.horizontal ?? []).length === 0);
    const cell = (s: string) => s.replace(/\|/g, "\\|");
    return [
        START,
        `![The ${name} dashboard: each widget with its metrics and threshold lines](dashboard.svg)`,
        "",
        `${widgets.length} widgets, rendered from the body \`pulumi up --stack prod\` deploys (\`npm run docs\`).`,
        "",
        "| widget | metrics | lines drawn |",
        "|---|---|---|",
        ...widgets.map((w) => {
            const lines = (w.properties.annotations?.horizontal ?? []).map((l) => `${l.label ?? ""} (${l.value})`);
            return `| ${cell(w.properties.title)} | ${cell(w.properties.metrics.map(metricLabel).join(", "))} | ${cell(lines.join(", ") || "none")} |`;
        }),
        "",
        bare.length === 0
            ? "Every widget draws a line."
            : `No line on ${bare.length}: ${bare.map((w) => w.properties.title).join("; ")}. No fixed-threshold alarm watches them (write IOPS has an anomaly-detection alarm).`,
        END,
    ].join("\n");
}

/** Pure: `doc` with its dashboard section replaced; throws when the markers are missing. */
export function withDashboardSection(doc: string, section: string): string {
    const start = doc.indexOf(START);
    const end = doc.indexOf(END);
    if (start < 0 || end < start) throw new Error(`docs/monitoring.md lacks the ${START} / ${END} markers`);
    return `${doc.slice(0, start)}${section}${doc.slice(end + END.length)}`;
}

/** Documents rendered from the prod stack under mocks (npm run docs runs it once for all of them). */
export const STACK_DOCS: Record<string, (prod: StackRun) => string> = {
    "docs/dashboard.svg": (prod) => {
        const d = deployedDashboard(prod);
        return renderDashboardSvg(d, `CloudWatch dashboard ${d.name}: widgets, metrics and threshold lines (no data)`);
    },
    "docs/monitoring.md": (prod) => {
        const d = deployedDashboard(prod);
        return withDashboardSection(
            fs.readFileSync(repoPath("docs", "monitoring.md"), "utf8"),
            dashboardSection(d.name, d.widgets),
        );
    },
};
