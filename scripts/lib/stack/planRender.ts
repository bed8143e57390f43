/**
 * `npm run plan`: a reviewer's view of a stack without cloud credentials. Renders, from the program run under
 * Pulumi's mocks, a deterministic Markdown inventory: every resource under its parent, and its security-relevant
 * settings. Secrets are masked, long values (policies, dashboard bodies, files) are shown by size and digest so a
 * change still shows in the diff, and the mock's temporary paths are normalized. Pure: StackRun in, Markdown out.
 */
import { createHash } from "crypto";
import type { Recorded } from "./mockStack";

/** Settings worth a reviewer's eye, by dotted path (any segment). */
const RELEVANT =
    /encrypt|kms|public|cidr|port|ssl|tls|passw|secret|policy|role|privilege|auth|ingress|egress|retention|deletion|protect|image|replicas|backup|snapshot|multiAz|monitoring|insights|logs|ca(Cert)?Identifier|engine|instanceClass|family|parameters|rotation|lock|schedule|securityContext|namespace|type$|sslmode|superuser|login|connectionLimit|grant|objectType|database$|schema$|handler|runtime|alarmActions|threshold|subnet|vpc|envs|expose|readOnly|capabilities|network|user|days|window|copy|include|select|region|replicate|replication/i;
/** Inputs skipped entirely: bookkeeping, or archives whose serialization is not a stable review signal. */
const SKIPPED =
    /^(tags|tagsAll|labels|code|description|alarmDescription|metadata\.labels|spec\.selector|apiVersion|kind)(\.|\[|$)/;
const MAX = 90;

const digest = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 12);

/** Pure: a value as one table cell: masked, normalized, shortened with a digest, pipes escaped. */
export function cell(value: unknown, secret: boolean): string {
    if (secret) return "[secret]";
    let s = typeof value === "string" ? value : JSON.stringify(value);
    s = s.replace(/[^\s"|,]*\/metacortex-mock-\d+-/g, "<tmp>/");
    if (s.length > MAX || s.includes("\n")) s = `${s.length} chars, sha256 ${digest(s)}`;
    return s.replace(/\|/g, "\\|");
}

/** Pure: the leaves of a resource's inputs worth showing, as [path, cell] sorted by path. */
export function settings(r: Pick<Recorded, "inputs" | "secretPaths">): [string, string][] {
    const out: [string, string][] = [];
    const isSecret = (p: string) =>
        r.secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
    const walk = (value: unknown, path: string) => {
        if (SKIPPED.test(path)) return;
        if (isSecret(path)) return void out.push([path, "[secret]"]);
        if (Array.isArray(value)) {
            if (value.every((v) => v === null || typeof v !== "object"))
                return void (RELEVANT.test(path) && out.push([path, cell(value.join(", "), false)]));
            for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
            return;
        }
        if (value && typeof value === "object") {
            // Named entries (parameters, env vars) read better keyed by their name.
            for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
            return;
        }
        if (value === undefined) return;
        if (RELEVANT.test(path)) out.push([path, cell(value, false)]);
    };
    walk(r.inputs, "");
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Pure: RDS parameters as name = value (apply method), instead of parameters[17].value paths. */
function parameterRows(r: Recorded): [string, string][] | undefined {
    const groups = ["aws:rds/parameterGroup:ParameterGroup", "aws:rds/clusterParameterGroup:ClusterParameterGroup"];
    if (!groups.includes(r.type)) return undefined;
    const rows: [string, string][] = [["family", cell(r.inputs.family, false)]];
    for (const p of [...(r.inputs.parameters ?? [])].sort((a: any, b: any) => (a.name < b.name ? -1 : 1)))
        rows.push([`parameter ${p.name}`, `${cell(p.value, false)} (${p.applyMethod})`]);
    return rows;
}

/** The stack whose dashboard `npm run docs` draws as docs/dashboard.svg; other stacks' inventories list titles only. */
const PICTURED_STACK = "prod";

/** Pure: a CloudWatch dashboard as its picture and its widgets' titles, instead of the body's size and digest. */
function dashboardRows(r: Recorded, stack: string): [string, string][] | undefined {
    if (r.type !== "aws:cloudwatch/dashboard:Dashboard") return undefined;
    const widgets = JSON.parse(r.inputs.dashboardBody).widgets as Array<{ properties: { title: string } }>;
    const picture = `${stack === PICTURED_STACK ? "[docs/dashboard.svg](../dashboard.svg), " : ""}${widgets.length} widgets`;
    return [
        ["dashboardName", cell(r.inputs.dashboardName, false)],
        [stack === PICTURED_STACK ? "picture" : "widgets", picture],
        ...widgets.map((w, i): [string, string] => [`widget ${i + 1}`, cell(w.properties.title, false)]),
    ];
}

const short = (urn: string) => urn.split("::").pop()!;

export function renderPlan(stack: string, resources: readonly Recorded[]): string {
    const sorted = [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const children = new Map<string, Recorded[]>();
    for (const r of sorted) children.set(r.parentUrn ?? "", [...(children.get(r.parentUrn ?? "") ?? []), r]);
    const byType = new Map<string, number>();
    for (const r of sorted) byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    const lines = [
        `# Stack ${stack}: what \`pulumi up\` would create`,
        "",
        `Generated by \`npm run plan -- --stack ${stack}\` from the program under Pulumi's mocks, with \`Pulumi.${stack}.yaml\`; no cloud`,
        "credentials involved. Values that exist only after deployment (ids, ARNs, endpoints, generated passwords) are the mocks'",
        "placeholders. Secrets show as `[secret]`; long values as their size and digest. `npm test` fails when this file is stale:",
        "regenerate it with the command above and review its diff with the change.",
        "",
        `${sorted.length} resources (${sorted.filter((r) => !r.custom).length} components).`,
        "",
        "| type | count |",
        "|---|---|",
        ...[...byType.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([t, n]) => `| \`${t}\` | ${n} |`),
        "",
        "## Tree",
        "",
    ];
    const tree = (parent: string, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            lines.push(`${"  ".repeat(depth)}- \`${r.name}\` (${r.type})`);
            tree(r.urn, depth + 1);
        }
    };
    tree("", 0);
    lines.push("", "## Settings", "");
    for (const r of sorted.filter((x) => x.custom)) {
        const rows = parameterRows(r) ?? dashboardRows(r, stack) ?? settings(r);
        lines.push(
            `### ${r.name}`,
            "",
            `\`${r.type}\`, parent \`${r.parentUrn ? short(r.parentUrn) : "(stack)"}\``,
            "",
        );
        if (rows.length === 0) lines.push("No security-relevant settings.", "");
        else lines.push("| setting | value |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`), "");
    }
    return lines.join("\n");
}

/** Pure: what a run did to the committed inventory, for the command's last line. */
export function planChange(before: string | undefined, after: string): string {
    if (before === undefined) return "new file";
    return before === after ? "unchanged" : "changed: review its diff";
}
