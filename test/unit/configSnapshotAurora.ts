/**
 * configSnapshot.test.ts's cases for the engine keys: the committed Aurora stack file, and each Aurora key's refusals
 * (a bad value, engine aurora with an RDS-only key, an Aurora key with engine rds). Kept apart so the snapshot's own
 * file stays within its length; the snapshot pins these exactly as it pins the others.
 */

/** The stack name, the committed stack file the raw config starts from, and keys set (or removed: undefined). */
export interface ConfigCase {
    readonly stack: string;
    readonly base: "dev" | "prod" | "prod-aurora" | "none";
    readonly overrides: Readonly<Record<string, string | undefined>>;
}

const aurora = (overrides: ConfigCase["overrides"]): ConfigCase => ({ stack: "prod", base: "prod-aurora", overrides });

/** Inputs that parse: the whole StackConfig is pinned. */
export const AURORA_ACCEPTED: Readonly<Record<string, ConfigCase>> = {
    "prod-aurora stack file": { stack: "prod-aurora", base: "prod-aurora", overrides: {} },
    "prod-aurora on Serverless v2, I/O-Optimized, three readers": aurora({
        instanceClass: undefined,
        auroraMinAcu: "2",
        auroraMaxAcu: "32.5",
        auroraReaders: "3",
        auroraStorageType: "aurora-iopt1",
    }),
};

/** Inputs that are refused: the whole ConfigError message is pinned. */
export const AURORA_REJECTED: Readonly<Record<string, ConfigCase>> = {
    "engine unknown": aurora({ engine: "postgres" }),
    "engine aurora on docker": { stack: "dev", base: "dev", overrides: { engine: "aurora" } },
    "aurora readers 16": aurora({ auroraReaders: "16" }),
    "aurora readers 0 in prod": aurora({ auroraReaders: "0" }),
    "aurora readers fractional": aurora({ auroraReaders: "1.5" }),
    "aurora class not offered": aurora({ instanceClass: "db.m6g.large" }),
    "aurora class with ACUs": aurora({ auroraMinAcu: "2", auroraMaxAcu: "8" }),
    "aurora min ACU alone": aurora({ instanceClass: undefined, auroraMinAcu: "2" }),
    "aurora min ACU under prod floor": aurora({ instanceClass: undefined, auroraMinAcu: "1", auroraMaxAcu: "8" }),
    "aurora ACUs off the half steps": aurora({ instanceClass: undefined, auroraMinAcu: "2.25", auroraMaxAcu: "8.1" }),
    "aurora max ACU 257": aurora({ instanceClass: undefined, auroraMinAcu: "2", auroraMaxAcu: "257" }),
    "aurora max ACU under min": aurora({ instanceClass: undefined, auroraMinAcu: "8", auroraMaxAcu: "4" }),
    "aurora ACUs not numbers": aurora({ instanceClass: undefined, auroraMinAcu: "two", auroraMaxAcu: "eight" }),
    "aurora storage type unknown": aurora({ auroraStorageType: "io2" }),
    "aurora with every RDS-only key": aurora({
        allocatedStorageGiB: "100",
        maxAllocatedStorageGiB: "1000",
        multiAz: "true",
        readReplicas: "1",
        replicaInstanceClass: "db.r6g.large",
        drReplicaRegion: "eu-central-1",
        drVpcId: "vpc-0f1e2d3c4b5a69788",
        drSubnetIds: `["subnet-0f1e2d3c4b5a69781", "subnet-0f1e2d3c4b5a69782"]`,
        restore: `{"sourceInstance": "metacortex-prod", "pointInTime": "latest"}`,
    }),
    "rds with every Aurora key": {
        stack: "prod",
        base: "prod",
        overrides: { auroraReaders: "2", auroraMinAcu: "2", auroraMaxAcu: "8", auroraStorageType: "aurora-iopt1" },
    },
};
