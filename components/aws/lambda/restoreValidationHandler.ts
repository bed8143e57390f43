/**
 * The restore-testing validation Lambda (Node.js 20, packaged by lambdaArchive.ts together with
 * postgres/health/restoreValidation.ts, the module the local PITR drill proves on a real server).
 *
 * On "Restore Job State Change" = COMPLETED from an AWS Backup restore test, it connects over TLS (RDS CA, verify-full)
 * to the restored instance and to the source, as the migrator (whose sessions act as the owner, so row-level security
 * hides nothing from the counts), compares schema fingerprints, counts per table and the newest change against the
 * recovery point's time, and reports with PutRestoreValidationResult. The AWS SDK v3 comes with the Lambda runtime.
 *
 * An Aurora recovery point restores as a cluster without an instance. The function then adds one to it, tagged with
 * the restore job, and returns; RDS's "DB instance created" event for that instance calls it again, and it validates
 * through the instance, reports, and deletes the instance so that AWS Backup can delete the cluster.
 */
import { Client } from "pg";
import { fingerprint, judge } from "../../../postgres/health/restoreValidation";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdk = (name: string): any => require(name);

/** The tag on a validation instance naming the restore job it validates. */
export const RESTORE_JOB_TAG = "metacortex-restore-job";
/** The suffix of a validation instance's identifier (its cluster's, then this). */
export const VALIDATION_SUFFIX = "-validation";
/** The class of a validation instance: the smallest Aurora PostgreSQL offers. */
const VALIDATION_CLASS = "db.t4g.medium";

/** An AWS Backup restore job event, or RDS's event for a created instance (only the fields read here). */
interface ValidationEvent {
    /** `aws.backup` or `aws.rds`; absent in hand-made events, which are read as AWS Backup's. */
    readonly source?: string;
    /** The event's detail: which restore job, or which created instance. */
    readonly detail: {
        /** AWS Backup: the restore job to validate and report on; absent in RDS's events. */
        readonly restoreJobId?: string;
        /** AWS Backup: the job's state (`COMPLETED` for the events this function is sent); absent in RDS's events. */
        readonly status?: string;
        /** RDS: the instance the event is about; absent in AWS Backup's events. */
        readonly SourceIdentifier?: string;
    };
}

/** The validation's outcome, as reported to AWS Backup. */
interface Verdict {
    /** Whether the restored database is the database it should be. */
    readonly ok: boolean;
    /** What differs, one sentence each; empty when ok. */
    readonly problems: readonly string[];
}

/** Pure: what a restore job created, from its ARN: an RDS instance (`:db:`) or an Aurora cluster (`:cluster:`). */
export function restoredResource(arn: string): { kind: "instance" | "cluster"; id: string } {
    const match = /^arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:(db|cluster):([A-Za-z0-9-]+)$/.exec(arn);
    if (!match) throw new Error(`restore job created ${arn}, neither an RDS instance nor an Aurora cluster`);
    return { kind: match[1] === "db" ? "instance" : "cluster", id: match[2] };
}

/** Pure: the identifier of the instance that validates a restored Aurora cluster. */
export const validationInstanceId = (clusterId: string): string => `${clusterId.slice(0, 52)}${VALIDATION_SUFFIX}`;

async function connect(
    host: string,
    secret: { username: string; password: string; port: number; dbname: string },
): Promise<Client> {
    // NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem (set on the function) adds the RDS CAs; verify-full by default.
    const client = new Client({
        host,
        port: secret.port,
        user: secret.username,
        password: secret.password,
        database: secret.dbname,
        ssl: { rejectUnauthorized: true },
        connectionTimeoutMillis: 20_000,
    });
    await client.connect();
    return client;
}

