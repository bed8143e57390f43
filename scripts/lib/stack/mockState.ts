/**
 * What Pulumi's mocks answer for this program: ARN-shaped ids and the outputs the program reads back, the few
 * invokes it is known to make, and the removal of the engine's secret envelopes from what it sent.
 */
import { createHash } from "crypto";

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";

/** What every mocked RandomPassword returns: tests search outputs for it to prove no password leaks in plain text. */
export const MOCK_PASSWORD = "mock-password-not-a-secret-0000";

function arnFor(type: string, name: string, region: string): string {
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    return `arn:aws:${service}:${region}:${ACCOUNT}:${name}`;
}

/**
 * A subnet's availability zone, as `aws.ec2.getSubnet` answers: the region's zone a, b or c by the id's last hex digit,
 * so the distinct subnets of a stack file land in distinct zones (…711, …722, …733 in b, c, a).
 */
export function subnetZone(id: string): string {
    return `${REGION}${"abc"[Number.parseInt(id.slice(-1), 16) % 3]}`;
}

/** Invokes answered from their inputs. */
export const COMPUTED_INVOKES: Record<string, (inputs: Record<string, any>) => Record<string, unknown>> = {
    "aws:ec2/getSubnet:getSubnet": (inputs) => ({
        id: inputs.id,
        availabilityZone: subnetZone(String(inputs.id)),
        vpcId: "vpc-0a1b2c3d4e5f60718",
    }),
};

export const INVOKES: Record<string, Record<string, unknown>> = {
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

/**
 * Mock state for resources whose outputs the program reads back. `providerRegion` is the region of the provider the
 * resource was registered with, when it names one (a DR-region provider); a resource's own `region` input wins.
 */
export function mockState(
    type: string,
    name: string,
    inputs: Record<string, any>,
    providerRegion?: string,
): Record<string, any> {
    const region: string = inputs.region ?? providerRegion ?? REGION;
    const arn = arnFor(type, name, region);
    const state: Record<string, any> = { ...inputs, arn };
    switch (type) {
        case "aws:rds/instance:Instance":
            return rdsInstanceState(state, inputs, region);
        case "aws:rds/cluster:Cluster":
        case "aws:rds/clusterInstance:ClusterInstance":
            return auroraState(type, state, inputs, region);
        case "aws:kms/key:Key": {
            // Distinct keys get distinct ids, so a test can tell which key encrypts what.
            const h = createHash("sha256").update(name).digest("hex");
            const keyId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
            return { ...state, keyId, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}` };
        }
        case "aws:rds/parameterGroup:ParameterGroup":
        case "aws:rds/clusterParameterGroup:ClusterParameterGroup":
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

/** An RDS instance's outputs: its ARN, endpoint and master secret, in its region. */
function rdsInstanceState(
    state: Record<string, any>,
    inputs: Record<string, any>,
    region: string,
): Record<string, any> {
    const address = `${inputs.identifier}.abcdefghijkl.${region}.rds.amazonaws.com`;
    return {
        ...state,
        arn: `arn:aws:rds:${region}:${ACCOUNT}:db:${inputs.identifier}`,
        address,
        endpoint: `${address}:${inputs.port}`,
        masterUserSecrets: [
            {
                secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:rds!db-0123-abcdef`,
                kmsKeyId: inputs.masterUserSecretKmsKeyId,
                secretStatus: "active",
            },
        ],
        resourceId: "db-ABCDEFGHIJKLMNOPQRSTUVWXY0",
    };
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

/** An Aurora cluster's or cluster instance's outputs: RDS-shaped ARNs, the cluster and reader endpoints, the secret. */
function auroraState(
    type: string,
    state: Record<string, any>,
    inputs: Record<string, any>,
    region: string,
): Record<string, any> {
    if (type === "aws:rds/clusterInstance:ClusterInstance")
        return {
            ...state,
            arn: `arn:aws:rds:${region}:${ACCOUNT}:db:${inputs.identifier}`,
            endpoint: `${inputs.identifier}.abcdefghijkl.${region}.rds.amazonaws.com`,
        };
    const id = inputs.clusterIdentifier;
    return {
        ...state,
        arn: `arn:aws:rds:${region}:${ACCOUNT}:cluster:${id}`,
        endpoint: `${id}.cluster-abcdefghijkl.${region}.rds.amazonaws.com`,
        readerEndpoint: `${id}.cluster-ro-abcdefghijkl.${region}.rds.amazonaws.com`,
        masterUserSecrets: [
            {
                secretArn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:rds!cluster-0123-abcdef`,
                kmsKeyId: inputs.masterUserSecretKmsKeyId,
                secretStatus: "active",
            },
        ],
        clusterResourceId: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0",
    };
}
