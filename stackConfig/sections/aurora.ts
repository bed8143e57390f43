/**
 * The engine section: an RDS for PostgreSQL instance, or an Aurora PostgreSQL cluster (target aws) with its readers,
 * its capacity (instances of `instanceClass`, or Serverless v2 between two ACU counts) and its storage type. With
 * Aurora, the keys that only mean something to an RDS instance are refused rather than silently ignored: a reader of
 * the stack file must never believe a setting is in force.
 */
import { AURORA_INSTANCE_CLASSES, serverlessSizing } from "../../postgres/instanceClasses";
import type { Reader } from "../read";
import { decimal, integer, oneOf, perEnv, row, ruleWith } from "../schema";
import type { AuroraConfig, StackConfig } from "../types";

/** Aurora PostgreSQL takes up to 15 readers per cluster. */
const MAX_READERS = 15;
/** Aurora caps max_connections at 2000 when the minimum capacity is 0.5 ACUs; 40 ACUs (80 GiB) already size 2000. */
const MAX_ACU_AT_HALF_MIN = 40;

/** The RDS-only keys, each with what takes its place in an Aurora cluster. */
export const RDS_ONLY_KEYS: Readonly<Record<string, string>> = {
    allocatedStorageGiB: "Aurora storage grows by itself, up to 128 TiB",
    maxAllocatedStorageGiB: "Aurora storage grows by itself, up to 128 TiB",
    multiAz: "the cluster fails over to a reader in another AZ (auroraReaders)",
    readReplicas: "Aurora readers are auroraReaders, behind the reader endpoint",
    replicaInstanceClass: "Aurora readers are of instanceClass, or Serverless v2",
    drReplicaRegion: "no cross-region Aurora replica is built; AWS Backup copies snapshots to backupDrRegion",
    drVpcId: "no cross-region Aurora replica is built",
    drSubnetIds: "no cross-region Aurora replica is built",
    restore: "restore a cluster to a point in time with aws rds restore-db-cluster-to-point-in-time (docs/aurora.md)",
};

const ONLY_AURORA = "only with engine aurora";
const PAIR = "set together with the other of auroraMinAcu and auroraMaxAcu";

export const AURORA_KEYS = {
    engine: row({
        doc:
            "`rds`: an RDS for PostgreSQL instance (Multi-AZ, read replicas); `aurora`: an Aurora PostgreSQL cluster, " +
            "a writer and readers on one shared volume (docs/aurora.md compares them)",
        type: oneOf(["rds", "aurora"]),
        default: "rds",
        rules: {
            aws: "aurora only for target aws (dev runs PostgreSQL in Docker)",
            rdsOnly: `with aurora, the RDS-only keys ${Object.keys(RDS_ONLY_KEYS).join(", ")} are refused`,
            classes: `with aurora, \`instanceClass\` is one Aurora offers (${AURORA_INSTANCE_CLASSES.join(", ")}), and unset with the ACU keys`,
        },
    }),
    auroraReaders: row({
        doc:
            "readers beside the writer, one per AZ of the subnets in turn: each is a failover target and serves " +
            "PgBouncer's read database through the reader endpoint",
        type: integer(perEnv(0, 1), MAX_READERS, {
            unit: "readers",
            note: "(prod keeps one in another AZ to fail over to)",
        }),
        default: perEnv(0, 1),
        rules: { aurora: ONLY_AURORA },
    }),
    auroraMinAcu: row({
        doc: "Serverless v2: the capacity every instance scales down to (an ACU is about 2 GiB of memory)",
        type: decimal(perEnv(0.5, 2), 256, 0.5, { unit: "ACUs", note: "(Performance Insights needs 2)" }),
        default: { unset: "provisioned instances of `instanceClass`" },
        rules: { aurora: ONLY_AURORA, pair: PAIR },
    }),
    auroraMaxAcu: row({
        doc: "Serverless v2: the capacity every instance scales up to; settings, pools and alarms are sized for it",
        type: decimal(1, 256, 0.5, { unit: "ACUs", note: "(older engine versions stop at 128)" }),
        default: { unset: "provisioned instances of `instanceClass`" },
        rules: {
            aurora: ONLY_AURORA,
            pair: PAIR,
            aboveMin: ruleWith("at least `auroraMinAcu`", (min) => `at least auroraMinAcu (${min})`),
            halfMin: `at most ${MAX_ACU_AT_HALF_MIN} with auroraMinAcu 0.5, when Aurora caps max_connections at 2000`,
        },
    }),
    auroraStorageType: row({
        doc:
            "`aurora`: Aurora Standard, I/O billed per request; `aurora-iopt1`: I/O-Optimized, no I/O charges for " +
            "dearer instances and storage (docs/aurora.md has the break-even)",
        type: oneOf(["aurora", "aurora-iopt1"]),
        default: "aurora",
        rules: { aurora: ONLY_AURORA },
    }),
};

