import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../config";
import { AwsPostgres } from "./aws/awsPostgres";
import { DockerPostgres } from "./docker/dockerPostgres";
import * as aws from "@pulumi/aws";
import * as fs from "fs";
import * as path from "path";
import { AwsBackup } from "./aws/awsBackup";
import { Pgbouncer, PGBOUNCER_EXPORTER_IMAGE } from "./kubernetes/pgbouncer";
import { RdsProxy } from "./aws/rdsProxy";
import { proxyPool } from "../postgres/pooling/proxySizing";
import { PGBOUNCER_DIR, PgbouncerContainer } from "./docker/pgbouncerContainer";
import { POSTGRES_ALIAS } from "./docker/postgresContainer";
import { deployedPgbouncerIni, renderUserlist, versionOfImage } from "../postgres/pooling/pgbouncerIni";
import { poolSizing } from "../postgres/pooling/poolSizing";
import { HealthCheck } from "./aws/healthCheck";
import { DatabaseMonitoring } from "./aws/databaseMonitoring";
import { alarmThresholds } from "../postgres/monitoring/thresholds";
import { instanceClass } from "../postgres/instanceClasses";
import { sizeFor } from "../postgres/settings/sizing";
import { RoleSecrets } from "./aws/roleSecrets";
import { DatabaseAccess } from "./postgresql/databaseAccess";
import { roleModel } from "../postgres/roles/model";
import { postgresSettings, renderRdsParameters } from "../postgres/settings";

export interface MetacortexDatabaseArgs {
    /** The validated stack configuration (config.ts); the component reads nothing else. */
    readonly config: StackConfig;
}

/** Where the admin credentials live: an ARN for RDS's managed secret, or the secret stack output in dev. */
export interface SecretReference {
    readonly kind: "aws-secretsmanager" | "pulumi-secret-output";
    readonly ref: pulumi.Output<string>;
}

/**
 * The MetaCortex database: RDS in prod, a container in dev, from one config. Both targets expose the same outputs,
 * so everything downstream (roles, pooling, monitoring) takes a MetacortexDatabase and does not care which it is.
 */
