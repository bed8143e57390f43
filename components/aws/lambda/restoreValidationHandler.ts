/**
 * The restore-testing validation Lambda (Node.js 20, packaged by lambdaArchive.ts together with
 * postgres/health/restoreValidation.ts, the module the local PITR drill proves on a real server).
 *
 * On "Restore Job State Change" = COMPLETED from an AWS Backup restore test, it connects over TLS (RDS CA, verify-full)
 * to the restored instance and to the source, as the migrator (whose sessions act as the owner, so row-level security
 * hides nothing from the counts), compares schema fingerprints, counts per table and the newest change against the
 * recovery point's time, and reports with PutRestoreValidationResult. The AWS SDK v3 comes with the Lambda runtime.
 */
import { Client } from "pg";
import { fingerprint, judge } from "../../../postgres/health/restoreValidation";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdk = (name: string): any => require(name);

/** The EventBridge event of an AWS Backup restore job (only the fields read here). */
interface RestoreEvent {
    /** The event's detail: which restore job, and how it ended. */
    readonly detail: {
        /** The restore job to validate and report on. */
        readonly restoreJobId: string;
        /** The job's state (`COMPLETED` for the events this function is sent); absent in hand-made events. */
        readonly status?: string;
    };
}

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

export async function handler(event: RestoreEvent): Promise<{ ok: boolean; problems: readonly string[] }> {
    const backup = new (sdk("@aws-sdk/client-backup").BackupClient)({});
    const { DescribeRestoreJobCommand, PutRestoreValidationResultCommand } = sdk("@aws-sdk/client-backup");
    const { RDSClient, DescribeDBInstancesCommand } = sdk("@aws-sdk/client-rds");
    const { SecretsManagerClient, GetSecretValueCommand } = sdk("@aws-sdk/client-secrets-manager");
    const jobId = event.detail.restoreJobId;
    const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: jobId }));
    const instanceId = String(job.CreatedResourceArn).split(":db:")[1];
    const described = await new RDSClient({}).send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }),
    );
    const restoredHost = described.DBInstances[0].Endpoint.Address;
    const secret = JSON.parse(
        (
            await new SecretsManagerClient({}).send(
                new GetSecretValueCommand({ SecretId: process.env.VALIDATION_SECRET_ARN }),
            )
        ).SecretString,
    );
    const restorePoint = new Date(job.RecoveryPointCreationDate ?? job.CreationDate);

    let verdict: { ok: boolean; problems: readonly string[] };
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
    await backup.send(
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
