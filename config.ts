/**
 * Stack configuration: read once, validated once, returned as one typed object.
 *
 * This file is the only place that reads `pulumi.Config`. Everything else is pure and lives in stackConfig/: the key
 * table (one row per key: type, default per environment or target, bounds, one line of doc), the section parsers
 * that read it, and the types. `parseStackConfig` reports every problem at once, each naming the key, the value given
 * and what is allowed, before the program registers a single resource. docs/config.md is rendered from the table.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./stackConfig/parse";
import { PROJECT, type StackConfig } from "./stackConfig/types";

export { CONFIG_KEYS, type ConfigKey } from "./stackConfig/keys";
export { parseStackConfig } from "./stackConfig/parse";
export {
    type AdminConnectionConfig,
    type AuroraConfig,
    type BackupConfig,
    ConfigError,
    type ConfigIssue,
    type DockerConfig,
    type DrReplicaConfig,
    type Environment,
    type NetworkConfig,
    type PoolingConfig,
    PROJECT,
    type RawConfig,
    type ReplicaConfig,
    type RestoreConfig,
    type StackConfig,
    type Target,
} from "./stackConfig/types";

/** Reads every key of this project's namespace, and the stack's AWS region, from the running stack and parses them. */
export function loadConfig(): StackConfig {
    const prefix = `${PROJECT}:`;
    const all = pulumi.runtime.allConfig();
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(all)) {
        if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
    }
    if (all["aws:region"] !== undefined) raw["aws:region"] = all["aws:region"];
    return parseStackConfig(raw, pulumi.getStack());
}
