import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import {
    deployedPgbouncerIni,
    multiHostProblem,
    type PgbouncerVersion,
    renderUserlist,
} from "../../postgres/pooling/pgbouncerIni";
import type { PoolSizing } from "../../postgres/pooling/poolSizing";
import type { ReadPool } from "../../postgres/pooling/readRouting";
import { TlsCertificates } from "../tls/tlsCertificates";
import { EXPORTER_PORT, networkPolicySpec, PGBOUNCER_DIR, podAnnotations, podSpec } from "./pgbouncerPod";

export { EXPORTER_PORT };

export interface PgbouncerArgs {
    /** Namespace PgBouncer runs in (created). */
    readonly namespace: string;
    /** The app's namespace: the only one the NetworkPolicy admits. */
    readonly appNamespace: string;
    /** Pinned PgBouncer image; its tag is the PgBouncer version, e.g. `ghcr.io/cloudnative-pg/pgbouncer:1.23.1`. */
    readonly image: string;
    /** The PgBouncer version the image ships (versionOfImage): decides which settings are rendered. */
    readonly version: PgbouncerVersion;
    /** Replicas and pool sizes, from the connection budget (poolSizing in postgres/pooling). At least 1 replica. */
    readonly sizing: PoolSizing;
    /** The database PgBouncer connects to (TLS verify-full against `serverCaPem`). */
    readonly database: {
        /** Database name, as clients name it and as it is on the server. */
        readonly name: string;
        /** Host name of the server; must match its certificate. */
        readonly host: pulumi.Input<string>;
        /** The server's port (TCP). */
        readonly port: pulumi.Input<number>;
    };
    /** A read database beside `database`, dialled round robin with its own pool (readRouting.ts). Omit for none. */
    readonly read?: {
        /** Database name clients use, e.g. `metacortex_ro`; on the server it is `database.name`. */
        readonly name: string;
        /** The read targets' hosts (replica endpoints, or the primary's when there are none). */
        readonly hosts: pulumi.Input<string>[];
        /** Its pools on each PgBouncer replica, next to `sizing`'s (readPool in postgres/pooling/readRouting.ts). */
        readonly pool: ReadPool;
    };
    /** PEM of the CA PostgreSQL's certificate is verified against (verify-full): the RDS bundle. */
    readonly serverCaPem: pulumi.Input<string>;
    /** SCRAM verifiers per pooled role name, the same as the server's (SCRAM pass-through); secrets. */
    readonly verifiers: Readonly<Record<string, pulumi.Input<string>>>;
    /** Protocol-level prepared statements kept per server connection (1.21+). Default 200. */
    readonly maxPreparedStatements?: number;
    /** Client connections one replica accepts. Default 2000. */
    readonly maxClientConn?: number;
    /** Seconds a resolved server name is cached (dns_max_ttl). Default PgBouncer's 15; 1 for an Aurora cluster. */
    readonly dnsMaxTtlSeconds?: number;
    /**
     * The Prometheus exporter sidecar (prometheus-community/pgbouncer_exporter): reads SHOW POOLS/STATS on the admin
     * console as the stats user and serves metrics on EXPORTER_PORT (9127), which the CloudWatch agent (Container
     * Insights for Prometheus) scrapes into the dashboard. Omit to run PgBouncer alone.
     */
    readonly exporter?: {
        /** Pinned exporter image (PGBOUNCER_EXPORTER_IMAGE). */
        readonly image: string;
        /** The stats user it logs in as (the monitor role, which pgbouncer.ini lists in stats_users). */
        readonly user: string;
        /** That user's password (a secret; kept in the Secret's connection string only). */
        readonly password: pulumi.Input<string>;
        /** The scraper's namespace: the only one the NetworkPolicy admits to the metrics port. */
        readonly scraperNamespace: string;
    };
    /** Labels for every Kubernetes object, added to PgBouncer's own (`app.kubernetes.io/name` and `part-of`). */
    readonly labels: Readonly<Record<string, string>>;
}

