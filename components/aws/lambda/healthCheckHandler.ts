/**
 * The scheduled health check (Node.js 20 Lambda in the VPC, every 5 minutes): runs postgres/health/checks.ts as the monitor
 * role over verify-full TLS, and publishes what CloudWatch cannot see from outside as MetaCortex/Database metrics
 * (postgres/monitoring/healthMetrics.ts: each check's value, each check's status, and the age of the latest
 * restorable time), in batches of 20, under DBInstanceIdentifier, or DBClusterIdentifier for an Aurora cluster.
 */
import { Client } from "pg";
import { type HealthReport, runHealth } from "../../../postgres/health/checks";
import { batches, HEALTH_NAMESPACE, healthMetrics, healthTarget } from "../../../postgres/monitoring/healthMetrics";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdk = (name: string): any => require(name);

export async function handler(): Promise<{ ok: boolean; published: number }> {
    const { SecretsManagerClient, GetSecretValueCommand } = sdk("@aws-sdk/client-secrets-manager");
    const { CloudWatchClient, PutMetricDataCommand } = sdk("@aws-sdk/client-cloudwatch");
    const clusterId = process.env.DB_CLUSTER_ID;
    const instanceId = process.env.DB_INSTANCE_ID;
    const target = healthTarget(clusterId, instanceId);
    const secret = JSON.parse(
        (
            await new SecretsManagerClient({}).send(
                new GetSecretValueCommand({ SecretId: process.env.MONITOR_SECRET_ARN }),
            )
        ).SecretString,
    );
    const client = new Client({
        host: secret.host,
        port: secret.port,
        user: secret.username,
        password: secret.password,
        database: secret.dbname,
        ssl: { rejectUnauthorized: true },
        connectionTimeoutMillis: 20_000,
    });
    await client.connect();
    let report: HealthReport;
    try {
        report = await runHealth(client, { verified: true, mode: "verify-full" });
    } finally {
        await client.end();
    }
    const latest = await latestRestorableTime(clusterId, instanceId);
    const now = new Date();
    const metrics = healthMetrics(report.checks, target, latest ? new Date(latest) : undefined, now);
    const cloudwatch = new CloudWatchClient({});
    for (const batch of batches(metrics, 20))
        await cloudwatch.send(
            new PutMetricDataCommand({
                Namespace: HEALTH_NAMESPACE,
                MetricData: batch.map((m) => ({
                    MetricName: m.name,
                    Value: m.value,
                    Timestamp: now,
                    Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
                })),
            }),
        );
    for (const c of report.checks.filter((x) => x.status !== "ok"))
        console.log(JSON.stringify({ level: c.status, check: c.check, value: c.value, threshold: c.threshold }));
    return { ok: report.ok, published: metrics.length };
}

/** The latest time the database can be restored to: an Aurora cluster's, or an RDS instance's. */
async function latestRestorableTime(clusterId?: string, instanceId?: string): Promise<string | undefined> {
    const { RDSClient, DescribeDBClustersCommand, DescribeDBInstancesCommand } = sdk("@aws-sdk/client-rds");
    const rds = new RDSClient({});
    if (clusterId)
        return (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters[0]
            .LatestRestorableTime;
    return (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }))).DBInstances[0]
        .LatestRestorableTime;
}
