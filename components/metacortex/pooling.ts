/**
 * Pooling in front of the database, sized from its connection budget: PgBouncer (a container in dev, Kubernetes in
 * prod) from the same rendered pgbouncer.ini, or RDS Proxy.
 */
import * as pulumi from "@pulumi/pulumi";
import { instanceClass } from "../../postgres/instanceClasses";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import { deployedPgbouncerIni, renderUserlist, versionOfImage } from "../../postgres/pooling/pgbouncerIni";
import { DEFAULT_POOL_USERS, type PoolSizing, poolSizing } from "../../postgres/pooling/poolSizing";
import { proxyPool } from "../../postgres/pooling/proxySizing";
import { type ReadRoute, readDatabaseName, readPool } from "../../postgres/pooling/readRouting";
import { ROLE } from "../../postgres/roles/model";
import { sizeFor } from "../../postgres/settings/sizing";
import { AwsAurora } from "../aws/awsAurora";
import type { AwsPostgres } from "../aws/awsPostgres";
import { RdsProxy } from "../aws/rdsProxy";
import { RDS_CA_BUNDLE_URL } from "../aws/rdsInstance";
import { PGBOUNCER_DIR, PgbouncerContainer } from "../docker/pgbouncerContainer";
import type { DockerPostgres } from "../docker/dockerPostgres";
import { POSTGRES_ALIAS } from "../docker/postgresContainer";
import { PGBOUNCER_EXPORTER_IMAGE, Pgbouncer } from "../kubernetes/pgbouncer";
import type { DatabaseAccess } from "../postgresql/databaseAccess";
import { withResource } from "../support/resourceError";
import type { MetacortexDatabaseArgs } from "./args";
import type { AuroraPrimary, AwsPrimary } from "./primary";

/** Seconds PgBouncer caches an Aurora endpoint's address: its DNS records' TTL. */
const AURORA_DNS_TTL_SECONDS = 1;

/** The roles PgBouncer pools, as the pool sizing shares the budget out between them. */
const POOLED_ROLES = DEFAULT_POOL_USERS.map((u) => u.role);

/** The budget shared by the replicas, and the PgBouncer version the image ships. */
function pgbouncerPlan(
    args: MetacortexDatabaseArgs,
    parent: pulumi.Resource,
): { sizing: PoolSizing; version: ReturnType<typeof versionOfImage> } {
    return withResource(parent, () => ({
        sizing: poolSizing(sizeFor(instanceClass(args.instanceClass)).connectionBudget, args.pooling.replicas),
        version: versionOfImage(args.pooling.image),
    }));
}

/**
 * dev's PgBouncer: a container on the database's network, with the prod image and the same rendered files, and a read
 * database over `route` (the standby containers, or the primary) sized as prod's is.
 */
export function devPgbouncer(
    name: string,
    args: MetacortexDatabaseArgs,
    docker: DockerPostgres,
    access: DatabaseAccess,
    route: ReadRoute<string>,
    parent: pulumi.Resource,
): PgbouncerContainer {
    const { sizing, version } = pgbouncerPlan(args, parent);
    const userlist = pulumi.secret(
        pulumi
            .all(POOLED_ROLES.map((r) => access.verifiers[r].apply((verifier) => ({ user: r, verifier }))))
            .apply(renderUserlist),
    );
    return new PgbouncerContainer(
        `${name}-pgbouncer`,
        {
            image: args.pooling.image,
            networkName: docker.networkName,
            userlist,
            caPem: docker.caCertPem,
            certPem: docker.serverCertPem,
            keyPem: docker.serverKeyPem,
            hostPort: args.pooling.hostPort,
            labels: args.tags,
            ini: deployedPgbouncerIni({
                version,
                sizing,
                database: {
                    name: args.databaseName,
                    host: POSTGRES_ALIAS,
                    port: POSTGRES_PORT,
                    dbname: args.databaseName,
                },
                read: {
                    database: {
                        name: readDatabaseName(args.databaseName),
                        host: route.hosts.join(","),
                        port: POSTGRES_PORT,
                        dbname: args.databaseName,
                    },
                    pool: withResource(parent, () => readPool(sizing, route)),
                },
                files: {
                    userlist: `${PGBOUNCER_DIR}/userlist.txt`,
                    serverCa: `${PGBOUNCER_DIR}/server-ca.pem`,
                    cert: `${PGBOUNCER_DIR}/tls.crt`,
                    key: `${PGBOUNCER_DIR}/tls.key`,
                },
            }),
        },
        { parent },
    );
}

