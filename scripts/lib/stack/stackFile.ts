/** Reads a committed stack file's config as the Pulumi CLI passes it to the program (strings; JSON for lists and maps). */
import * as fs from "fs";
import { parse } from "yaml";
import { PROJECT } from "../../../stackConfig/types";
import { UsageError } from "../cli";
import { REPO, repoPath } from "../repo";

/** Every key of `Pulumi.<stack>.yaml`, namespaced (`aws:region`, `metacortex-db:instanceClass`, ...). */
export function stackFileAll(stack: string): Record<string, string> {
    const file = repoPath(`Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack file Pulumi.${stack}.yaml`);
    const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(doc.config ?? {}))
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    return config;
}

/** This project's keys only, without the `metacortex-db:` prefix, as parseStackConfig takes them. */
export function stackFileConfig(stack: string): Record<string, string> {
    const raw: Record<string, string> = {};
    const all = stackFileAll(stack);
    for (const [key, value] of Object.entries(all))
        if (key.startsWith(`${PROJECT}:`)) raw[key.slice(PROJECT.length + 1)] = value;
    if (all["aws:region"] !== undefined) raw["aws:region"] = all["aws:region"]; // read for the DR-region check
    return raw;
}

/** The stack names that have a committed `Pulumi.<stack>.yaml`. */
export function committedStacks(): string[] {
    return fs
        .readdirSync(REPO)
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .map((f) => f.split(".")[1]);
}

/** A `--stack` flag's value, checked against the committed stack files; a one-line usage error otherwise. */
export function stackFlag(stack: string | undefined, usage: string): string {
    if (!stack) throw new UsageError(`--stack is required. Usage: ${usage}`);
    if (!committedStacks().includes(stack))
        throw new UsageError(`--stack ${stack}: no Pulumi.${stack}.yaml; stacks: ${committedStacks().join(", ")}`);
    return stack;
}
