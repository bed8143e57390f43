/**
 * Runs the CrossGuard pack offline: every resource policy on every recorded resource (its inputs, as the engine's
 * analyzer sees them) and every stack policy on all of them (their outputs, with parents), with the stack's policy
 * config applied the way the CLI applies `--policy-pack-config`: schema defaults, then the file's values; `all` sets
 * every policy's enforcement level (policyConfig.ts). Pure apart from the policies themselves; scripts/policy.ts is the command.
 */
import type {
    EnforcementLevel,
    Policies,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { table } from "../cli";
import type { Recorded } from "./mockStack";
import type { EffectivePolicy } from "./policyConfig";

export type Result = "pass" | "violation";

export interface Finding {
    readonly policy: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The resource's name, or the stack for a stack-level violation without a resource. */
    readonly resource: string;
    readonly type: string;
    readonly result: Result;
    readonly message: string;
}

export interface PolicyReport {
    readonly stack: string;
    readonly resources: number;
    readonly findings: Finding[];
    /** Violations at mandatory level: any one fails the run. */
    readonly mandatoryViolations: number;
    readonly advisoryViolations: number;
}

/** Thrown by `notApplicable()`, as the engine does. */
export class NotApplicable extends Error {}

/** The engine's own type test: the class's Pulumi type token, or its isInstance. */
function isTypeOf(type: string, resourceClass: any): boolean {
    if (typeof resourceClass?.__pulumiType === "string") return resourceClass.__pulumiType === type;
    return typeof resourceClass?.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

const OPTIONS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
} as unknown as PolicyResourceOptions;

/** Pure: the arguments the engine passes a resource validation, built from a recorded resource. */
export function resourceArgs(
    r: Pick<Recorded, "type" | "name" | "urn" | "inputs">,
    config: Record<string, unknown>,
): ResourceValidationArgs {
    return {
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: OPTIONS,
        stackTags: new Map(),
        isType: (cls) => isTypeOf(r.type, cls),
        asType: ((cls: any) => (isTypeOf(r.type, cls) ? r.inputs : undefined)) as ResourceValidationArgs["asType"],
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Pure: the stack's resources as a stack validation sees them: outputs, parents linked. */
export function policyResources(resources: readonly Recorded[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const list = resources.map((r) => {
        const pr = {
            type: r.type,
            props: r.state,
            urn: r.urn,
            name: r.name,
            opts: OPTIONS,
            dependencies: [],
            propertyDependencies: {},
            isType: (cls: any) => isTypeOf(r.type, cls),
            asType: (cls: any) => (isTypeOf(r.type, cls) ? r.state : undefined),
        } as unknown as PolicyResource & { parent?: PolicyResource };
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        if (r.parentUrn) (list[i] as { parent?: PolicyResource }).parent = byUrn.get(r.parentUrn);
    });
    return list;
}

type Add = (resource: string, type: string, result: Result, message: string) => void;

/** A stack policy: its violations, each on the resource it names (or the stack), or one pass for the stack. */
async function runStackPolicy(
    p: StackValidationPolicy,
    sorted: readonly Recorded[],
    config: unknown,
    stack: string,
    add: Add,
) {
    const violations: { message: string; urn?: string }[] = [];
    const args: StackValidationArgs = {
        resources: policyResources(sorted),
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
    try {
        await p.validateStack(args, (message, urn) => violations.push({ message, urn }));
    } catch (error) {
        if (error instanceof NotApplicable) return;
        throw error;
    }
    for (const v of violations) {
        const r = sorted.find((x) => x.urn === v.urn);
        add(r?.name ?? `stack ${stack}`, r?.type ?? "pulumi:pulumi:Stack", "violation", v.message);
    }
    if (violations.length === 0) add(`stack ${stack}`, "pulumi:pulumi:Stack", "pass", "");
}

/** A resource policy on every resource: its violations, or a pass where it applied and found none. */
async function runResourcePolicy(
    p: ResourceValidationPolicy,
    sorted: readonly Recorded[],
    config: Record<string, unknown>,
    add: Add,
) {
    const validations = [p.validateResource ?? []].flat();
    for (const r of sorted) {
        const messages: string[] = [];
        let applicable = false;
        for (const validate of validations) {
            try {
                await validate(resourceArgs(r, config), (message) => messages.push(message));
                applicable = true;
            } catch (error) {
                if (!(error instanceof NotApplicable)) throw error;
            }
        }
        for (const m of messages) add(r.name, r.type, "violation", m);
        if (applicable && messages.length === 0) add(r.name, r.type, "pass", "");
    }
}

/** Pure: violations at a level; mandatory counts remediate too (both stop a deployment). */
function countViolations(findings: readonly Finding[], level: EnforcementLevel): number {
    return findings.filter(
        (f) =>
            f.result === "violation" &&
            (level === "mandatory"
                ? f.enforcementLevel === "mandatory" || f.enforcementLevel === "remediate"
                : f.enforcementLevel === level),
    ).length;
}

/** Runs every enabled policy; one finding per violation, one pass per applicable (policy, resource). */
export async function runPolicies(
    policies: Policies,
    resources: readonly Recorded[],
    effective: Map<string, EffectivePolicy>,
    stack: string,
): Promise<PolicyReport> {
    const findings: Finding[] = [];
    const sorted = [...resources].sort((a, b) => a.urn.localeCompare(b.urn));
    for (const p of policies) {
        const { enforcementLevel, config } = effective.get(p.name)!;
        if (enforcementLevel === "disabled") continue;
        const add: Add = (resource, type, result, message) =>
            findings.push({ policy: p.name, enforcementLevel, resource, type, result, message });
        if ("validateStack" in p) await runStackPolicy(p as StackValidationPolicy, sorted, config, stack, add);
        else await runResourcePolicy(p as ResourceValidationPolicy, sorted, config, add);
    }
    return {
        stack,
        resources: resources.length,
        findings,
        mandatoryViolations: countViolations(findings, "mandatory"),
        advisoryViolations: countViolations(findings, "advisory"),
    };
}

/** Pure: the printed table: every violation, then one line per policy with how many resources passed. */
export function reportTable(findings: readonly Finding[]): string {
    const rows: string[][] = [];
    for (const f of findings.filter((x) => x.result === "violation"))
        rows.push([f.policy, f.enforcementLevel, f.resource, "VIOLATION", f.message]);
    const passes = new Map<string, Finding[]>();
    for (const f of findings.filter((x) => x.result === "pass"))
        passes.set(f.policy, [...(passes.get(f.policy) ?? []), f]);
    for (const [policy, list] of passes)
        rows.push([
            policy,
            list[0].enforcementLevel,
            list.length === 1 ? list[0].resource : `${list.length} resources`,
            "pass",
            "",
        ]);
    return table(["policy", "level", "resource", "result", "message"], rows);
}

/** Pure: how many policies applied to the stack, found nothing to judge (not applicable) or were disabled. */
export function policyCounts(
    names: readonly string[],
    effective: ReadonlyMap<string, EffectivePolicy>,
    findings: readonly Finding[],
): { applied: number; notApplicable: string[]; disabled: string[] } {
    const judged = new Set(findings.map((f) => f.policy));
    const disabled = names.filter((n) => effective.get(n)?.enforcementLevel === "disabled");
    const notApplicable = names.filter((n) => !judged.has(n) && !disabled.includes(n));
    return { applied: names.length - notApplicable.length - disabled.length, notApplicable, disabled };
}

/** Pure: the line under the table saying what the rows leave out. */
export function policyCountsLine(stack: string, c: ReturnType<typeof policyCounts>): string {
    const total = c.applied + c.notApplicable.length + c.disabled.length;
    return `policy: ${total} policies: ${c.applied} applied to stack ${stack}'s resources, ${c.notApplicable.length} not applicable (no resource of theirs in this stack), ${c.disabled.length} disabled by the stack's policy config`;
}
