/**
 * Runs the CrossGuard pack offline: every resource policy on every recorded resource (its inputs, as the engine's
 * analyzer sees them) and every stack policy on all of them (their outputs, with parents), with the stack's policy
 * config applied the way the CLI applies `--policy-pack-config`: schema defaults, then the file's values; `all` sets
 * every policy's enforcement level. Pure apart from the policies themselves; scripts/policy.ts is the command.
 */
import type {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { table } from "../cli";
import type { Recorded } from "./mockStack";

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

/** Stacks whose policies must all stay mandatory: their config file may tune values but not lower enforcement. */
export const MANDATORY_STACKS = ["prod"];

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface EffectivePolicy {
    readonly enforcementLevel: EnforcementLevel;
    readonly config: Record<string, unknown>;
}

/** Pure: a JSON-schema-ish type check of one config value (the subset the pack's schemas use). */
function typeError(value: unknown, schema: any): string | undefined {
    switch (schema?.type) {
        case "integer":
            if (!Number.isInteger(value)) return "a whole number";
            break;
        case "number":
            if (typeof value !== "number") return "a number";
            break;
        case "boolean":
            if (typeof value !== "boolean") return "true or false";
            break;
        case "string":
            if (typeof value !== "string") return "a string";
            break;
        case "array":
            if (!Array.isArray(value) || value.some((v) => typeError(v, schema.items) !== undefined))
                return `a list of ${schema.items?.type ?? "values"}`;
            break;
    }
    if (schema?.enum && !schema.enum.includes(value)) return `one of ${schema.enum.join(", ")}`;
    if (typeof value === "number" && schema?.minimum !== undefined && value < schema.minimum)
        return `at least ${schema.minimum}`;
    if (typeof value === "number" && schema?.maximum !== undefined && value > schema.maximum)
        return `at most ${schema.maximum}`;
    return undefined;
}

/** Pure: a policy's config as its schema's defaults, the way the CLI fills it before the stack's file applies. */
export function configDefaults(policy: Pick<Policy, "configSchema">): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {}))
        if ((schema as { default?: unknown }).default !== undefined)
            config[key] = (schema as { default?: unknown }).default;
    return config;
}

/**
 * Pure: each policy's enforcement level and config for a stack, from the pack's defaults and the stack's policy
 * config (`policies/config/<stack>.json`). Throws one line naming the file, the key, the value and what is allowed.
 */
export function effectivePolicies(
    policies: Policies,
    raw: unknown,
    stack: string,
    source: string,
): Map<string, EffectivePolicy> {
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
        throw new Error(`${source}: must be a JSON object of policy names`);
    const file = raw as Record<string, unknown>;
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(file))
        if (key !== "all" && !names.has(key))
            throw new Error(`${source}: unknown policy ${key}; known: all, ${[...names].join(", ")}`);
    const all = file.all ?? "mandatory";
    if (!LEVELS.includes(all as EnforcementLevel))
        throw new Error(`${source}: all = ${JSON.stringify(all)}: allowed ${LEVELS.join(", ")}`);
    const out = new Map<string, EffectivePolicy>();
    for (const p of policies) {
        const entry = file[p.name];
        const given =
            typeof entry === "string" ? { enforcementLevel: entry } : ((entry ?? {}) as Record<string, unknown>);
        const { enforcementLevel = p.enforcementLevel ?? all, ...values } = given;
        if (!LEVELS.includes(enforcementLevel as EnforcementLevel))
            throw new Error(
                `${source}: ${p.name}.enforcementLevel = ${JSON.stringify(enforcementLevel)}: allowed ${LEVELS.join(", ")}`,
            );
        if (MANDATORY_STACKS.includes(stack) && enforcementLevel !== "mandatory") {
            throw new Error(
                `${source}: ${p.name}.enforcementLevel = ${enforcementLevel}: every policy is mandatory in ${stack}`,
            );
        }
        const properties = p.configSchema?.properties ?? {};
        const config = configDefaults(p);
        for (const [key, value] of Object.entries(values)) {
            if (!(key in properties))
                throw new Error(
                    `${source}: ${p.name}.${key} is not a setting of this policy; allowed: ${Object.keys(properties).join(", ") || "none"}`,
                );
            const wrong = typeError(value, properties[key]);
            if (wrong) throw new Error(`${source}: ${p.name}.${key} = ${JSON.stringify(value)}: allowed ${wrong}`);
            config[key] = value;
        }
        out.set(p.name, { enforcementLevel: enforcementLevel as EnforcementLevel, config });
    }
    return out;
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
        const add = (resource: string, type: string, result: Result, message: string) =>
            findings.push({ policy: p.name, enforcementLevel, resource, type, result, message });
        if ("validateStack" in p) {
            const stackPolicy = p as StackValidationPolicy;
            const prs = policyResources(sorted);
            const violations: { message: string; urn?: string }[] = [];
            const args: StackValidationArgs = {
                resources: prs,
                stackTags: new Map(),
                getConfig: <T extends object>() => config as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason);
                },
            };
            try {
                await stackPolicy.validateStack(args, (message, urn) => violations.push({ message, urn }));
            } catch (error) {
                if (error instanceof NotApplicable) continue;
                throw error;
            }
            for (const v of violations) {
                const r = sorted.find((x) => x.urn === v.urn);
                add(r?.name ?? `stack ${stack}`, r?.type ?? "pulumi:pulumi:Stack", "violation", v.message);
            }
            if (violations.length === 0) add(`stack ${stack}`, "pulumi:pulumi:Stack", "pass", "");
            continue;
        }
        const validations = [(p as ResourceValidationPolicy).validateResource ?? []].flat();
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
    const count = (level: EnforcementLevel) =>
        findings.filter(
            (f) =>
                f.result === "violation" &&
                (level === "mandatory"
                    ? f.enforcementLevel === "mandatory" || f.enforcementLevel === "remediate"
                    : f.enforcementLevel === level),
        ).length;
    return {
        stack,
        resources: resources.length,
        findings,
        mandatoryViolations: count("mandatory"),
        advisoryViolations: count("advisory"),
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
