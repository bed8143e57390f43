/** parseStackConfig: raw strings in, the typed config or one ConfigError with every problem out. Pure. */
import { CONFIG_KEYS, KEYS } from "./keys";
import { Reader } from "./read";
import { readAdmin } from "./sections/admin";
import { readAlarmsAndTags } from "./sections/alarms";
import { readEngine } from "./sections/aurora";
import { readBackup, readRestore } from "./sections/backup";
import { readDocker } from "./sections/docker";
import { readInstance } from "./sections/instance";
import { readNetwork } from "./sections/network";
import { readPooling } from "./sections/pooling";
import { readReplicas } from "./sections/replicas";
import { readStack } from "./sections/stack";
import type { RawConfig, StackConfig } from "./types";

/** Keys outside the project namespace that the program reads: the stack's region, for the DR-region rule. */
const PROVIDER_KEYS = ["aws:region"];

/** Validates raw config for a stack and returns the typed config, or throws one ConfigError. */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
    const r = new Reader(raw, stack, KEYS);
    for (const key of Object.keys(raw)) {
        if (!PROVIDER_KEYS.includes(key) && !(CONFIG_KEYS as readonly string[]).includes(key))
            r.reject(key, raw[key], `unknown key; known keys: ${CONFIG_KEYS.join(", ")}`);
    }
    const { environment, target } = readStack(r);
    const instance = readInstance(r);
    const engine = readEngine(r, instance.instanceClass);
    const network = readNetwork(r);
    const { alarmEmail, tags } = readAlarmsAndTags(r);
    const docker = readDocker(r);
    const admin = readAdmin(r);
    const backup = readBackup(r);
    const restore = readRestore(r);
    const pooling = readPooling(r, admin.manageRoles);
    const replicas = readReplicas(r, engine.instanceClass, pooling);
    r.finish();
    return {
        environment,
        target,
        name: `metacortex-${environment}`,
        ...instance,
        engine: engine.engine,
        instanceClass: engine.instanceClass,
        aurora: engine.aurora,
        network,
        alarmEmail,
        tags,
        docker,
        admin,
        backup,
        restore,
        pooling,
        // An Aurora cluster's readers are its own (auroraReaders): no RDS read replica, no DR replica.
        replicas: engine.aurora ? { ...replicas, count: 0, dr: undefined } : replicas,
    };
}
