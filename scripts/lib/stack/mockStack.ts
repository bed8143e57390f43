/**
 * Runs the real program (index.ts) under Pulumi's official mocks with a stack file's config, and records what every
 * resource sent to the engine: its inputs, URN and parent. The tests assert on those recorded inputs, never on the
 * program's own variables; `npm run policy` and `npm run plan` run the policy pack and render the inventory from them.
 *
 * - `call` answers the few invokes the program is known to make and throws on any other, so a new data-source
 *   lookup cannot slip in unnoticed.
 * - Mocked ids and ARNs look real (ARN-shaped), so string handling on them is exercised.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "../repo";
import * as pulumi from "@pulumi/pulumi";
import { stackFileAll } from "./stackFile";

export const ROOT = REPO;
export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";

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

/** Pulumi's wire marker for a secret value: `{ [SECRET_SIG]: SECRET_VALUE_SIG, value }`. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Removes secret envelopes, collecting the paths where they were. */
export function unwrapSecrets(value: unknown, path: string, found: string[]): any {
    if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, `${path}[${i}]`, found));
    if (value && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[SECRET_SIG] === SECRET_VALUE_SIG) {
            found.push(path);
            return unwrapSecrets(record.value, path, []);
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(record)) out[k] = unwrapSecrets(v, path ? `${path}.${k}` : k, found);
        return out;
    }
    return value;
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

/** What every mocked RandomPassword returns: tests search outputs for it to prove no password leaks in plain text. */
export const MOCK_PASSWORD = "mock-password-not-a-secret-0000";

function arnFor(type: string, name: string): string {
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    return `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`;
}