export async function handler(event: ValidationEvent): Promise<Verdict & { pending?: boolean }> {
    const { RDSClient, DescribeDBInstancesCommand } = sdk("@aws-sdk/client-rds");
    const rds = new RDSClient({});
    if (event.source === "aws.rds") return validateAuroraInstance(rds, String(event.detail.SourceIdentifier));
    const jobId = String(event.detail.restoreJobId);
    const job = await describeJob(jobId);
    const restored = restoredResource(String(job.CreatedResourceArn));
    if (restored.kind === "cluster") {
        await addValidationInstance(rds, restored.id, jobId);
        return { ok: true, problems: [], pending: true };
    }
    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: restored.id }));
    return validateAndReport(jobId, job, described.DBInstances[0].Endpoint.Address);
}

async function describeJob(jobId: string): Promise<any> {
    const { BackupClient, DescribeRestoreJobCommand } = sdk("@aws-sdk/client-backup");
    return new BackupClient({}).send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
}

/** Adds a small instance to a restored Aurora cluster, tagged with the job; its creation event calls back. */
async function addValidationInstance(rds: any, clusterId: string, jobId: string): Promise<void> {
    const { CreateDBInstanceCommand } = sdk("@aws-sdk/client-rds");
    await rds.send(
        new CreateDBInstanceCommand({
            DBInstanceIdentifier: validationInstanceId(clusterId),
            DBClusterIdentifier: clusterId,
            Engine: "aurora-postgresql",
            DBInstanceClass: VALIDATION_CLASS,
            PubliclyAccessible: false,
            Tags: [{ Key: RESTORE_JOB_TAG, Value: jobId }],
        }),
    );
}

/** Validates a restored cluster through its validation instance, reports, and deletes the instance. */
async function validateAuroraInstance(rds: any, instanceId: string): Promise<Verdict & { pending?: boolean }> {
    const { DescribeDBInstancesCommand, DeleteDBInstanceCommand } = sdk("@aws-sdk/client-rds");
    const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId })))
        .DBInstances[0];
    const jobId = (instance.TagList ?? []).find((t: { Key: string }) => t.Key === RESTORE_JOB_TAG)?.Value;
    if (!instanceId.endsWith(VALIDATION_SUFFIX) || jobId === undefined)
        return { ok: true, problems: [`${instanceId} is not a validation instance: ignored`] };
    try {
        return await validateAndReport(jobId, await describeJob(jobId), instance.Endpoint.Address);
    } finally {
        await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: instanceId, SkipFinalSnapshot: true }));
    }
}

/** Compares the restored database at `restoredHost` with the source and reports the verdict to AWS Backup. */
async function validateAndReport(jobId: string, job: any, restoredHost: string): Promise<Verdict> {
    const { BackupClient, PutRestoreValidationResultCommand } = sdk("@aws-sdk/client-backup");
    const { SecretsManagerClient, GetSecretValueCommand } = sdk("@aws-sdk/client-secrets-manager");
    const secret = JSON.parse(
        (
            await new SecretsManagerClient({}).send(
                new GetSecretValueCommand({ SecretId: process.env.VALIDATION_SECRET_ARN }),
            )
        ).SecretString,
    );
    const restorePoint = new Date(job.RecoveryPointCreationDate ?? job.CreationDate);
    let verdict: Verdict;
    const restored = await connect(restoredHost, secret);
    const source = await connect(secret.host, secret);
    try {
        verdict = judge(await fingerprint(restored), {
            source: await fingerprint(source),
            restorePoint,
            maxLagSeconds: Number(process.env.MAX_LAG_SECONDS ?? 26 * 3600),
            nonEmpty: ["app.users", "app.tasks"],
        });
    } finally {
        await restored.end();
        await source.end();
    }
    await new BackupClient({}).send(
        new PutRestoreValidationResultCommand({
            RestoreJobId: jobId,
            ValidationStatus: verdict.ok ? "SUCCESSFUL" : "FAILED",
            ValidationStatusMessage: (verdict.ok
                ? "schema, counts and recovery point match"
                : verdict.problems.join("; ")
            ).slice(0, 1000),
        }),
    );
    return verdict;
}
