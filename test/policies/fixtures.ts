/** Happy-path fixtures: each resource type as the prod stack configures it. Each test changes one property. */
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b0c0d0e-1111-2222-3333-444455556666";

export const TYPES = {
    instance: "aws:rds/instance:Instance",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    vault: "aws:backup/vault:Vault",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    restorePlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    restoreSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    service: "kubernetes:core/v1:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    container: "docker:index/container:Container",
    image: "docker:index/remoteImage:RemoteImage",
    role: "postgresql:index/role:Role",
    provider: "pulumi:providers:postgresql",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    smSecret: "aws:secretsmanager/secret:Secret",
    cluster: "aws:rds/cluster:Cluster",
    clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    eventSubscription: "aws:rds/eventSubscription:EventSubscription",
} as const;

export const instance = () =>
    ({
        identifier: "metacortex-prod",
        engine: "postgres",
        engineVersion: "15",
        instanceClass: "db.r6g.large",
        storageEncrypted: true,
        kmsKeyId: KEY,
        publiclyAccessible: false,
        backupRetentionPeriod: 14,
        multiAz: true,
        deletionProtection: true,
        iamDatabaseAuthenticationEnabled: true,
        monitoringInterval: 15,
        monitoringRoleArn: "arn:aws:iam::123456789012:role/rds-monitoring",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: KEY,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: false,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        copyTagsToSnapshot: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "metacortex-prod-final",
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: KEY,
        parameterGroupName: "metacortex-prod-params",
        arn: "arn:aws:rds:eu-west-1:123456789012:db:metacortex-prod",
    }) as Record<string, any>;

const DR_KEY = "arn:aws:kms:eu-central-1:123456789012:key/0d0e0f10-1111-2222-3333-444455556666";

/** A read replica beside the source, as the prod stack configures it. */
export const replica = () =>
    ({
        ...instance(),
        identifier: "metacortex-prod-replica-1",
        replicateSourceDb: "metacortex-prod",
        engineVersion: undefined,
        multiAz: false,
        backupRetentionPeriod: 0,
        skipFinalSnapshot: true,
        finalSnapshotIdentifier: undefined,
        manageMasterUserPassword: undefined,
        masterUserSecretKmsKeyId: undefined,
        address: "metacortex-prod-replica-1.abcdefghijkl.eu-west-1.rds.amazonaws.com",
        parameterGroupName: "metacortex-prod-replica-params",
        arn: "arn:aws:rds:eu-west-1:123456789012:db:metacortex-prod-replica-1",
    }) as Record<string, any>;

/** The cross-region DR replica, under its region's key. */
export const drReplica = () =>
    ({
        ...replica(),
        identifier: "metacortex-prod-dr",
        replicateSourceDb: "arn:aws:rds:eu-west-1:123456789012:db:metacortex-prod",
        region: "eu-central-1",
        kmsKeyId: DR_KEY,
        performanceInsightsKmsKeyId: DR_KEY,
        backupRetentionPeriod: 14,
        address: "metacortex-prod-dr.abcdefghijkl.eu-central-1.rds.amazonaws.com",
        arn: "arn:aws:rds:eu-central-1:123456789012:db:metacortex-prod-dr",
    }) as Record<string, any>;

