/** The read-replica section: replicas in the stack's region, their lag alarm, and a cross-region replica for DR. */
import { MIN_REPLICA_LAG_ALARM_SECONDS } from "../../postgres/monitoring/replicas";
import { MULTI_HOST_VERIFY_FULL, multiHostProblem, versionOfImage } from "../../postgres/pooling/pgbouncerIni";
import { MAX_STANDBYS } from "../../postgres/roles/model";
import * as c from "../checks";
import type { Reader } from "../read";
import { integer, list, perEnv, row, ruleWith, text } from "../schema";
import type { PoolingConfig, ReplicaConfig, Target } from "../types";

/**
 * RDS for PostgreSQL takes up to 15 read replicas per source; this platform sizes and watches up to 5, the standbys
 * a local primary's replication role has connections for.
 */
const MAX_READ_REPLICAS = MAX_STANDBYS;
const MULTI_HOST = `${MULTI_HOST_VERIFY_FULL.major}.${MULTI_HOST_VERIFY_FULL.minor}`;

export const REPLICA_KEYS = {
    readReplicas: row({
        doc:
            "aws: RDS read replicas in the stack's region, behind PgBouncer's read database (docs/pooling.md). " +
            "docker: streaming standby containers, each built by pg_basebackup from the primary over TLS as the " +
            "managed replication role with its own slot (so none without `manageRoles`, as for PgBouncer), " +
            "published on no host port: reads reach them through PgBouncer's read database (a PgBouncer older than " +
            `${MULTI_HOST} reads from the first only). \`npm run local\` starts as many local standbys`,
        type: integer(0, MAX_READ_REPLICAS, { unit: "replicas" }),
        default: perEnv(0, 1),
        rules: {
            pgbouncer: ruleWith(
                `aws: at most 1 while \`pgbouncerImage\` is older than PgBouncer ${MULTI_HOST}, which verifies each of several hosts`,
                (image) =>
                    `at most 1 with pgbouncerImage ${image}: PgBouncer verifies each of several hosts (verify-full) from ${MULTI_HOST} on`,
            ),
        },
    }),
    replicaInstanceClass: row({
        doc:
            "the replicas' class; a smaller one keeps the primary's max_connections (a hot standby needs them) and " +
            "the read pool opens only its own budget",
        type: text(c.INSTANCE_CLASS),
        default: { computed: "the primary's `instanceClass`" },
    }),
    replicaLagAlarmSeconds: row({
        doc: "ReplicaLag above this for 5 minutes pages (each replica, the DR one too)",
        type: integer(MIN_REPLICA_LAG_ALARM_SECONDS, 3600, {
            unit: "seconds",
            note: `(replay may wait max_standby_streaming_delay, ${MIN_REPLICA_LAG_ALARM_SECONDS} s, for a conflicting query)`,
        }),
        default: 60,
    }),
    drReplicaRegion: row({
        doc:
            "a cross-region read replica for region loss, under that region's own KMS key, promoted by hand " +
            "(docs/runbooks/region-loss.md), with the role secrets replicated there under that key; it serves no reads",
        type: text(c.AWS_REGION),
        default: { unset: "none: no cross-region replica" },
        rules: {
            otherRegion: ruleWith(
                "a region other than the stack's `aws:region`",
                (region) =>
                    `a region other than the stack's (${region}): the replica must survive the loss of a region`,
            ),
            aws: "only for target aws",
        },
    }),
    drVpcId: row({
        doc: "the DR replica's VPC, in `drReplicaRegion`",
        type: text(c.VPC_ID),
        default: { unset: "none" },
        rules: { required: "required with drReplicaRegion", only: "only with drReplicaRegion" },
    }),
    drSubnetIds: row({
        doc: "the DR replica's DB subnet group, in `drReplicaRegion`",
        type: list("a list of subnet ids", c.SUBNET_ID),
        default: [],
        rules: {
            required: "at least two private subnets in different AZs of drReplicaRegion, required with it",
            only: "only with drReplicaRegion",
        },
    }),
};

type ReplicaReader = Reader<typeof REPLICA_KEYS>;

/** The replicas (several RDS ones need PgBouncer 1.25+ in front of them), their class and lag alarm, the DR replica. */
export function readReplicas(r: ReplicaReader, primaryClass: string, pooling: PoolingConfig): ReplicaConfig {
    const count = r.read("readReplicas");
    if (r.target === "aws" && pooling.pooler === "pgbouncer" && count > 1 && !multiHostPgbouncer(pooling.image))
        r.breaks("readReplicas", "pgbouncer", r.raw.readReplicas, pooling.image);
    return {
        count,
        // Unset, it is the primary's, whose own key already reported it if it is wrong.
        instanceClass: r.raw.replicaInstanceClass === undefined ? primaryClass : r.read("replicaInstanceClass"),
        lagAlarmSeconds: r.read("replicaLagAlarmSeconds"),
        dr: readDr(r, r.target),
    };
}

/** Whether an image's PgBouncer verifies each host of a list; an unreadable tag is the pooling section's problem. */
function multiHostPgbouncer(image: string): boolean {
    try {
        return multiHostProblem(versionOfImage(image), 2) === undefined;
    } catch {
        return true;
    }
}

/** The DR replica's region (never the stack's) and its network there, all or nothing. */
function readDr(r: ReplicaReader, target: Target | undefined): ReplicaConfig["dr"] {
    const region = r.read("drReplicaRegion");
    const vpcId = r.read("drVpcId");
    const subnetIds = r.read("drSubnetIds");
    if (region === undefined) {
        if (vpcId !== undefined) r.breaks("drVpcId", "only", vpcId);
        if (subnetIds.length > 0) r.breaks("drSubnetIds", "only", subnetIds);
        return undefined;
    }
    const stackRegion = r.raw["aws:region"];
    if (!r.failed("drReplicaRegion") && region === stackRegion)
        r.breaks("drReplicaRegion", "otherRegion", region, stackRegion);
    if (target !== "aws") r.breaks("drReplicaRegion", "aws", region);
    if (vpcId === undefined) r.breaks("drVpcId", "required", undefined);
    if (subnetIds.length < 2) r.breaks("drSubnetIds", "required", subnetIds);
    return vpcId === undefined ? undefined : { region, vpcId, subnetIds };
}
