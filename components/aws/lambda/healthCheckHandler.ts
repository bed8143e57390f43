/**
 * The scheduled health check (Node.js 20 Lambda in the VPC, every 5 minutes): runs postgres/health/checks.ts as the monitor
 * role over verify-full TLS, and publishes what CloudWatch cannot see from outside as MetaCortex/Database metrics
 * (DBInstanceIdentifier dimension, or DBClusterIdentifier for an Aurora cluster), plus the age of the latest
 * restorable time (RPO freshness): the instance's, or for Aurora the cluster's.
 */
import { Client } from "pg";
import { type HealthReport, runHealth } from "../../../postgres/health/checks";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdk = (name: string): any => require(name);

export async function handler(): Promise<{ ok: boolean; published: number }> {
    const { SecretsManagerClient, GetSecretValueCommand } = sdk("@aws-sdk/client-secrets-manager");
    const { CloudWatchClient, PutMetricDataCommand } = sdk("@aws-sdk/client-cloudwatch");
    const clusterId = process.env.DB_CLUSTER_ID;
    const dimension = clusterId
        ? { Name: "DBClusterIdentifier", Value: clusterId }
        : { Name: "DBInstanceIdentifier", Value: process.env.DB_INSTANCE_ID! };
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
    const latestRestorable = await latestRestorableTime(clusterId, process.env.DB_INSTANCE_ID);
    const now = new Date();
    const metrics = [
        ...report.checks.filter((c) => c.metric).map((c) => ({ name: c.metric!.name, value: c.metric!.value })),
        {
            name: "SecondsSinceLatestRestorableTime",
            value: latestRestorable ? (now.getTime() - new Date(latestRestorable).getTime()) / 1000 : 1e9,
        },
        { name: "HealthChecksFailing", value: report.checks.filter((c) => c.status === "fail").length },
    ];
    await new CloudWatchClient({}).send(
        new PutMetricDataCommand({
            Namespace: "MetaCortex/Database",
            MetricData: metrics.map((m) => ({
                MetricName: m.name,
                Value: m.value,
                Timestamp: now,
                Dimensions: [dimension],
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