type AuroraReader = Reader<typeof AURORA_KEYS>;
type EngineConfig = Pick<StackConfig, "engine" | "instanceClass" | "aurora">;

/**
 * The engine, and with Aurora the cluster's shape. `instanceClass` is the class everything is sized as: the
 * configured one, or for Serverless v2 `db.serverless/<max ACU>`. The Aurora keys are checked against their rows
 * whichever the engine, so a value is never refused for one reason only to be refused for another next time.
 */
export function readEngine(r: AuroraReader, instanceClass: string): EngineConfig {
    const engine = r.read("engine") ?? "rds";
    const readers = r.read("auroraReaders");
    const storageType = r.read("auroraStorageType") ?? "aurora";
    const minAcu = r.read("auroraMinAcu");
    const maxAcu = r.read("auroraMaxAcu");
    if (engine === "aurora" && r.target !== "aws") r.breaks("engine", "aws", engine);
    // A refused engine is read as rds, whose keys the rest of the parse checked, without refusing the file's Aurora
    // keys as well: which engine they belong to is the one problem to report.
    if (r.failed("engine")) return { engine: "rds", instanceClass };
    if (engine === "rds") {
        for (const key of ["auroraReaders", "auroraMinAcu", "auroraMaxAcu", "auroraStorageType"] as const)
            if (r.raw[key] !== undefined) r.breaks(key, "aurora", r.raw[key]);
        return { engine, instanceClass };
    }
    for (const [key, instead] of Object.entries(RDS_ONLY_KEYS))
        if (r.raw[key] !== undefined) r.reject(key, r.raw[key], `only with engine rds (engine is aurora: ${instead})`);
    const serverless = capacity(r, minAcu, maxAcu);
    if (!serverless && !AURORA_INSTANCE_CLASSES.includes(instanceClass))
        r.reject("instanceClass", instanceClass, `with engine aurora, one of ${AURORA_INSTANCE_CLASSES.join(", ")}`);
    if (serverless && r.raw.instanceClass !== undefined)
        r.reject(
            "instanceClass",
            r.raw.instanceClass,
            "not with auroraMinAcu and auroraMaxAcu: Serverless v2 instances are db.serverless, sized by their ACUs",
        );
    return {
        engine,
        aurora: { readers, serverless, storageType },
        instanceClass: serverless ? serverlessSizing(serverless.maxAcu) : instanceClass,
    };
}

/** The Serverless v2 range, both ends or neither, the maximum not under the minimum; undefined for provisioned. */
function capacity(r: AuroraReader, minAcu?: number, maxAcu?: number): AuroraConfig["serverless"] {
    if (r.failed("auroraMinAcu") || r.failed("auroraMaxAcu")) return undefined;
    if (minAcu === undefined && maxAcu === undefined) return undefined;
    if (minAcu === undefined || maxAcu === undefined) {
        const given = minAcu === undefined ? "auroraMaxAcu" : "auroraMinAcu";
        r.breaks(given, "pair", r.raw[given]);
        return undefined;
    }
    if (maxAcu < minAcu) r.breaks("auroraMaxAcu", "aboveMin", r.raw.auroraMaxAcu, minAcu);
    else if (minAcu === 0.5 && maxAcu > MAX_ACU_AT_HALF_MIN) r.breaks("auroraMaxAcu", "halfMin", r.raw.auroraMaxAcu);
    return { minAcu, maxAcu };
}
