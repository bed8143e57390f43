/**
 * The replica components' own guards, under Pulumi's mocks: each is built directly with one argument out of range and
 * must refuse it with a ResourceError naming it; each refusal has a control that the bound itself is accepted.
 */
import { ReadReplica, type ReadReplicaArgs } from "../../components/aws/readReplica";
import { ReadReplicas, type ReadReplicasArgs } from "../../components/aws/readReplicas";
import { ReplicaMonitoring } from "../../components/aws/replicaMonitoring";
import { Pgbouncer, type PgbouncerArgs } from "../../components/kubernetes/pgbouncer";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import { readPool } from "../../postgres/pooling/readRouting";
import { guardMocks, name, refuses, tags } from "../harness/guards";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

describe("replica component guards under mocks", () => {
    guardMocks();

    const replica = (over: Partial<ReadReplicaArgs>): ReadReplicaArgs => ({
        identifier: "metacortex-test-replica-1",
        source: "metacortex-test",
        instanceClass: "db.t4g.medium",
        port: 5432,
        maxAllocatedStorageGiB: 100,
        kmsKeyArn: KEY,
        parameterGroupName: "pg",
        securityGroupIds: ["sg-0a1b2c3d"],
        monitoringRoleArn: "arn:aws:iam::123456789012:role/monitoring",
        deletionProtection: true,
        maintenanceWindow: "sun:04:00-sun:05:00",
        tags,
        ...over,
    });

    it("ReadReplica fails on an identifier RDS refuses, and on backups beyond 35 days", () => {
        const n = name("replica");
        refuses(
            () => new ReadReplica(n, replica({ identifier: "Replica_1" })),
            ReadReplica,
            `ReadReplica ${n}: identifier must be lower-case letters, digits and hyphens, starting with a letter, at most 63, got Replica_1`,
        );
    });

    it("ReadReplicas fails on 0 or 6 replicas, and accepts 1 and 5", () => {
        const set = (count: number): ReadReplicasArgs => {
            const { identifier, source, parameterGroupName, ...shared } = replica({});
            return { ...shared, sourceIdentifier: "metacortex-test", source, count, parameters: [] };
        };
        for (const count of [0, 6]) {
            const n = name("replicas");
            refuses(
                () => new ReadReplicas(n, set(count)),
                ReadReplicas,
                `ReadReplicas ${n}: count must be 1 to 5, got ${count}`,
            );
        }
        for (const count of [1, 5]) new ReadReplicas(name("replicas"), set(count));
    });

    it("ReplicaMonitoring fails when it watches no replica", () => {
        const n = name("replica-monitoring");
        refuses(
            () => new ReplicaMonitoring(n, { replicaIds: [], thresholds: {}, topicArn: "arn:aws:sns:t", tags }),
            ReplicaMonitoring,
            `ReplicaMonitoring ${n}: replicaIds names no replica`,
        );
        new ReplicaMonitoring(name("replica-monitoring"), { replicaIds: ["r"], thresholds: {}, topicArn: "t", tags });
    });

    it("Pgbouncer fails on a read database over several hosts before PgBouncer 1.25, and accepts one host", () => {
        const sizing = poolSizing(387, 2);
        const args = (hosts: string[]): PgbouncerArgs => ({
            namespace: "db",
            appNamespace: "app",
            image: "ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
            version: { major: 1, minor: 23 },
            sizing,
            database: { name: "metacortex", host: "db.example", port: 5432 },
            read: {
                name: "metacortex_ro",
                hosts,
                pool: readPool(sizing, { servedBy: "replicas", budget: 387 * hosts.length }),
            },
            serverCaPem: "",
            verifiers: {},
            labels: {},
        });
        const n = name("pgbouncer");
        refuses(
            () => new Pgbouncer(n, args(["r1.example", "r2.example"])),
            Pgbouncer,
            `Pgbouncer ${n}: read.hosts has 2 hosts, which PgBouncer 1.23 cannot verify one by one ` +
                "(verify-full checks the whole list against each certificate): 1.25 or later required " +
                "(ghcr.io/cloudnative-pg/pgbouncer:1.23.1)",
        );
        new Pgbouncer(name("pgbouncer"), args(["r1.example"]));
    });
});
