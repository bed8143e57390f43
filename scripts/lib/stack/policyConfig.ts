/**
 * A stack's policy config applied the way the CLI applies `--policy-pack-config`: schema defaults, then the file's
 * values; `all` sets every policy's enforcement level. Prod may tune values but not lower enforcement.
 */
import type { EnforcementLevel, Policies, Policy } from "@pulumi/policy";

/** Stacks whose policies must all stay mandatory: their config file may tune values but not lower enforcement. */
export const MANDATORY_STACKS = ["prod", "prod-aurora"];

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