/**
 * prod's PgBouncer in the app's cluster, verifying RDS against the CA bundle index.ts read, with its exporter, and a
 * read database over `route` (the replicas, an Aurora reader endpoint, or the primary) sized from its budget. An
 * Aurora cluster is taken as the instance is: its cluster endpoint is the primary's host.
 */
export function kubernetesPgbouncer(
    name: string,
    args: MetacortexDatabaseArgs,
    primary: AwsPrimary | AuroraPrimary,
    access: DatabaseAccess,
    route: ReadRoute<pulumi.Output<string>>,
    parent: pulumi.Resource,
): Pgbouncer {
    const caPem = args.files.caBundlePem;
    if (caPem === undefined)
        throw new pulumi.ResourceError(
            `MetacortexDatabase ${name}: PgBouncer verifies RDS's certificate against ` +
                `admin.caPath ${args.admin.caPath}, which does not exist: ` +
                `curl -o ${args.admin.caPath} ${RDS_CA_BUNDLE_URL} (or point admin.caPath at the bundle)`,
            parent,
        );
    const { sizing, version } = pgbouncerPlan(args, parent);
    const verifiers = Object.fromEntries(POOLED_ROLES.map((r) => [r, access.verifiers[r]]));
    return new Pgbouncer(
        `${name}-pgbouncer`,
        {
            namespace: args.pooling.namespace,
            appNamespace: args.pooling.appNamespace,
            image: args.pooling.image,
            version,
            sizing,
            database: { name: args.databaseName, host: primary.host, port: primary.port },
            // Aurora's endpoints have a 1 s TTL: the cluster endpoint moves to the new writer on failover.
            dnsMaxTtlSeconds: primary.aurora ? AURORA_DNS_TTL_SECONDS : undefined,
            read: {
                name: readDatabaseName(args.databaseName),
                hosts: [...route.hosts],
                pool: withResource(parent, () => readPool(sizing, route)),
            },
            serverCaPem: caPem,
            // The monitor role logs in too: it is PgBouncer's stats user, for the metrics exporter.
            verifiers: { ...verifiers, [ROLE.monitor]: access.verifiers[ROLE.monitor] },
            exporter: {
                image: PGBOUNCER_EXPORTER_IMAGE,
                user: ROLE.monitor,
                password: access.credentials.monitor.password,
                scraperNamespace: "amazon-cloudwatch",
            },
            labels: { environment: args.environment },
        },
        { parent },
    );
}

/**
 * RDS Proxy in front of the instance, or of an Aurora cluster's writer, logging in with the app's and readonly's
 * secrets, sized from the budget.
 */
export function rdsProxy(
    name: string,
    args: MetacortexDatabaseArgs,
    aws: AwsPostgres | AwsAurora,
    roleSecretArns: Readonly<Record<string, pulumi.Output<string>>>,
    parent: pulumi.Resource,
): RdsProxy {
    return new RdsProxy(
        `${name}-proxy`,
        {
            ...aws.vpc,
            ...(aws instanceof AwsAurora
                ? { clusterIdentifier: aws.clusterIdentifier, sources: [aws.aurora.cluster, ...aws.aurora.instances] }
                : { instanceIdentifier: aws.instanceIdentifier, sources: [aws.rds.instance] }),
            allowedSecurityGroupIds: args.network.allowedSecurityGroupIds,
            secretArns: { app: roleSecretArns.app, readonly: roleSecretArns.readonly },
            pool: withResource(parent, () => proxyPool(sizeFor(instanceClass(args.instanceClass)))),
            tags: args.tags,
        },
        { parent },
    );
}