export class MetacortexDatabase extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: string;
    /** Which CA clients must trust: the RDS CA identifier, or the dev CA's certificate subject. */
    readonly caIdentifier: string;
    /** The CA bundle itself: a URL for RDS, the PEM for the dev CA. */
    readonly caBundle: pulumi.Output<string>;
    readonly adminSecret: SecretReference;
    /** The dev admin password (secret); undefined in prod, where only Secrets Manager holds it. */
    readonly adminPassword?: pulumi.Output<string>;
    readonly kmsKeyArn?: pulumi.Output<string>;
    readonly parameterGroupName?: pulumi.Output<string>;
    readonly aws?: AwsPostgres;
    readonly docker?: DockerPostgres;
    /** Roles, grants and extensions, when config.admin.manageRoles. */
    readonly access?: DatabaseAccess;
    /** prod: Secrets Manager ARN of each login role's credentials. */
    readonly roleSecretArns?: Record<string, pulumi.Output<string>>;
    /** prod: AWS Backup (vault, plan, DR copy, restore testing). */
    readonly backup?: AwsBackup;
    /** prod: alarms, dashboard, log metrics. */
    readonly monitoring?: DatabaseMonitoring;
    /** prod: PgBouncer in the app's cluster. */
    readonly pgbouncer?: Pgbouncer;
    /** prod with `pooler: rds-proxy`. */
    readonly rdsProxy?: RdsProxy;

    constructor(name: string, args: MetacortexDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:index:MetacortexDatabase", name, {}, opts);
        const c = args.config;
        this.databaseName = c.databaseName;
        if (c.target === "aws") {
            if (c.network.vpcId === undefined) throw new Error("MetacortexDatabase: target aws needs network.vpcId");
            const settings = postgresSettings({
                environment: c.environment,
                instanceClass: c.instanceClass,
                databaseName: c.databaseName,
            });
            this.aws = new AwsPostgres(
                `${name}-aws`,
                {
                    identifier: c.name,
                    databaseName: c.databaseName,
                    instanceClass: c.instanceClass,
                    engineVersion: c.engineVersion,
                    allocatedStorageGiB: c.allocatedStorageGiB,
                    maxAllocatedStorageGiB: c.maxAllocatedStorageGiB,
                    multiAz: c.multiAz,
                    deletionProtection: c.deletionProtection,
                    backupRetentionDays: c.backupRetentionDays,
                    backupWindow: c.backupWindow,
                    maintenanceWindow: c.maintenanceWindow,
                    vpcId: c.network.vpcId,
                    subnetIds: c.network.subnetIds,
                    allowedCidrs: c.network.allowedCidrs,
                    allowedSecurityGroupIds: c.network.allowedSecurityGroupIds,
                    parameters: renderRdsParameters(settings),
                    restore: c.restore,
                    tags: c.tags,
                },
                { parent: this },
            );
            this.host = this.aws.rds.address;
            this.port = this.aws.rds.port;
            this.caIdentifier = this.aws.caIdentifier;
            this.caBundle = pulumi.output(this.aws.caBundle);
            this.adminSecret = { kind: "aws-secretsmanager", ref: this.aws.rds.masterSecretArn };
            this.kmsKeyArn = this.aws.kmsKey.arn;
            this.parameterGroupName = this.aws.parameterGroup.name;
        } else {
            this.docker = new DockerPostgres(
                `${name}-docker`,
                {
                    environment: c.environment,
                    databaseName: c.databaseName,
                    instanceClass: c.instanceClass,
                    image: c.docker.image,
                    hostPort: c.docker.hostPort,
                    labels: c.tags,
                },
                { parent: this },
            );
            this.host = pulumi.output(this.docker.host);
            this.port = pulumi.output(this.docker.port);
            this.caIdentifier = "MetaCortex dev database CA";
            this.caBundle = this.docker.caCertPem;
            this.adminPassword = this.docker.adminPassword;
            this.adminSecret = { kind: "pulumi-secret-output", ref: pulumi.output("adminPassword") };
        }
        if (c.admin.manageRoles) this.manageAccess(name, c);
        if (this.aws) {
            (this as { backup?: AwsBackup }).backup = new AwsBackup(
                `${name}-backup`,
                {
                    identifier: c.name,
                    environment: c.environment,
                    instanceArn: this.aws.rds.instance.arn,
                    kmsKeyArn: this.aws.kmsKey.arn,
                    drRegion: c.backup.drRegion,
                    vaultLock: c.backup.vaultLock,
                    snapshotRetentionDays: c.backup.snapshotRetentionDays,
                    continuousRetentionDays: c.backup.continuousRetentionDays,
                    vpcId: c.network.vpcId!,
                    subnetIds: c.network.subnetIds,
                    subnetGroupName: this.aws.network.subnetGroup.name,
                    databaseSecurityGroupId: this.aws.network.securityGroup.id,
                    port: 5432,
                    validationSecretArn: this.roleSecretArns?.migrator,
                    tags: c.tags,
                },
                { parent: this },
            );
        }
        if (this.aws && c.alarmEmail) this.monitor(name, c);
        if (c.pooling.pooler === "pgbouncer" && this.access) this.pool(name, c);
        if (c.pooling.pooler === "rds-proxy" && this.aws && this.roleSecretArns) {
            (this as { rdsProxy?: RdsProxy }).rdsProxy = new RdsProxy(
                `${name}-proxy`,
                {
                    instanceIdentifier: this.aws.instanceIdentifier,
                    vpcId: c.network.vpcId!,
                    subnetIds: c.network.subnetIds,
                    databaseSecurityGroupId: this.aws.network.securityGroup.id,
                    allowedSecurityGroupIds: c.network.allowedSecurityGroupIds,
                    secretArns: { app: this.roleSecretArns.app, readonly: this.roleSecretArns.readonly },
                    kmsKeyArn: this.aws.kmsKey.arn,
                    pool: proxyPool(sizeFor(instanceClass(c.instanceClass))),
                    tags: c.tags,
                },
                { parent: this },
            );
        }
        this.registerOutputs({ host: this.host, port: this.port });
    }

    /** PgBouncer, sized from the connection budget: on Kubernetes in prod, as a container in dev. */
    private pool(name: string, c: StackConfig): void {
        const sizing = poolSizing(sizeFor(instanceClass(c.instanceClass)).connectionBudget, c.pooling.replicas);
        const pooled = ["metacortex_app", "metacortex_readonly"];
        const verifiers = Object.fromEntries(pooled.map((r) => [r, this.access!.verifiers[r]]));
        const version = versionOfImage(c.pooling.image);
        if (this.docker) {
            const dev = this.docker;
            const userlist = pulumi.secret(
                pulumi
                    .all(pooled.map((r) => verifiers[r].apply((verifier) => ({ user: r, verifier }))))
                    .apply(renderUserlist),
            );
            new PgbouncerContainer(
                `${name}-pgbouncer`,
                {
                    image: c.pooling.image,
                    networkName: dev.networkName,
                    userlist,
                    caPem: dev.caCertPem,
                    certPem: dev.serverCertPem,
                    keyPem: dev.serverKeyPem,
                    hostPort: c.pooling.hostPort,
                    labels: c.tags,
                    ini: deployedPgbouncerIni({
                        version,
                        sizing,
                        database: { name: c.databaseName, host: POSTGRES_ALIAS, port: 5432, dbname: c.databaseName },
                        files: {
                            userlist: `${PGBOUNCER_DIR}/userlist.txt`,
                            serverCa: `${PGBOUNCER_DIR}/server-ca.pem`,
                            cert: `${PGBOUNCER_DIR}/tls.crt`,
                            key: `${PGBOUNCER_DIR}/tls.key`,
                        },
                    }),
                },
                { parent: this },
            );
            return;
        }
        if (!fs.existsSync(c.admin.caPath)) {
            throw new Error(
                `PgBouncer verifies RDS's certificate against ${c.admin.caPath}, which does not exist: ` +
                    `curl -o ${c.admin.caPath} https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem (or set metacortex-db:adminCaPath)`,
            );
        }
        (this as { pgbouncer?: Pgbouncer }).pgbouncer = new Pgbouncer(
            `${name}-pgbouncer`,
            {
                namespace: c.pooling.namespace,
                appNamespace: c.pooling.appNamespace,
                image: c.pooling.image,
                version,
                sizing,
                database: { name: c.databaseName, host: this.host, port: this.port },
                serverCaPem: fs.readFileSync(c.admin.caPath, "utf8"),
                // The monitor role logs in too: it is PgBouncer's stats user, for the metrics exporter.
                verifiers: { ...verifiers, metacortex_monitor: this.access!.verifiers.metacortex_monitor },
                exporter: {
                    image: PGBOUNCER_EXPORTER_IMAGE,
                    user: "metacortex_monitor",
                    password: this.access!.credentials.monitor.password,
                    scraperNamespace: "amazon-cloudwatch",
                },
                labels: { environment: c.environment },
            },
            { parent: this },
        );
    }

    /** prod monitoring: alarms and dashboard from the class's thresholds, and the scheduled health check. */
    private monitor(name: string, c: StackConfig): void {
        const aws = this.aws!;
        const size = sizeFor(instanceClass(c.instanceClass));
        (this as { monitoring?: DatabaseMonitoring }).monitoring = new DatabaseMonitoring(
            `${name}-monitoring`,
            {
                instanceId: aws.instanceIdentifier,
                thresholds: alarmThresholds(c.instanceClass, c.allocatedStorageGiB),
                maxConnections: size.maxConnections,
                connectionBudget: size.connectionBudget,
                alarmEmail: c.alarmEmail!,
                kmsKeyArn: aws.kmsKey.arn,
                postgresqlLogGroup: aws.logGroups.postgresql.name,
                tags: c.tags,
                pgbouncer:
                    c.pooling.pooler === "pgbouncer" && c.admin.manageRoles
                        ? {
                              namespace: c.pooling.namespace,
                              serverConnections: poolSizing(size.connectionBudget, c.pooling.replicas).total,
                          }
                        : undefined,
            },
            { parent: this },
        );
        if (this.roleSecretArns?.monitor) {
            new HealthCheck(
                `${name}-health`,
                {
                    instanceId: aws.instanceIdentifier,
                    vpcId: c.network.vpcId!,
                    subnetIds: c.network.subnetIds,
                    databaseSecurityGroupId: aws.network.securityGroup.id,
                    port: 5432,
                    monitorSecretArn: this.roleSecretArns.monitor,
                    kmsKeyArn: aws.kmsKey.arn,
                    tags: c.tags,
                },
                { parent: this },
            );
        }
    }

    /** Roles, grants and extensions from the role model, over a verify-full connection as the admin. */
    private manageAccess(name: string, c: StackConfig): void {
        const model = roleModel(c.databaseName, c.instanceClass);
        let password: pulumi.Output<string>;
        let caPath: pulumi.Output<string>;
        if (this.aws) {
            // The RDS-managed master secret: read at deploy time, never stored in config.
            const secret = aws.secretsmanager.getSecretVersionOutput(
                { secretId: this.aws.rds.masterSecretArn },
                { parent: this },
            );
            password = pulumi.secret(secret.secretString.apply((s) => JSON.parse(s).password as string));
            caPath = pulumi.output(c.admin.caPath);
        } else {
            password = this.adminPassword!;
            // The dev CA exists only once the tls provider has made it: write it where the provider will read it.
            caPath = this.caBundle.apply((pem) => {
                fs.mkdirSync(path.dirname(path.resolve(c.admin.caPath)), { recursive: true });
                fs.writeFileSync(c.admin.caPath, pem);
                return c.admin.caPath;
            });
        }
        const access = new DatabaseAccess(
            `${name}-access`,
            {
                model,
                admin: {
                    host: c.admin.host ?? this.host,
                    port: c.admin.port ?? this.port,
                    username: "metacortex_admin",
                    password,
                    caPath,
                    superuser: this.aws === undefined,
                },
            },
            { parent: this },
        );
        (this as { access?: DatabaseAccess }).access = access;
        if (this.aws) {
            const secrets = new RoleSecrets(
                `${name}-role-secrets`,
                {
                    namePrefix: `${c.name}/db`,
                    credentials: access.credentials,
                    host: this.host,
                    port: this.port,
                    database: c.databaseName,
                    kmsKeyArn: this.aws.kmsKey.arn,
                    tags: c.tags,
                },
                { parent: this },
            );
            (this as { roleSecretArns?: Record<string, pulumi.Output<string>> }).roleSecretArns = secrets.arns;
        }
    }
}
