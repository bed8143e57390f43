/**
 * The MetaCortex database stack. Reads the validated config (config.ts) and the files components need
 * (programFiles.ts), and wires components; nothing else. `pulumi up --stack dev` deploys to Docker, `--stack prod` to
 * AWS (see README.md).
 */
import { MetacortexDatabase } from "./components/metacortexDatabase";
import { loadConfig } from "./config";
import { readProgramFiles } from "./programFiles";

const config = loadConfig();
// prod reads the RDS CA bundle at adminCaPath (PgBouncer trusts it); dev writes its generated CA there once it exists.
const files = readProgramFiles(config.admin.caPath);
const database = new MetacortexDatabase(config.name, { ...config, identifier: config.name, files });

export const target = config.target;
export const endpoint = database.host;
export const port = database.port;
export const databaseName = database.databaseName;
export const caCertificate = { identifier: database.caIdentifier, bundle: database.caBundle };
export const adminSecret = database.adminSecret;
export const adminPassword = database.adminPassword;
export const kmsKeyArn = database.kmsKeyArn;
export const parameterGroupName = database.parameterGroupName;
/** prod: Secrets Manager ARN per login role (migrator, app, readonly, auditor, monitor). */
export const roleSecretArns = database.roleSecretArns;
/** prod with a DR replica: each role secret's replica in the DR region, by role (what the app reads after promotion). */
export const drRoleSecretArns = database.drRoleSecretArns;
/** prod: AWS Backup vaults and the restore-testing plan. */
export const backupVaultArn = database.backup?.vault.arn;
export const drBackupVaultArn = database.backup?.drVault.arn;
export const restoreTestingPlanArn = database.backup?.restoreTesting.plan.arn;
/** prod: the SNS topic alarms and RDS events go to. */
export const alarmTopicArn = database.monitoring?.topic.arn;
/** prod: where the app connects (PgBouncer's in-cluster service, TLS required). */
export const pgbouncerHost = database.pgbouncer?.host;
/** prod with `pooler: rds-proxy`: the proxy's endpoint (TLS and an IAM token required). */
export const rdsProxyEndpoint = database.rdsProxy?.endpoint;
/** The hosts reads land on (the replicas' endpoints, dev: the standbys' names on its network; else the primary's). */
export const readerEndpoint = database.readerEndpoint;
/** The backend's read-only URL, without a password (PgBouncer's read database when PgBouncer runs). */
export const readOnlyUrl = database.readOnlyUrl;
/** The read replicas beside the primary: prod by DB instance identifier, dev by standby container name. */
export const readReplicaIdentifiers = database.standbys?.length
    ? database.standbys.map((s) => s.container.name)
    : database.replicas?.inRegion?.replicas.map((r) => r.identifier);
/** prod: the cross-region replica a region-loss runbook promotes, with its region's key and alarm topic. */
const dr = database.replicas?.dr;
export const drReplica = dr && {
    identifier: dr.replica.identifier,
    arn: dr.replica.arn,
    region: dr.region,
    endpoint: dr.replica.address,
    kmsKeyArn: dr.kmsKey.arn,
    alarmTopicArn: dr.topic?.arn,
};
/** dev: each login role's credentials (secret; `pulumi stack output roleCredentials --show-secrets`). */
export const roleCredentials = database.aws ? undefined : database.access?.credentials;
