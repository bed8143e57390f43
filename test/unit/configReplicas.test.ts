/** The read-replica keys: defaults per environment, each bound and rule, and the exact line the user sees. */
import { strict as assert } from "assert";
import { parseStackConfig } from "../../config";
import { problems, raw } from "../harness/config";

const NO_DR = { drReplicaRegion: undefined, drVpcId: undefined, drSubnetIds: undefined };

describe("read replica config", () => {
    it("defaults to no replica in dev and one in prod, of the primary's class, with a 60 s lag alarm", () => {
        const dev = parseStackConfig({}, "dev").replicas;
        assert.deepEqual(dev, { count: 0, instanceClass: "db.t4g.medium", lagAlarmSeconds: 60, dr: undefined });
        const prod = parseStackConfig(raw("prod", { readReplicas: undefined, ...NO_DR }), "prod").replicas;
        assert.deepEqual(prod, { count: 1, instanceClass: "db.r6g.large", lagAlarmSeconds: 60, dr: undefined });
    });

    it("reads the committed prod stack: one replica and a DR replica in eu-central-1 with its own network", () => {
        assert.deepEqual(parseStackConfig(raw("prod", {}), "prod").replicas, {
            count: 1,
            instanceClass: "db.r6g.large",
            lagAlarmSeconds: 60,
            dr: {
                region: "eu-central-1",
                vpcId: "vpc-0f1e2d3c4b5a69788",
                subnetIds: ["subnet-0f1e2d3c4b5a69781", "subnet-0f1e2d3c4b5a69782"],
            },
        });
    });

    it("accepts readReplicas in dev for the local standbys, and a smaller replica class", () => {
        const c = parseStackConfig(raw("dev", { readReplicas: "2", replicaInstanceClass: "db.t4g.small" }), "dev");
        assert.deepEqual([c.replicas.count, c.replicas.instanceClass], [2, "db.t4g.small"]);
    });

    const bad: Array<[string, "dev" | "prod", Record<string, string | undefined>, string[]]> = [
        [
            "6 replicas",
            "prod",
            { readReplicas: "6" },
            ['metacortex-db:readReplicas = "6": a whole number from 0 to 5 replicas'],
        ],
        [
            "-1 replicas",
            "dev",
            { readReplicas: "-1" },
            ['metacortex-db:readReplicas = "-1": a whole number from 0 to 5 replicas'],
        ],
        [
            "2 replicas behind PgBouncer 1.23",
            "prod",
            { readReplicas: "2" },
            [
                'metacortex-db:readReplicas = "2": at most 1 with pgbouncerImage ghcr.io/cloudnative-pg/pgbouncer:1.23.1: PgBouncer verifies each of several hosts (verify-full) from 1.25 on',
            ],
        ],
        [
            "a replica class not in the table",
            "prod",
            { replicaInstanceClass: "db.x2g.large" },
            [`metacortex-db:replicaInstanceClass = "db.x2g.large": one of `],
        ],
        [
            "a lag alarm under max_standby_streaming_delay",
            "prod",
            { replicaLagAlarmSeconds: "29" },
            [
                'metacortex-db:replicaLagAlarmSeconds = "29": a whole number from 30 to 3600 seconds (replay may wait max_standby_streaming_delay, 30 s, for a conflicting query)',
            ],
        ],
        [
            "a lag alarm over an hour",
            "prod",
            { replicaLagAlarmSeconds: "3601" },
            [
                'metacortex-db:replicaLagAlarmSeconds = "3601": a whole number from 30 to 3600 seconds (replay may wait max_standby_streaming_delay, 30 s, for a conflicting query)',
            ],
        ],
        [
            "the DR replica in the stack's own region",
            "prod",
            { drReplicaRegion: "eu-west-1" },
            [
                'metacortex-db:drReplicaRegion = "eu-west-1": a region other than the stack\'s (eu-west-1): the replica must survive the loss of a region',
            ],
        ],
        [
            "a DR region that is no region",
            "prod",
            { drReplicaRegion: "europe" },
            ['metacortex-db:drReplicaRegion = "europe": an AWS region name, e.g. eu-central-1'],
        ],
        [
            "a DR region without its network",
            "prod",
            { drVpcId: undefined, drSubnetIds: undefined },
            [
                "metacortex-db:drVpcId = undefined: required with drReplicaRegion",
                "metacortex-db:drSubnetIds = []: at least two private subnets in different AZs of drReplicaRegion, required with it",
            ],
        ],
        [
            "one DR subnet",
            "prod",
            { drSubnetIds: '["subnet-0f1e2d3c4b5a69781"]' },
            [
                'metacortex-db:drSubnetIds = ["subnet-0f1e2d3c4b5a69781"]: at least two private subnets in different AZs of drReplicaRegion, required with it',
            ],
        ],
        [
            "a DR network without a DR region",
            "prod",
            { drReplicaRegion: undefined },
            [
                'metacortex-db:drVpcId = "vpc-0f1e2d3c4b5a69788": only with drReplicaRegion',
                'metacortex-db:drSubnetIds = ["subnet-0f1e2d3c4b5a69781","subnet-0f1e2d3c4b5a69782"]: only with drReplicaRegion',
            ],
        ],
        [
            "a DR replica for Docker",
            "dev",
            {
                drReplicaRegion: "eu-central-1",
                drVpcId: "vpc-0f1e2d3c4b5a69788",
                drSubnetIds: '["subnet-0f1e2d3c4b5a69781","subnet-0f1e2d3c4b5a69782"]',
            },
            ['metacortex-db:drReplicaRegion = "eu-central-1": only for target aws'],
        ],
    ];
    for (const [title, stack, overrides, expected] of bad) {
        it(`refuses ${title}, naming the key, the value and what is allowed`, () => {
            const lines = problems(stack, overrides);
            assert.equal(lines.length, expected.length, lines.join("\n"));
            for (const [i, line] of expected.entries())
                assert.ok(lines[i].startsWith(line), `${lines[i]}\n  expected ${line}`);
        });
    }

    it("accepts several replicas with PgBouncer 1.25, with RDS Proxy, or without a pooler", () => {
        for (const overrides of [
            { readReplicas: "5", pgbouncerImage: "ghcr.io/cloudnative-pg/pgbouncer:1.25.2" },
            { readReplicas: "3", pooler: "rds-proxy" },
            { readReplicas: "3", pooler: "none" },
        ])
            assert.deepEqual(problems("prod", overrides), [], JSON.stringify(overrides));
    });

    it("accepts the bounds themselves: 0 and 5 replicas, a 30 s and a 3600 s lag alarm", () => {
        const image = { pgbouncerImage: "ghcr.io/cloudnative-pg/pgbouncer:1.25.2" };
        for (const overrides of [
            { readReplicas: "0" },
            { readReplicas: "5", ...image },
            { replicaLagAlarmSeconds: "30" },
            { replicaLagAlarmSeconds: "3600" },
        ])
            assert.deepEqual(problems("prod", overrides), [], JSON.stringify(overrides));
    });
});
