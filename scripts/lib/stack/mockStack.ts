/**
 * Runs the real program (index.ts) under Pulumi's official mocks with a stack file's config, and records what every
 * resource sent to the engine: its inputs, URN and parent. The tests assert on those recorded inputs, never on the
 * program's own variables; `npm run policy` and `npm run plan` run the policy pack and render the inventory from them.
 *
 * - `call` answers the few invokes the program is known to make and throws on any other, so a new data-source
 *   lookup cannot slip in unnoticed.
 * - Mocked ids and ARNs look real (ARN-shaped), so string handling on them is exercised.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "../repo";
import * as pulumi from "@pulumi/pulumi";
import { COMPUTED_INVOKES, INVOKES, mockState, unwrapSecrets } from "./mockState";
import { stackFileAll } from "./stackFile";

export const ROOT = REPO;

export interface Recorded {
    readonly type: string;
    readonly name: string;
    /** Inputs with Pulumi's secret envelopes removed. */
    readonly inputs: Record<string, any>;
    /** Dotted paths of inputs that arrived as secrets, e.g. `uploads`, `password`. */
    readonly secretPaths: string[];
    readonly id: string;
    /** The URN the engine would give it (type chain through its parents, as Pulumi's mock monitor computes it). */
    readonly urn: string;
    /** The parent's URN; undefined for a top-level resource. */
    readonly parentUrn?: string;
    /** A custom (provider-managed) resource, as opposed to a component. */
    readonly custom: boolean;
    /** What the mock returned as the resource's outputs (the inputs plus ids, ARNs and generated values). */
    readonly state: Record<string, any>;
}

export interface StackRun {
    readonly stack: string;
    readonly resources: Recorded[];
    /** Resolved stack outputs. */
    readonly outputs: Record<string, unknown>;
    /** Outputs marked secret. */
    readonly secretOutputs: string[];
    /** Every resource of a type token, e.g. `aws:rds/instance:Instance`. */
    ofType(type: string): Recorded[];
    /** Exactly one resource of a type; fails the test otherwise. */
    one(type: string): Recorded;
}

/** The project's namespaced config from a stack file, as the CLI hands it to the program (strings, JSON for the rest). */
export const stackConfig = stackFileAll;

async function resolve(value: unknown, secrets: { found: boolean }): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const output = value as pulumi.Output<unknown>;
        if (await (output as any).isSecret) secrets.found = true;
        return resolve(await new Promise((ok) => output.apply(ok)), secrets);
    }
    if (Array.isArray(value)) return Promise.all(value.map((v) => resolve(v, secrets)));
    if (value && typeof value === "object" && !(value instanceof pulumi.Resource)) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = await resolve(v, secrets);
        return out;
    }
    return value;
}

/**
 * Pulumi's MockResourceArgs carry no parent, but the registration request does. The monitor calls `newResource`
 * synchronously from `registerResource`, so the parent read here is the one of the resource being recorded.
 */
let pendingParent = "";
const mockMonitor = (require("@pulumi/pulumi/runtime/mocks") as { MockMonitor?: { prototype: Record<string, any> } })
    .MockMonitor;
if (!mockMonitor || typeof mockMonitor.prototype.registerResource !== "function") {
    throw new Error(
        "@pulumi/pulumi's MockMonitor no longer has registerResource: update scripts/lib/stack/mockStack.ts for this SDK version",
    );
}
if (!mockMonitor.prototype.__metacortexParent) {
    const register = mockMonitor.prototype.registerResource;
    mockMonitor.prototype.registerResource = function (req: { getParent(): string }, callback: unknown) {
        pendingParent = req.getParent();
        return register.call(this, req, callback);
    };
    mockMonitor.prototype.__metacortexParent = true;
}

/** Pure: the URN Pulumi's mock monitor gives a resource (the parent's type chain, then this type and name). */
export function urnOf(stack: string, parentUrn: string | undefined, type: string, name: string): string {
    const qualified = parentUrn ? `${parentUrn.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${stack}::metacortex-db::${qualified}::${name}`;
}

/** Drops project modules from the require cache so the program runs afresh; node_modules stay loaded. */
function forgetProjectModules(): void {
    for (const file of Object.keys(require.cache)) {
        if (
            file.startsWith(ROOT) &&
            !file.includes(`${path.sep}node_modules${path.sep}`) &&
            !file.includes(`${path.sep}test${path.sep}`) &&
            file !== __filename
        ) {
            delete require.cache[file];
        }
    }
}

/** The temporary files runs of this process write (CA stand-ins): `metacortex-mock-<pid>-*` in the temp directory. */
const MOCK_FILE_PREFIX = `metacortex-mock-${process.pid}-`;

/** Deletes this process's temporary files: after each run, and at exit for any the program wrote late. */
export function removeMockFiles(): void {
    for (const f of fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(MOCK_FILE_PREFIX)))
        fs.rmSync(path.join(os.tmpdir(), f), { force: true });
}
process.once("exit", removeMockFiles);