/** A role's Secrets Manager secret under the source's key, replicated to the DR replica's region under its key. */
export const roleSecret = (role = "app") =>
    ({
        name: `metacortex-prod/db/${role}`,
        kmsKeyId: KEY,
        recoveryWindowInDays: 30,
        replicas: [{ region: "eu-central-1", kmsKeyId: DR_KEY }],
        arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:metacortex-prod/db/${role}-AbCdEf`,
    }) as Record<string, any>;

export const PARAMETERS: Record<string, [string, string?]> = {
    "rds.force_ssl": ["1"],
    ssl_min_protocol_version: ["TLSv1.2"],
    password_encryption: ["scram-sha-256"],
    "rds.accepted_password_auth_method": ["scram"],
    shared_preload_libraries: ["pg_stat_statements,pgaudit,auto_explain,pg_cron", "pending-reboot"],
    log_min_duration_statement: ["500"],
    log_autovacuum_min_duration: ["1000"],
    autovacuum_vacuum_scale_factor: ["0.05"],
    "pgaudit.log": ["ddl,role"],
    idle_in_transaction_session_timeout: ["60000"],
    statement_timeout: ["60000"],
    max_connections: ["400", "pending-reboot"],
    superuser_reserved_connections: ["3", "pending-reboot"],
};

/** A parameter group; `change` sets (or with undefined, removes) parameters. */
export function parameterGroup(change: Record<string, [string, string?] | undefined> = {}): Record<string, any> {
    const merged: Record<string, [string, string?] | undefined> = { ...PARAMETERS, ...change };
    const parameters = Object.entries(merged)
        .filter(([, v]) => v !== undefined)
        .map(([name, v]) => ({ name, value: v![0], applyMethod: v![1] ?? "immediate" }));
    return { family: "postgres15", name: "metacortex-prod-params", parameters };
}

export const vault = () => ({ kmsKeyArn: KEY, forceDestroy: false }) as Record<string, any>;

export const plan = () =>
    ({
        rules: [
            { ruleName: "continuous-pitr", lifecycle: { deleteAfter: 35 }, enableContinuousBackup: true },
            {
                ruleName: "daily-snapshot",
                lifecycle: { deleteAfter: 35 },
                copyActions: [
                    {
                        destinationVaultArn: "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr",
                        lifecycle: { deleteAfter: 35 },
                    },
                ],
            },
        ],
    }) as Record<string, any>;

export const alarm = () =>
    ({
        alarmActions: ["arn:aws:sns:eu-west-1:123456789012:alarms"],
        dimensions: { DBInstanceIdentifier: "metacortex-prod" },
        metricName: "CPUUtilization",
    }) as Record<string, any>;

export const PGBOUNCER_INI = [
    "[databases]",
    "metacortex = host=db.example port=5432 dbname=metacortex",
    "",
    "[pgbouncer]",
    "auth_type = scram-sha-256",
    "pool_mode = transaction",
    "default_pool_size = 154",
    "max_db_connections = 193",
    "server_tls_sslmode = verify-full",
    "server_tls_ca_file = /etc/pgbouncer/config/server-ca.pem",
    "client_tls_sslmode = require",
    "",
].join("\n");

export const SCRAM =
    "SCRAM-SHA-256$4096:BwcHBwcHBwcHBwcHBwcHBw==$F0h6rvAAUBy3t8A3UyVP0UKTIsW1L8oyp1GbSFbF7X8=:yN9oTUBgxZIpgW51tWtW7U2FyHLFyrdFCLMRfoB6Otc=";

export const configMap = (ini = PGBOUNCER_INI) => ({ data: { "pgbouncer.ini": ini } }) as Record<string, any>;

export const deployment = () =>
    ({
        spec: {
            replicas: 2,
            template: {
                spec: {
                    securityContext: { runAsNonRoot: true, runAsUser: 998 },
                    containers: [
                        {
                            name: "pgbouncer",
                            image: "ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
                            securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
                        },
                    ],
                },
            },
        },
    }) as Record<string, any>;

export const HBA =
    "# comment\nlocal all all scram-sha-256\nhostssl all all 172.30.57.0/24 scram-sha-256\nhostnossl all all all reject\n";

/** The postgresql.conf a PostgreSQL container uploads: its connection limits, TLS and where its pg_hba.conf is. */
export const POSTGRESQL_CONF = [
    "max_connections = 100  # restart",
    "superuser_reserved_connections = 3",
    "ssl = on",
    "hba_file = '/etc/postgresql/pg_hba.conf'  # restart",
    "ssl_cert_file = '/var/lib/postgresql/tls/server.crt'",
    "ssl_key_file = '/var/lib/postgresql/tls/server.key'",
    "",
].join("\n");

export const postgresContainer = () =>
    ({
        image: `sha256:${"0".repeat(64)}`,
        command: ["postgres", "-c", "config_file=/etc/postgresql/postgresql.conf"],
        envs: [
            "POSTGRES_USER=metacortex_admin",
            "POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password",
            "POSTGRES_INITDB_ARGS=--auth-local=scram-sha-256 --auth-host=scram-sha-256",
        ],
        ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }],
        uploads: [
            { file: "/etc/postgresql/pg_hba.conf", content: HBA },
            { file: "/etc/postgresql/postgresql.conf", content: POSTGRESQL_CONF },
            { file: "/etc/postgresql/tls/server.key", content: "fixture: the server's private key" },
            { file: "/run/secrets/postgres-password", content: "generated-secret-value" },
        ],
    }) as Record<string, any>;

export const pgbouncerContainer = (ini = PGBOUNCER_INI) =>
    ({
        image: `sha256:${"0".repeat(64)}`,
        ports: [{ internal: 5432, external: 6432, ip: "127.0.0.1" }],
        uploads: [
            { file: "/etc/pgbouncer/pgbouncer.ini", content: ini },
            { file: "/etc/pgbouncer/userlist.txt", content: `"metacortex_app" "${SCRAM}"\n` },
        ],
    }) as Record<string, any>;

/** An Aurora cluster as the prod-aurora stack configures it. */
export const auroraCluster = () =>
    ({
        clusterIdentifier: "metacortex-prod",
        engine: "aurora-postgresql",
        engineVersion: "15",
        storageEncrypted: true,
        kmsKeyId: KEY,
        iamDatabaseAuthenticationEnabled: true,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "metacortex-prod-final",
        backupRetentionPeriod: 14,
        copyTagsToSnapshot: true,
        enabledCloudwatchLogsExports: ["postgresql"],
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: KEY,
        allowMajorVersionUpgrade: false,
        arn: "arn:aws:rds:eu-west-1:123456789012:cluster:metacortex-prod",
        readerEndpoint: "metacortex-prod.cluster-ro-abcdefghijkl.eu-west-1.rds.amazonaws.com",
    }) as Record<string, any>;

/** One of its instances: the writer (`n` 1, zone a) or a reader. */
export const auroraInstance = (n = 1, zone = "eu-west-1a") =>
    ({
        identifier: `metacortex-prod-${n}`,
        clusterIdentifier: "metacortex-prod",
        instanceClass: "db.r6g.large",
        availabilityZone: zone,
        promotionTier: n === 1 ? 0 : 1,
        publiclyAccessible: false,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: KEY,
        monitoringInterval: 15,
        monitoringRoleArn: "arn:aws:iam::123456789012:role/rds-monitoring",
        autoMinorVersionUpgrade: true,
        caCertIdentifier: "rds-ca-rsa2048-g1",
    }) as Record<string, any>;
