/** The mock harness lives with the scripts (npm run policy and npm run plan use it too); tests import it from here. */
import { type Recorded, runStack, type StackRun } from "../../scripts/lib/stack/mockStack";

export * from "../../scripts/lib/stack/mockStack";
export * from "../../scripts/lib/stack/mockState";

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
}

const shared = new Map<string, Promise<StackRun>>();

/**
 * The committed stack file's run, made once per test process and shared by every test that only reads it (a run of
 * prod takes about two seconds). Frozen, so a test that changes it fails instead of misleading the next one. Tests
 * that pass overrides, or need a run of their own, call runStack.
 */
export function sharedStackRun(stack: string): Promise<StackRun> {
    let run = shared.get(stack);
    if (!run) {
        run = runStack(stack).then(deepFreeze);
        shared.set(stack, run);
    }
    return run;
}

/** The primary RDS instance of a run: the one that replicates nothing (read replicas have `replicateSourceDb`). */
export function primaryInstance(run: StackRun): Recorded {
    const primaries = run.ofType("aws:rds/instance:Instance").filter((i) => !i.inputs.replicateSourceDb);
    if (primaries.length !== 1) throw new Error(`expected one primary RDS instance, found ${primaries.length}`);
    return primaries[0];
}