/** The stack file's config with `overrides`, and the CA files the program reads written outside the checkout. */
function configFor(stack: string, overrides: Record<string, string | undefined>): Record<string, string> {
    const config = stackConfig(stack);
    // dev writes its generated CA to adminCaPath for the postgresql provider: keep that out of the checkout.
    if (config["metacortex-db:target"] === "docker")
        config["metacortex-db:adminCaPath"] = path.join(os.tmpdir(), `${MOCK_FILE_PREFIX}dev-ca.pem`);
    // prod reads the RDS CA bundle (for PgBouncer's verify-full): a stand-in file, outside the checkout.
    if (config["metacortex-db:target"] === "aws") {
        const bundle = path.join(os.tmpdir(), `${MOCK_FILE_PREFIX}rds-bundle.pem`);
        fs.writeFileSync(bundle, "-----BEGIN CERTIFICATE-----\nmock RDS CA\n-----END CERTIFICATE-----\n");
        config["metacortex-db:adminCaPath"] = bundle;
    }
    for (const [key, value] of Object.entries(overrides)) {
        const full = key.includes(":") ? key : `metacortex-db:${key}`;
        if (value === undefined) delete config[full];
        else config[full] = value;
    }
    return config;
}

/**
 * Mocks that record every registration into `resources` and answer only the invokes the program is known to make.
 * An AWS provider's region is remembered by its reference (`urn::id`), so what is registered with a DR-region provider
 * gets ARNs and endpoints of that region.
 */
function recordingMocks(stack: string, resources: Recorded[]): pulumi.runtime.Mocks {
    const providerRegions = new Map<string, string>();
    return {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            const id = args.type.startsWith("aws:") ? `${args.name}-id` : `${args.name}_id`;
            const secretPaths: string[] = [];
            const inputs = unwrapSecrets(args.inputs, "", secretPaths) as Record<string, any>;
            const state = mockState(args.type, args.name, inputs, providerRegions.get(args.provider ?? ""));
            const parentUrn = pendingParent || undefined;
            pendingParent = "";
            const urn = urnOf(stack, parentUrn, args.type, args.name);
            if (args.type === "pulumi:providers:aws" && typeof inputs.region === "string")
                providerRegions.set(`${urn}::${id}`, inputs.region);
            const custom = args.custom !== false;
            resources.push({
                type: args.type,
                name: args.name,
                inputs,
                secretPaths,
                id,
                urn,
                parentUrn,
                custom,
                state,
            });
            return { id, state };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            const answer = INVOKES[args.token] ?? COMPUTED_INVOKES[args.token]?.(args.inputs);
            if (!answer) throw new Error(`unexpected invoke ${args.token}(${JSON.stringify(args.inputs)})`);
            return answer;
        },
    };
}

/** Waits until every registration started so far has reached the mock monitor (the SDK exports this untyped). */
export const drain = () =>
    (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();

/** Loads index.ts afresh; on a throw, tags the error with how many resources were registered before it. */
async function loadProgram(resources: readonly Recorded[]): Promise<Record<string, unknown>> {
    forgetProjectModules();
    try {
        return require(path.join(ROOT, "index.ts")) as Record<string, unknown>;
    } catch (error) {
        await drain();
        throw Object.assign(error as Error, { registered: resources.length });
    }
}

/**
 * Runs index.ts for a stack. `overrides` replace keys of the stack file (without the project prefix for project keys,
 * e.g. `{ backupRetentionDays: "0" }`); an undefined value removes the key.
 */
export async function runStack(stack: string, overrides: Record<string, string | undefined> = {}): Promise<StackRun> {
    const config = configFor(stack, overrides);
    const resources: Recorded[] = [];
    await pulumi.runtime.setMocks(recordingMocks(stack, resources), "metacortex-db", stack, false);
    pulumi.runtime.setAllConfig(config);
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    try {
        const program = await loadProgram(resources);
        for (const [key, value] of Object.entries(program)) {
            const secrets = { found: false };
            outputs[key] = await resolve(value, secrets);
            if (secrets.found) secretOutputs.push(key);
        }
        await drain();
    } finally {
        removeMockFiles();
    }
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const one = (type: string) => {
        const found = ofType(type);
        if (found.length !== 1)
            throw new Error(
                `expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
            );
        return found[0];
    };
    return { stack, resources, outputs, secretOutputs, ofType, one };
}

/** Runs the program expecting it to throw; returns the error and what was registered before it (should be nothing). */
export async function failStack(
    stack: string,
    overrides: Record<string, string | undefined>,
): Promise<{ error: Error; registered: number }> {
    let run: StackRun;
    try {
        run = await runStack(stack, overrides);
    } catch (error) {
        return { error: error as Error, registered: (error as { registered?: number }).registered ?? 0 };
    }
    throw new Error(
        `stack ${stack} with ${JSON.stringify(overrides)} did not fail (${run.resources.length} resources registered)`,
    );
}
