/**
 * Broken variants of prod's read replicas for test/policies/stacks.test.ts: each changes the replica (or the DR
 * replica, or what watches or pools them) the way a hand edit could, and must be caught by exactly the owning policy.
 * Each row: title, resource type, change, the policies expected to fail, drop the resource, and a name it contains.
 */
type Variant = [string, string, (p: Record<string, any>) => void, string[], boolean?, string?];

const INSTANCE = "aws:rds/instance:Instance";
const REPLICA = "metacortex-prod-replicas-1-instance";
const DR = "metacortex-prod-dr-replica-instance";

const SECRET = "aws:secretsmanager/secret:Secret";
/** A customer-managed key of a region where there is no DR replica. */
const US_EAST_KEY = "arn:aws:kms:us-east-1:123456789012:key/0e0f1011-1111-2222-3333-444455556666";

/** The ARN the mocks give the primary's key: a key of the source's region. */
const SOURCE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/cf24872b-b27a-a429-ce71-56c3232f7262";

export const REPLICA_VARIANTS: Variant[] = [
    [
        "a replica on the AWS-managed key",
        INSTANCE,
        (p) => delete p.kmsKeyId,
        ["rds-encrypted-with-cmk"],
        false,
        REPLICA,
    ],
    [
        "a replica without Performance Insights",
        INSTANCE,
        (p) => (p.performanceInsightsEnabled = false),
        ["rds-performance-insights"],
        false,
        REPLICA,
    ],
    [
        "a replica that asks for a final snapshot",
        INSTANCE,
        (p) => {
            p.skipFinalSnapshot = false;
            p.finalSnapshotIdentifier = "metacortex-prod-replica-1-final";
        },
        ["rds-final-snapshot"],
        false,
        REPLICA,
    ],
    [
        "the DR replica under its source region's key",
        INSTANCE,
        (p) => {
            p.kmsKeyId = SOURCE_KEY;
            p.performanceInsightsKmsKeyId = SOURCE_KEY;
        },
        ["replica-key-of-its-region"],
        false,
        DR,
    ],
    [
        "the DR replica moved into its source's region",
        INSTANCE,
        (p) => {
            p.region = "eu-west-1";
            p.kmsKeyId = SOURCE_KEY;
            p.performanceInsightsKmsKeyId = SOURCE_KEY;
        },
        ["dr-replica-other-region"],
        false,
        DR,
    ],
    ["no DR replica", INSTANCE, () => undefined, ["dr-replica-other-region"], true, DR],
    [
        "a role secret not replicated to the DR region",
        SECRET,
        (p) => delete p.replicas,
        ["dr-replica-secrets"],
        false,
        "role-secrets-app",
    ],
    [
        "role secrets replicated to another region than the DR replica's",
        SECRET,
        (p) => (p.replicas = [{ region: "us-east-1", kmsKeyId: US_EAST_KEY }]),
        ["dr-replica-secrets"],
    ],
    [
        "role secrets replicated under the AWS-managed key",
        SECRET,
        (p) => delete p.replicas[0].kmsKeyId,
        ["dr-replica-secrets"],
    ],
    [
        "a replica without its lag alarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        () => undefined,
        ["replica-lag-alarm"],
        true,
        "metacortex-prod-replica-1-replicaLag",
    ],
    [
        "a read pool beyond the replica's budget",
        "kubernetes:core/v1:ConfigMap",
        (p) =>
            (p.data["pgbouncer.ini"] = p.data["pgbouncer.ini"].replace(
                "pool_size=154 max_db_connections=193",
                "pool_size=154 max_db_connections=250",
            )),
        ["pool-within-budget"],
    ],
];
