/** Stack config as a test varies it: a committed stack file with keys changed or removed, and what the parser says. */
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig, type RawConfig } from "../../config";
import { stackFileConfig } from "../../scripts/lib/stack/stackFile";

/** The stack file's config with `overrides` applied; an undefined value removes the key. */
export function raw(stack: "dev" | "prod", overrides: Record<string, string | undefined>): RawConfig {
    const out: Record<string, string | undefined> = { ...stackFileConfig(stack) };
    for (const [k, v] of Object.entries(overrides)) {
        if (v === undefined) delete out[k];
        else out[k] = v;
    }
    return out;
}

/** The problem lines of the ConfigError, or [] when the config is accepted. */
export function problems(stack: "dev" | "prod", overrides: Record<string, string | undefined>): string[] {
    try {
        parseStackConfig(raw(stack, overrides), stack);
        return [];
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.message
            .split("\n")
            .slice(1)
            .map((l) => l.trim().replace(/^- /, ""));
    }
}
