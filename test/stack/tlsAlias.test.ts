/**
 * TlsCertificates moved from the Docker components to components/tls, and its type token with it
 * (metacortex:docker:TlsCertificates -> metacortex:tls:TlsCertificates). A type is part of a URN, so without an alias
 * `pulumi up` would replace every certificate and key of a deployed stack. These tests read what the program sends
 * the engine (the mock monitor's RegisterResource requests) and prove that the old URNs are aliased.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { FORMER_TYPE, TlsCertificates } from "../../components/tls/tlsCertificates";
import { drain, runStack } from "../harness/stack";

interface SentAlias {
    readonly urn: string;
    readonly spec?: {
        readonly name: string;
        readonly type: string;
        readonly parenturn: string;
        readonly noparent: boolean;
    };
}
interface Sent {
    readonly type: string;
    readonly name: string;
    readonly parent: string;
    /** Alias specs (monitors that resolve aliases themselves, as the engine and the mocks do). */
    readonly aliasesList: SentAlias[];
    /** Alias URNs the SDK resolved itself (monitors without alias specs). */
    readonly aliasurnsList: string[];
}

type MockMonitorPrototype = { registerResource(req: { toObject(): Sent }, callback: unknown): unknown };
const monitor = MockMonitor.prototype as unknown as MockMonitorPrototype;
// The SDK's runtime state and RPC queue have no typings: they are internal, as in scripts/lib/stack/mockStack.ts.
const store = () =>
    (require("@pulumi/pulumi/runtime/state") as { getStore(): { supportsAliasSpecs: boolean } }).getStore();

/** Records every RegisterResource request while `body` runs. */
async function recordRequests(body: () => Promise<void>): Promise<Sent[]> {
    const sent: Sent[] = [];
    const register = monitor.registerResource;
    monitor.registerResource = function (req, callback) {
        sent.push(req.toObject());
        return register.call(this, req, callback);
    };
    try {
        await body();
    } finally {
        monitor.registerResource = register;
    }
    return sent;
}

/** The URN an alias spec names, as the engine resolves it (createUrn: the parent's type chain, then the type). */
async function aliasedUrn(resource: Sent, alias: SentAlias): Promise<string> {
    if (!alias.spec) return alias.urn;
    const parent = alias.spec.noparent ? undefined : alias.spec.parenturn || resource.parent;
    const urn = pulumi.createUrn(alias.spec.name || resource.name, alias.spec.type || resource.type, parent);
    return new Promise((resolve) => urn.apply(resolve));
}

describe("TlsCertificates keeps its deployed URNs after the move to metacortex:tls", () => {
    /** The URNs of stacks deployed before the move, as the engine wrote them into state. */
    const DEPLOYED = {
        dev:
            "urn:pulumi:dev::metacortex-db::metacortex:index:MetacortexDatabase$metacortex:docker:DockerPostgres" +
            "$metacortex:docker:TlsCertificates::metacortex-dev-docker-tls",
        prod:
            "urn:pulumi:prod::metacortex-db::metacortex:index:MetacortexDatabase$metacortex:kubernetes:Pgbouncer" +
            "$metacortex:docker:TlsCertificates::metacortex-prod-pgbouncer-tls",
    };

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: registers the certificates under the new type with an alias to the deployed URN`, async () => {
            const sent = await recordRequests(async () => void (await runStack(stack)));
            const certs = sent.filter((r) => r.type.endsWith(":TlsCertificates"));
            assert.deepEqual(
                certs.map((r) => r.type),
                ["metacortex:tls:TlsCertificates"],
            );
            const aliases = await Promise.all(certs[0].aliasesList.map((a) => aliasedUrn(certs[0], a)));
            assert.deepEqual(aliases, [DEPLOYED[stack]]);
        });
    }

    it("gives each key and certificate inside an alias to its old URN, derived from the parent's", async () => {
        await pulumi.runtime.setMocks(
            { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: () => ({}) },
            "metacortex-db",
            "alias",
            false,
        );
        // Without alias specs the SDK resolves inherited aliases itself and sends their URNs: the same derivation the
        // engine applies to the children of a resource whose alias spec it receives.
        store().supportsAliasSpecs = false;
        let sent: Sent[];
        try {
            sent = await recordRequests(async () => {
                const parent = new pulumi.ComponentResource("test:index:Parent", "p");
                new TlsCertificates("p-tls", { dnsNames: ["localhost"], ipAddresses: [] }, { parent });
                await drain();
            });
        } finally {
            store().supportsAliasSpecs = true;
        }
        const old = (chain: string, name: string) => `urn:pulumi:alias::metacortex-db::${chain}::${name}`;
        const parentChain = `test:index:Parent$${FORMER_TYPE}`;
        const byName = Object.fromEntries(sent.map((r) => [r.name, r.aliasurnsList]));
        assert.deepEqual(byName, {
            p: [],
            "p-tls": [old(parentChain, "p-tls")],
            "p-tls-ca-key": [old(`${parentChain}$tls:index/privateKey:PrivateKey`, "p-tls-ca-key")],
            "p-tls-ca": [old(`${parentChain}$tls:index/selfSignedCert:SelfSignedCert`, "p-tls-ca")],
            "p-tls-server-key": [old(`${parentChain}$tls:index/privateKey:PrivateKey`, "p-tls-server-key")],
            "p-tls-server-csr": [old(`${parentChain}$tls:index/certRequest:CertRequest`, "p-tls-server-csr")],
            "p-tls-server": [old(`${parentChain}$tls:index/locallySignedCert:LocallySignedCert`, "p-tls-server")],
        });
    });
});
