/** The engine keys: rds stays prod's default; aurora's readers, capacity and storage; the RDS-only keys refused. */
import { strict as assert } from "assert";
import { parseStackConfig } from "../../config";
import { problems, raw } from "../harness/config";

/** prod's stack file made an Aurora one: engine aurora, without the RDS-only keys it sets. */
const AURORA_PROD: Record<string, string | undefined> = {
    engine: "aurora",
    allocatedStorageGiB: undefined,
    maxAllocatedStorageGiB: undefined,
    multiAz: undefined,
    readReplicas: undefined,
    drReplicaRegion: undefined,
    drVpcId: undefined,
    drSubnetIds: undefined,
};

describe("engine config", () => {
    it("keeps prod on RDS by default, with no Aurora config", () => {
        const c = parseStackConfig(raw("prod", {}), "prod");
        assert.deepEqual(
            [c.engine, c.aurora, c.instanceClass, c.replicas.count],
            ["rds", undefined, "db.r6g.large", 1],
        );
        assert.equal(parseStackConfig({}, "dev").engine, "rds");
    });

    it("reads an Aurora prod: one reader by default, Standard storage, the class as given, no RDS replica", () => {
        const c = parseStackConfig(raw("prod", AURORA_PROD), "prod");
        assert.equal(c.engine, "aurora");
        assert.deepEqual(c.aurora, { readers: 1, serverless: undefined, storageType: "aurora" });
        assert.equal(c.instanceClass, "db.r6g.large");
        assert.deepEqual([c.replicas.count, c.replicas.dr, c.replicas.lagAlarmSeconds], [0, undefined, 60]);
        assert.deepEqual([c.deletionProtection, c.backupRetentionDays, c.backupWindow], [true, 14, "03:00-03:30"]);
    });

    it("reads Serverless v2: sized as db.serverless/<max ACU>, the ACUs in half steps", () => {
        const c = parseStackConfig(
            raw("prod", {
                ...AURORA_PROD,
                instanceClass: undefined,
                auroraMinAcu: "2.5",
                auroraMaxAcu: "16",
                auroraReaders: "2",
                auroraStorageType: "aurora-iopt1",
            }),
            "prod",
        );
        assert.deepEqual(c.aurora, {
            readers: 2,
            serverless: { minAcu: 2.5, maxAcu: 16 },
            storageType: "aurora-iopt1",
        });
        assert.equal(c.instanceClass, "db.serverless/16");
        assert.equal(c.replicas.instanceClass, "db.serverless/16");
    });

    it("accepts 0 readers and half an ACU outside prod", () => {
        const c = parseStackConfig(
            {
                engine: "aurora",
                target: "aws",
                vpcId: "vpc-0a1b2c3d",
                subnetIds: `["subnet-0a1b2c3d", "subnet-0a1b2c3e"]`,
                allowedSecurityGroupIds: `["sg-0a1b2c3d"]`,
                auroraReaders: "0",
                auroraMinAcu: "0.5",
                auroraMaxAcu: "4",
            },
            "dev",
        );
        assert.deepEqual(c.aurora, { readers: 0, serverless: { minAcu: 0.5, maxAcu: 4 }, storageType: "aurora" });
    });

    const bad: Array<[string, "dev" | "prod", Record<string, string | undefined>, string[]]> = [
        [
            "aurora on docker",
            "dev",
            { engine: "aurora" },
            ['metacortex-db:engine = "aurora": aurora only for target aws (dev runs PostgreSQL in Docker)'],
        ],
        [
            "an unknown engine",
            "prod",
            { engine: "postgres" },
            ['metacortex-db:engine = "postgres": one of rds, aurora'],
        ],
        [
            "Aurora keys with rds",
            "prod",
            { auroraReaders: "2", auroraStorageType: "aurora-iopt1" },
            [
                'metacortex-db:auroraReaders = "2": only with engine aurora',
                'metacortex-db:auroraStorageType = "aurora-iopt1": only with engine aurora',
            ],
        ],
        [
            "RDS-only keys with aurora",
            "prod",
            { engine: "aurora", allocatedStorageGiB: undefined, readReplicas: undefined },
            [
                'metacortex-db:maxAllocatedStorageGiB = "1000": only with engine rds (engine is aurora: Aurora storage grows by itself, up to 128 TiB)',
                'metacortex-db:multiAz = "true": only with engine rds (engine is aurora: the cluster fails over to a reader in another AZ (auroraReaders))',
                'metacortex-db:drReplicaRegion = "eu-central-1": only with engine rds (engine is aurora: no cross-region Aurora replica is built; AWS Backup copies snapshots to backupDrRegion)',
                'metacortex-db:drVpcId = "vpc-0f1e2d3c4b5a69788": only with engine rds (engine is aurora: no cross-region Aurora replica is built)',
                `metacortex-db:drSubnetIds = ${JSON.stringify(JSON.stringify(["subnet-0f1e2d3c4b5a69781", "subnet-0f1e2d3c4b5a69782"]))}: only with engine rds (engine is aurora: no cross-region Aurora replica is built)`,
            ],
        ],
        [
            "a declarative restore",
            "prod",
            { ...AURORA_PROD, restore: `{"sourceInstance": "metacortex-prod", "pointInTime": "latest"}` },
            [
                `metacortex-db:restore = ${JSON.stringify(`{"sourceInstance": "metacortex-prod", "pointInTime": "latest"}`)}: only with engine rds (engine is aurora: restore a cluster to a point in time with aws rds restore-db-cluster-to-point-in-time (docs/aurora.md))`,
            ],
        ],
        [
            "no reader in prod",
            "prod",
            { ...AURORA_PROD, auroraReaders: "0" },
            [
                'metacortex-db:auroraReaders = "0": a whole number from 1 to 15 readers in prod (prod keeps one in another AZ to fail over to)',
            ],
        ],
        [
            "a class Aurora does not offer",
            "prod",
            { ...AURORA_PROD, instanceClass: "db.m6g.large" },
            [
                'metacortex-db:instanceClass = "db.m6g.large": with engine aurora, one of db.t4g.medium, db.t4g.large, db.r6g.large, db.r6g.xlarge, db.r6g.2xlarge, db.r6g.4xlarge, db.r6g.8xlarge, db.r7g.large, db.r7g.xlarge, db.r7g.2xlarge, db.r7g.4xlarge',
            ],
        ],
        [
            "a class with Serverless v2",
            "prod",
            { ...AURORA_PROD, auroraMinAcu: "2", auroraMaxAcu: "8" },
            [
                'metacortex-db:instanceClass = "db.r6g.large": not with auroraMinAcu and auroraMaxAcu: Serverless v2 instances are db.serverless, sized by their ACUs',
            ],
        ],
        [
            "one end of the range",
            "prod",
            { ...AURORA_PROD, instanceClass: undefined, auroraMaxAcu: "8" },
            ['metacortex-db:auroraMaxAcu = "8": set together with the other of auroraMinAcu and auroraMaxAcu'],
        ],
        [
            "a range upside down",
            "prod",
            { ...AURORA_PROD, instanceClass: undefined, auroraMinAcu: "8", auroraMaxAcu: "4" },
            ['metacortex-db:auroraMaxAcu = "4": at least auroraMinAcu (8)'],
        ],
        [
            "ACUs off the half steps and under prod's floor",
            "prod",
            { ...AURORA_PROD, instanceClass: undefined, auroraMinAcu: "1", auroraMaxAcu: "4.25" },
            [
                'metacortex-db:auroraMinAcu = "1": a number from 2 to 256 in steps of 0.5 ACUs in prod (Performance Insights needs 2)',
                'metacortex-db:auroraMaxAcu = "4.25": a number from 1 to 256 in steps of 0.5 ACUs (older engine versions stop at 128)',
            ],
        ],
        [
            "half an ACU with more than 40",
            "dev",
            { target: "aws", engine: "aurora", auroraMinAcu: "0.5", auroraMaxAcu: "64", ...devAws() },
            [
                'metacortex-db:auroraMaxAcu = "64": at most 40 with auroraMinAcu 0.5, when Aurora caps max_connections at 2000',
            ],
        ],
        [
            "an unknown storage type",
            "prod",
            { ...AURORA_PROD, auroraStorageType: "io2" },
            ['metacortex-db:auroraStorageType = "io2": one of aurora, aurora-iopt1'],
        ],
    ];
    for (const [title, stack, overrides, expected] of bad)
        it(`refuses ${title}, naming the key, the value and what is allowed`, () =>
            assert.deepEqual(problems(stack, overrides), expected));
});

/** What a dev stack on AWS needs besides its engine keys. */
function devAws(): Record<string, string | undefined> {
    return {
        vpcId: "vpc-0a1b2c3d",
        subnetIds: `["subnet-0a1b2c3d", "subnet-0a1b2c3e"]`,
        allowedSecurityGroupIds: `["sg-0a1b2c3d"]`,
        instanceClass: undefined,
    };
}
