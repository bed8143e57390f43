/**
 * RDS refuses an event subscription that names a source which does not exist yet (SourceNotFound). The subscriptions
 * name their databases by identifier (plain strings, so policies can read them at preview), which carries no
 * dependency: each must therefore depend explicitly on every instance and cluster it names, or the first `pulumi up`
 * creates it minutes before them and fails. Read from what the program sends the engine (RegisterResource requests).
 */
import { strict as assert } from "assert";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { runStack, type StackRun } from "../harness/stack";

interface Sent {
    readonly type: string;
    readonly name: string;
    readonly dependenciesList: string[];
}
type MockMonitorPrototype = { registerResource(req: { toObject(): Sent }, callback: unknown): unknown };
const monitor = MockMonitor.prototype as unknown as MockMonitorPrototype;

async function runRecording(
    stack: string,
    overrides: Record<string, string> = {},
): Promise<{ run: StackRun; sent: Sent[] }> {
    const sent: Sent[] = [];
    const register = monitor.registerResource;
    monitor.registerResource = function (req, callback) {
        sent.push(req.toObject());
        return register.call(this, req, callback);
    };
    try {
        return { run: await runStack(stack, overrides), sent };
    } finally {
        monitor.registerResource = register;
    }
}

const SUBSCRIPTION = "aws:rds/eventSubscription:EventSubscription";
const PROXY_TARGET = "aws:rds/proxyTarget:ProxyTarget";

/** The databases a resource names by identifier. */
function named(type: string, inputs: Record<string, any>): string[] {
    if (type === PROXY_TARGET) return [inputs.dbInstanceIdentifier ?? inputs.dbClusterIdentifier].filter(Boolean);
    return inputs.sourceIds ?? [];
}

/** Each resource of `type` with the identifiers it names and the identifiers of the RDS resources it depends on. */
async function dependents(stack: string, type: string, overrides: Record<string, string> = {}) {
    const { run, sent } = await runRecording(stack, overrides);
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    const identifierOf = (urn: string): string | undefined => {
        const r = byUrn.get(urn);
        if (!r) return undefined;
        if (r.type === "aws:rds/cluster:Cluster") return r.inputs.clusterIdentifier;
        if (r.type === "aws:rds/instance:Instance" || r.type === "aws:rds/clusterInstance:ClusterInstance")
            return r.inputs.identifier;
        return undefined;
    };
    return run.ofType(type).map((s) => {
        const request = sent.find((q) => q.type === type && q.name === s.name);
        assert.ok(request, `no RegisterResource request for ${s.name}`);
        const waitsFor = request.dependenciesList.map(identifierOf).filter((x): x is string => x !== undefined);
        return { name: s.name, sourceType: s.inputs.sourceType, sourceIds: named(type, s.inputs), waitsFor };
    });
}

describe("RDS event subscriptions and the RDS Proxy target wait for the databases they name", () => {
    for (const [stack, expected] of [
        ["prod", 3],
        ["prod-aurora", 2],
    ] as const) {
        it(`${stack}: each of its ${expected} subscriptions depends on every instance or cluster in its sourceIds`, async () => {
            const subs = await dependents(stack, SUBSCRIPTION);
            assert.equal(subs.length, expected, subs.map((s) => s.name).join(", "));
            for (const s of subs) {
                assert.ok(s.sourceIds.length > 0, `${s.name} names no source`);
                const missing = s.sourceIds.filter((id) => !s.waitsFor.includes(id));
                assert.deepEqual(missing, [], `${s.name} (${s.sourceType}) does not wait for ${missing.join(", ")}`);
            }
        });
    }

    for (const stack of ["prod", "prod-aurora"]) {
        it(`${stack} with pooler rds-proxy: the proxy's target waits for the database it registers`, async () => {
            const [target] = await dependents(stack, PROXY_TARGET, { pooler: "rds-proxy" });
            assert.equal(target.sourceIds.length, 1);
            assert.ok(
                target.waitsFor.includes(target.sourceIds[0]),
                `${target.name} does not wait for ${target.sourceIds}`,
            );
            if (stack === "prod-aurora") assert.ok(target.waitsFor.length >= 2, "the cluster and its writer instance");
        });
    }
});
