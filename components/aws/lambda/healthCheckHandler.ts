/**
 * The scheduled health check (Node.js 20 Lambda in the VPC, every 5 minutes): runs postgres/health/checks.ts as the monitor
 * role over verify-full TLS, and publishes what CloudWatch cannot see from outside as MetaCortex/Database metrics
 * (DBInstanceIdentifier dimension), plus the age of RDS's latest restorable time (RPO freshness).
 */
import { Client } from "pg";
import { type HealthReport, runHealth } from "../../../postgres/health/checks";

/* eslint-disable @typescript-eslint/no-var-requires */
const sdk = (name: string): any => require(name);

export async function handler(): Promise<{ ok: boolean; published: number }> {
    const { SecretsManagerClient, GetSecretValueCommand } = sdk("@aws-sdk/client-secrets-manager");
    const { CloudWatchClient, PutMetricDataCommand } = sdk("@aws-sdk/client-cloudwatch");
    const { RDSClient, DescribeDBInstancesCommand } = sdk("@aws-sdk/client-rds");
    const instanceId = process.env.DB_INSTANCE_ID!;
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
    const described = await new RDSClient({}).send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }),
    );
    const latestRestorable = described.DBInstances[0].LatestRestorableTime;
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
                Dimensions: [{ Name: "DBInstanceIdentifier", Value: instanceId }],
            })),
        }),
    );
    for (const c of report.checks.filter((x) => x.status !== "ok"))
        console.log(JSON.stringify({ level: c.status, check: c.check, value: c.value, threshold: c.threshold }));
    return { ok: report.ok, published: metrics.length };
}