/** The exporter's pinned image (prometheus-community/pgbouncer_exporter, PgBouncer 1.8+). */
export const PGBOUNCER_EXPORTER_IMAGE = "prometheuscommunity/pgbouncer-exporter:v0.9.0";

/** PgBouncer in the app's Kubernetes cluster: transaction pooling in front of RDS, sized from the database. */
export class Pgbouncer extends pulumi.ComponentResource {
    readonly service: k8s.core.v1.Service;
    readonly ini: pulumi.Output<string>;
    /** In-cluster address clients use. */
    readonly host: string;
    /** The read database's name, when there is one. */
    readonly readDatabase?: string;

    constructor(name: string, args: PgbouncerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:kubernetes:Pgbouncer", name, {}, opts);
        if (args.sizing.replicas < 1)
            throw new pulumi.ResourceError(
                `Pgbouncer ${name}: sizing.replicas must be at least 1, got ${args.sizing.replicas}`,
                this,
            );
        const problem = args.read && multiHostProblem(args.version, args.read.hosts.length);
        if (problem)
            throw new pulumi.ResourceError(`Pgbouncer ${name}: read.hosts has ${problem} (${args.image})`, this);
        const child = { parent: this };
        const selector = { "app.kubernetes.io/name": "pgbouncer" };
        const labels = { ...selector, "app.kubernetes.io/part-of": "metacortex", ...args.labels };
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: args.namespace, labels } }, child);
        const metadata = { namespace: ns.metadata.name, labels };
        this.host = `pgbouncer.${args.namespace}.svc.cluster.local`;
        this.readDatabase = args.read?.name;
        this.ini = renderIni(args);
        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            { metadata, data: { "pgbouncer.ini": this.ini, "server-ca.pem": args.serverCaPem } },
            child,
        );
        const userlist = pulumi
            .all(
                Object.entries(args.verifiers).map(([user, v]) =>
                    pulumi.output(v).apply((verifier) => ({ user, verifier })),
                ),
            )
            .apply(renderUserlist);
        const secret = authSecret(name, args, this.host, metadata, userlist, this);
        const pod = {
            selector,
            labels,
            metadata,
            configMapName: config.metadata.name,
            secretName: secret.metadata.name,
        };
        deployment(name, args, pod, checksum(this.ini, userlist), this);
        this.service = service(name, args, pod, this);
        this.registerOutputs({ host: this.host });
    }
}

/** What the workload's objects share: selector, labels, namespace, and the ConfigMap and Secret the pods mount. */
interface Workload {
    /** The pods' selector labels. */
    readonly selector: Readonly<Record<string, string>>;
    /** Every object's labels (the selector's among them). */
    readonly labels: Readonly<Record<string, string>>;
    /** Namespace and labels, the metadata most objects take as is. */
    readonly metadata: k8s.types.input.meta.v1.ObjectMeta;
    /** The ConfigMap with pgbouncer.ini and the server CA. */
    readonly configMapName: pulumi.Input<string>;
    /** The Secret with the userlist, the TLS key pair and the exporter's login. */
    readonly secretName: pulumi.Input<string>;
}

/** The Deployment (rolling, one pod per node, rolled on config change) and its disruption budget. */
function deployment(
    name: string,
    args: PgbouncerArgs,
    w: Workload,
    configChecksum: pulumi.Output<string>,
    parent: pulumi.Resource,
): void {
    new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
            metadata: { name: "pgbouncer", ...w.metadata },
            spec: {
                replicas: args.sizing.replicas,
                selector: { matchLabels: w.selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                template: {
                    metadata: { labels: w.labels, annotations: podAnnotations(configChecksum, !!args.exporter) },
                    spec: podSpec({
                        image: args.image,
                        selector: w.selector,
                        configMapName: w.configMapName,
                        secretName: w.secretName,
                        exporterImage: args.exporter?.image,
                    }),
                },
            },
        },
        { parent },
    );
    new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        {
            metadata: w.metadata,
            spec: { minAvailable: Math.max(1, args.sizing.replicas - 1), selector: { matchLabels: w.selector } },
        },
        { parent },
    );
}

