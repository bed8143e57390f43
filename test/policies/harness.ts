/**
 * Calls policies the way the engine does, without starting the pack: `validateResource` with the arguments the
 * analyzer builds (scripts/lib/stack/policyRun.ts), the schema defaults merged with any override.
 */
import * as fs from "fs";
import * as path from "path";
import type { Policy, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policies/policies";
import { configDefaults, effectivePolicies } from "../../scripts/lib/stack/policyConfig";
import { NotApplicable, type PolicyReport, policyResources, resourceArgs } from "../../scripts/lib/stack/policyRun";
import type { Recorded, StackRun } from "../../scripts/lib/stack/mockStack";
import { ROOT } from "../harness/stack";

const defaults = (policy: Policy, overrides: Record<string, unknown>) => ({ ...configDefaults(policy), ...overrides });

/** The violation messages of a resource policy for one resource; "n/a" when the policy does not apply to it. */
export async function check(
    policy: ResourceValidationPolicy,
    type: string,
    props: Record<string, any>,
    config: Record<string, unknown> = {},
): Promise<string[] | "n/a"> {
    const messages: string[] = [];
    let applicable = false;
    for (const validate of [policy.validateResource ?? []].flat()) {
        try {
            await validate(
                resourceArgs(
                    { type, name: "fixture", urn: `urn:pulumi:test::metacortex-db::${type}::fixture`, inputs: props },
                    defaults(policy, config),
                ),
                (m) => messages.push(m),
            );
            applicable = true;
        } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
        }
    }
    return applicable ? messages : "n/a";
}

/** A recorded resource for stack-policy fixtures: outputs = `state`, optional parent URN. */
export function resource(type: string, name: string, state: Record<string, any>, parentUrn?: string): Recorded {
    const urn = `urn:pulumi:test::metacortex-db::${type}::${name}`;
    return { type, name, inputs: state, state, secretPaths: [], id: `${name}-id`, urn, parentUrn, custom: true };
}

/** The violation messages of a stack policy over `resources`; "n/a" when it does not apply. */
export async function checkStack(
    policy: StackValidationPolicy,
    resources: Recorded[],
    config: Record<string, unknown> = {},
): Promise<string[] | "n/a"> {
    const messages: string[] = [];
    const prs: PolicyResource[] = policyResources(resources);
    try {
        await policy.validateStack(
            {
                resources: prs,
                stackTags: new Map(),
                getConfig: <T extends object>() => defaults(policy, config) as T,
                notApplicable: (reason?: string): never => {
                    throw new NotApplicable(reason);
                },
            },
            (m) => messages.push(m),
        );
    } catch (error) {
        if (error instanceof NotApplicable) return "n/a";
        throw error;
    }
    return messages;
}

/** The pack as a stack's committed policy config sets it (policies/config/<stack>.json). */
export const configOf = (stack: string) =>
    effectivePolicies(
        policies,
        JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "config", `${stack}.json`), "utf8")),
        stack,
        `${stack}.json`,
    );
/** The policies a report found violated, sorted. */
export const violated = (r: PolicyReport) =>
    [...new Set(r.findings.filter((f) => f.result === "violation").map((f) => f.policy))].sort();
/** The policies that ran (passed or not) in a report. */
export const ran = (r: PolicyReport) => new Set(r.findings.map((f) => f.policy));

/**
 * A copy of the stack's resources with `change` applied to the inputs and outputs of every resource of `type` (whose
 * name contains `only`, when given).
 */
export function variant(
    run: StackRun,
    type: string,
    change: (props: Record<string, any>) => void,
    drop = false,
    only = "",
): Recorded[] {
    const copy = JSON.parse(JSON.stringify(run.resources.map(({ inputs, state }) => ({ inputs, state })))) as {
        inputs: any;
        state: any;
    }[];
    return run.resources.flatMap((r, i) => {
        if (r.type !== type || !r.name.includes(only)) return [r];
        if (drop) return [];
        change(copy[i].inputs);
        change(copy[i].state);
        return [{ ...r, inputs: copy[i].inputs, state: copy[i].state }];
    });
}