const INVOKES: Record<string, Record<string, unknown>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        accountId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
        userId: "AIDAEXAMPLE",
        id: ACCOUNT,
    },
    "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" },
    "aws:secretsmanager/getSecretVersion:getSecretVersion": {
        secretString: JSON.stringify({ username: "metacortex_admin", password: "mock-master-password-0000" }),
        arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0123-abcdef`,
        id: "rds!db-0123-abcdef",
        versionId: "v1",
        versionStages: ["AWSCURRENT"],
    },
    "aws:index/getRegion:getRegion": {
        name: REGION,
        region: REGION,
        id: REGION,
        description: "Europe (Ireland)",
        endpoint: `ec2.${REGION}.amazonaws.com`,
    },
};

/** Mock state for resources whose outputs the program reads back. */
function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    const arn = arnFor(type, name);
    const state: Record<string, any> = { ...inputs, arn };
    switch (type) {
        case "aws:rds/instance:Instance":
            return {
                ...state,
                address: `${inputs.identifier}.abcdefghijkl.${REGION}.rds.amazonaws.com`,
                endpoint: `${inputs.identifier}.abcdefghijkl.${REGION}.rds.amazonaws.com:${inputs.port}`,
                masterUserSecrets: [
                    {
                        secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-0123-abcdef`,
                        kmsKeyId: inputs.masterUserSecretKmsKeyId,
                        secretStatus: "active",
                    },
                ],
                resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY0",
            };
        case "aws:kms/key:Key": {
            // Distinct keys get distinct ids, so a test can tell which key encrypts what.
            const h = createHash("sha256").update(name).digest("hex");
            const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
            return { ...state, keyId, arn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}` };
        }
        case "aws:rds/parameterGroup:ParameterGroup":
        case "aws:rds/subnetGroup:SubnetGroup":
            return { ...state, name: inputs.name ?? `${name}-1234567` };
        case "random:index/randomPassword:RandomPassword":
            return { ...state, result: MOCK_PASSWORD };
        case "random:index/randomBytes:RandomBytes":
            return {
                ...state,
                base64: Buffer.alloc(inputs.length, 7).toString("base64"),
                hex: Buffer.alloc(inputs.length, 7).toString("hex"),
            };
        case "tls:index/privateKey:PrivateKey":
            return { ...state, privateKeyPem: "-----BEGIN PRIVATE KEY-----\nmock\n-----END PRIVATE KEY-----\n" };
        case "tls:index/selfSignedCert:SelfSignedCert":
        case "tls:index/locallySignedCert:LocallySignedCert":
            return { ...state, certPem: `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n` };
        case "tls:index/certRequest:CertRequest":
            return {
                ...state,
                certRequestPem: "-----BEGIN CERTIFICATE REQUEST-----\nmock\n-----END CERTIFICATE REQUEST-----\n",
            };
        case "docker:index/remoteImage:RemoteImage":
            return {
                ...state,
                imageId: `sha256:${"0".repeat(64)}`,
                repoDigest: `${inputs.name}@sha256:${"0".repeat(64)}`,
            };
        case "docker:index/volume:Volume":
        case "docker:index/network:Network":
        case "docker:index/container:Container":
            return { ...state, name: inputs.name ?? `${name}-0a1b2c` };
        default:
            return state;
    }
}

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

/**
 * Runs index.ts for a stack. `overrides` replace keys of the stack file (without the project prefix for project keys,
 * e.g. `{ backupRetentionDays: "0" }`); an undefined value removes the key.
 */
export async function runStack(stack: string, overrides: Record<string, string | undefined> = {}): Promise<StackRun> {
    const config = stackConfig(stack);
    // dev writes its generated CA to adminCaPath for the postgresql provider: keep that out of the checkout.
    if (config["metacortex-db:target"] === "docker")
        config["metacortex-db:adminCaPath"] = path.join(os.tmpdir(), `metacortex-mock-${process.pid}-dev-ca.pem`);
    // prod reads the RDS CA bundle (for PgBouncer's verify-full): a stand-in file, outside the checkout.
    if (config["metacortex-db:target"] === "aws") {
        const bundle = path.join(os.tmpdir(), `metacortex-mock-${process.pid}-rds-bundle.pem`);
        fs.writeFileSync(bundle, "-----BEGIN CERTIFICATE-----\nmock RDS CA\n-----END CERTIFICATE-----\n");
        config["metacortex-db:adminCaPath"] = bundle;
    }
    for (const [key, value] of Object.entries(overrides)) {
        const full = key.includes(":") ? key : `metacortex-db:${key}`;
        if (value === undefined) delete config[full];
        else config[full] = value;
    }
    const resources: Recorded[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const id = args.type.startsWith("aws:") ? `${args.name}-id` : `${args.name}_id`;
                const secretPaths: string[] = [];
                const inputs = unwrapSecrets(args.inputs, "", secretPaths) as Record<string, any>;
                const state = mockState(args.type, args.name, inputs);
                const parentUrn = pendingParent || undefined;
                pendingParent = "";
                const urn = urnOf(stack, parentUrn, args.type, args.name);
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs,
                    secretPaths,
                    id,
                    urn,
                    parentUrn,
                    custom: args.custom !== false,
                    state,
                });
                return { id, state };
            },
            call(args: pulumi.runtime.MockCallArgs) {
                const answer = INVOKES[args.token];
                if (!answer) throw new Error(`unexpected invoke ${args.token}(${JSON.stringify(args.inputs)})`);
                return answer;
            },
        },
        "metacortex-db",
        stack,
        false,
    );
    pulumi.runtime.setAllConfig(config);
    forgetProjectModules();
    const drain = () => (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
    let program: Record<string, unknown>;
    try {
        program = require(path.join(ROOT, "index.ts")) as Record<string, unknown>;
    } catch (error) {
        await drain();
        throw Object.assign(error as Error, { registered: resources.length });
    }
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [key, value] of Object.entries(program)) {
        const secrets = { found: false };
        outputs[key] = await resolve(value, secrets);
        if (secrets.found) secretOutputs.push(key);
    }
    // Every registration the program started has reached the mock monitor once the RPC queue drains.
    await drain();
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return {
        stack,
        resources,
        outputs,
        secretOutputs,
        ofType,
        one(type: string) {
            const found = ofType(type);
            if (found.length !== 1)
                throw new Error(
                    `expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
                );
            return found[0];
        },
    };
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