/** The in-cluster Service clients connect to, and the NetworkPolicy that admits the app's namespace only. */
function service(name: string, args: PgbouncerArgs, w: Workload, parent: pulumi.Resource): k8s.core.v1.Service {
    const svc = new k8s.core.v1.Service(
        `${name}-service`,
        {
            metadata: { name: "pgbouncer", ...w.metadata },
            spec: {
                type: "ClusterIP",
                selector: w.selector,
                ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: POSTGRES_PORT }],
            },
        },
        { parent },
    );
    new k8s.networking.v1.NetworkPolicy(
        `${name}-netpol`,
        {
            metadata: w.metadata,
            spec: networkPolicySpec(w.selector, args.appNamespace, args.exporter?.scraperNamespace),
        },
        { parent },
    );
    return svc;
}

/** pgbouncer.ini for the pod's mount paths, once the servers' addresses are known. */
function renderIni(args: PgbouncerArgs): pulumi.Output<string> {
    const read = args.read;
    return pulumi
        .all([args.database.host, args.database.port, pulumi.all(read?.hosts ?? [])])
        .apply(([host, port, hosts]) =>
            deployedPgbouncerIni({
                version: args.version,
                sizing: args.sizing,
                database: { name: args.database.name, host, port, dbname: args.database.name },
                read: read && {
                    database: { name: read.name, host: hosts.join(","), port, dbname: args.database.name },
                    pool: read.pool,
                },
                files: {
                    userlist: `${PGBOUNCER_DIR}/secret/userlist.txt`,
                    serverCa: `${PGBOUNCER_DIR}/config/server-ca.pem`,
                    cert: `${PGBOUNCER_DIR}/secret/tls.crt`,
                    key: `${PGBOUNCER_DIR}/secret/tls.key`,
                },
                maxPreparedStatements: args.maxPreparedStatements,
                maxClientConn: args.maxClientConn,
                dnsMaxTtlSeconds: args.dnsMaxTtlSeconds,
            }),
        );
}

/**
 * Pods roll when the rendered configuration changes. The digest reveals nothing of the userlist (SCRAM verifiers), so
 * it is unsecreted: otherwise the whole Deployment spec would turn secret and vanish from previews and reviews.
 */
function checksum(ini: pulumi.Output<string>, userlist: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.unsecret(
        pulumi.all([ini, userlist]).apply(([i, users]) =>
            crypto
                .createHash("sha256")
                .update(i + users)
                .digest("hex"),
        ),
    );
}

/** The Secret: userlist, the TLS key pair for clients (certificates from TlsCertificates), the exporter's login. */
function authSecret(
    name: string,
    args: PgbouncerArgs,
    host: string,
    metadata: k8s.types.input.meta.v1.ObjectMeta,
    userlist: pulumi.Output<string>,
    parent: pulumi.ComponentResource,
): k8s.core.v1.Secret {
    const certs = new TlsCertificates(
        `${name}-tls`,
        { dnsNames: [host, `pgbouncer.${args.namespace}.svc`, "pgbouncer"], ipAddresses: [] },
        { parent },
    );
    const exporter = args.exporter;
    return new k8s.core.v1.Secret(
        `${name}-auth`,
        {
            metadata,
            type: "Opaque",
            stringData: {
                "userlist.txt": pulumi.secret(userlist),
                "tls.crt": certs.serverCertPem,
                "tls.key": certs.serverKeyPem,
                // The exporter's login to the admin console, over the loopback with TLS (clients must use it).
                ...(exporter
                    ? {
                          "exporter-connection": pulumi.secret(
                              pulumi
                                  .output(exporter.password)
                                  .apply(
                                      (pw) =>
                                          `postgres://${exporter.user}:${encodeURIComponent(pw)}@127.0.0.1:${POSTGRES_PORT}/pgbouncer?sslmode=require`,
                                  ),
                          ),
                      }
                    : {}),
            },
        },
        { parent },
    );
}
