import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { deployedPgbouncerIni, type PgbouncerVersion, renderUserlist } from "../../postgres/pooling/pgbouncerIni";
import type { PoolSizing } from "../../postgres/pooling/poolSizing";
import { TlsCertificates } from "../tls/tlsCertificates";

export interface PgbouncerArgs {
    /** Namespace PgBouncer runs in (created). */
    readonly namespace: string;
    /** The app's namespace: the only one the NetworkPolicy admits. */
    readonly appNamespace: string;
    /** Pinned image and the PgBouncer version it ships (decides which settings are rendered). */
    readonly image: string;
    readonly version: PgbouncerVersion;
    readonly sizing: PoolSizing;
    readonly database: {
        readonly name: string;
        readonly host: pulumi.Input<string>;
        readonly port: pulumi.Input<number>;
    };
    /** PEM of the CA PostgreSQL's certificate is verified against (verify-full): the RDS bundle. */
    readonly serverCaPem: pulumi.Input<string>;
    /** SCRAM verifiers per pooled role, the same as the server's (SCRAM pass-through). */
    readonly verifiers: Readonly<Record<string, pulumi.Input<string>>>;
    /** Protocol-level prepared statements kept per server connection (1.21+). Default 200. */
    readonly maxPreparedStatements?: number;
    readonly maxClientConn?: number;
    /**
     * The Prometheus exporter sidecar (prometheus-community/pgbouncer_exporter): reads SHOW POOLS/STATS on the admin
     * console as the stats user and serves metrics on :9127, which the CloudWatch agent (Container Insights for
     * Prometheus) scrapes into the dashboard. Omit to run PgBouncer alone.
     */
    readonly exporter?: {
        readonly image: string;
        readonly user: string;
        readonly password: pulumi.Input<string>;
        readonly scraperNamespace: string;
    };
    readonly labels: Readonly<Record<string, string>>;
}

/** The exporter's pinned image (prometheus-community/pgbouncer_exporter, PgBouncer 1.8+). */
export const PGBOUNCER_EXPORTER_IMAGE = "prometheuscommunity/pgbouncer-exporter:v0.9.0";
export const EXPORTER_PORT = 9127;

/** PgBouncer in the app's Kubernetes cluster: transaction pooling in front of RDS, sized from the database. */
export class Pgbouncer extends pulumi.ComponentResource {
    readonly service: k8s.core.v1.Service;
    readonly ini: pulumi.Output<string>;
    /** In-cluster address clients use. */
    readonly host: string;

    constructor(name: string, args: PgbouncerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:kubernetes:Pgbouncer", name, {}, opts);
        if (args.sizing.replicas < 1) throw new Error("Pgbouncer: at least one replica");
        const child = { parent: this };
        const labels = {
            "app.kubernetes.io/name": "pgbouncer",
            "app.kubernetes.io/part-of": "metacortex",
            ...args.labels,
        };
        const selector = { "app.kubernetes.io/name": "pgbouncer" };
        const ns = new k8s.core.v1.Namespace(`${name}-ns`, { metadata: { name: args.namespace, labels } }, child);
        this.host = `pgbouncer.${args.namespace}.svc.cluster.local`;
        const certs = new TlsCertificates(
            `${name}-tls`,
            { dnsNames: [this.host, `pgbouncer.${args.namespace}.svc`, "pgbouncer"], ipAddresses: [] },
            child,
        );
        const dir = "/etc/pgbouncer";
        this.ini = pulumi.all([args.database.host, args.database.port]).apply(([host, port]) =>
            deployedPgbouncerIni({
                version: args.version,
                sizing: args.sizing,
                database: { name: args.database.name, host, port, dbname: args.database.name },
                files: {
                    userlist: `${dir}/secret/userlist.txt`,
                    serverCa: `${dir}/config/server-ca.pem`,
                    cert: `${dir}/secret/tls.crt`,
                    key: `${dir}/secret/tls.key`,
                },
                maxPreparedStatements: args.maxPreparedStatements,
                maxClientConn: args.maxClientConn,
            }),
        );
        const config = new k8s.core.v1.ConfigMap(
            `${name}-config`,
            {
                metadata: { namespace: ns.metadata.name, labels },
                data: { "pgbouncer.ini": this.ini, "server-ca.pem": args.serverCaPem },
            },
            child,
        );
        const userlist = pulumi
            .all(
                Object.entries(args.verifiers).map(([user, v]) =>
                    pulumi.output(v).apply((verifier) => ({ user, verifier })),
                ),
            )
            .apply(renderUserlist);
        const secret = new k8s.core.v1.Secret(
            `${name}-auth`,
            {
                metadata: { namespace: ns.metadata.name, labels },
                type: "Opaque",
                stringData: {
                    "userlist.txt": pulumi.secret(userlist),
                    "tls.crt": certs.serverCertPem,
                    "tls.key": certs.serverKeyPem,
                    // The exporter's login to the admin console, over the loopback with TLS (clients must use it).
                    ...(args.exporter
                        ? {
                              "exporter-connection": pulumi.secret(
                                  pulumi
                                      .output(args.exporter.password)
                                      .apply(
                                          (pw) =>
                                              `postgres://${args.exporter!.user}:${encodeURIComponent(pw)}@127.0.0.1:5432/pgbouncer?sslmode=require`,
                                      ),
                              ),
                          }
                        : {}),
                },
            },
            child,
        );
        // Pods roll when the rendered configuration changes. The digest reveals nothing of the userlist (SCRAM verifiers),
        // so it is unsecreted: otherwise the whole Deployment spec would turn secret and vanish from previews and reviews.
        const checksum = pulumi.unsecret(
            pulumi.all([this.ini, userlist]).apply(([ini, users]) =>
                crypto
                    .createHash("sha256")
                    .update(ini + users)
                    .digest("hex"),
            ),
        );
        const probe = { tcpSocket: { port: 5432 }, periodSeconds: 10, timeoutSeconds: 3 };
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { name: "pgbouncer", namespace: ns.metadata.name, labels },
                spec: {
                    replicas: args.sizing.replicas,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                    template: {
                        metadata: {
                            labels,
                            annotations: {
                                "metacortex.io/config-checksum": checksum,
                                // Container Insights for Prometheus (the CloudWatch agent) discovers scrape targets by these.
                                ...(args.exporter
                                    ? {
                                          "prometheus.io/scrape": "true",
                                          "prometheus.io/port": String(EXPORTER_PORT),
                                          "prometheus.io/path": "/metrics",
                                      }
                                    : {}),
                            },
                        },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 998,
                                runAsGroup: 998,
                                fsGroup: 998,
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            affinity: {
                                podAntiAffinity: {
                                    requiredDuringSchedulingIgnoredDuringExecution: [
                                        {
                                            labelSelector: { matchLabels: selector },
                                            topologyKey: "kubernetes.io/hostname",
                                        },
                                    ],
                                },
                            },
                            topologySpreadConstraints: [
                                {
                                    maxSkew: 1,
                                    topologyKey: "topology.kubernetes.io/zone",
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: selector },
                                },
                            ],
                            containers: [
                                {
                                    name: "pgbouncer",
                                    image: args.image,
                                    args: [`${dir}/config/pgbouncer.ini`],
                                    ports: [{ name: "postgres", containerPort: 5432 }],
                                    readinessProbe: { ...probe, initialDelaySeconds: 2 },
                                    livenessProbe: { ...probe, initialDelaySeconds: 10, failureThreshold: 6 },
                                    resources: {
                                        requests: { cpu: "250m", memory: "128Mi" },
                                        limits: { cpu: "1", memory: "256Mi" },
                                    },
                                    securityContext: {
                                        readOnlyRootFilesystem: true,
                                        allowPrivilegeEscalation: false,
                                        capabilities: { drop: ["ALL"] },
                                    },
                                    volumeMounts: [
                                        { name: "config", mountPath: `${dir}/config`, readOnly: true },
                                        { name: "secret", mountPath: `${dir}/secret`, readOnly: true },
                                        { name: "tmp", mountPath: "/tmp" },
                                    ],
                                },
                                ...(args.exporter
                                    ? [
                                          {
                                              name: "exporter",
                                              image: args.exporter.image,
                                              args: [`--web.listen-address=:${EXPORTER_PORT}`],
                                              env: [
                                                  {
                                                      name: "PGBOUNCER_EXPORTER_CONNECTION_STRING",
                                                      valueFrom: {
                                                          secretKeyRef: {
                                                              name: secret.metadata.name,
                                                              key: "exporter-connection",
                                                          },
                                                      },
                                                  },
                                              ],
                                              ports: [{ name: "metrics", containerPort: EXPORTER_PORT }],
                                              readinessProbe: {
                                                  httpGet: { path: "/metrics", port: EXPORTER_PORT },
                                                  periodSeconds: 30,
                                                  timeoutSeconds: 5,
                                              },
                                              resources: {
                                                  requests: { cpu: "20m", memory: "32Mi" },
                                                  limits: { cpu: "200m", memory: "64Mi" },
                                              },
                                              securityContext: {
                                                  readOnlyRootFilesystem: true,
                                                  allowPrivilegeEscalation: false,
                                                  capabilities: { drop: ["ALL"] },
                                              },
                                          },
                                      ]
                                    : []),
                            ],
                            volumes: [
                                { name: "config", configMap: { name: config.metadata.name } },
                                { name: "secret", secret: { secretName: secret.metadata.name, defaultMode: 0o400 } },
                                { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
                            ],
                        },
                    },
                },
            },
            child,
        );
        new k8s.policy.v1.PodDisruptionBudget(
            `${name}-pdb`,
            {
                metadata: { namespace: ns.metadata.name, labels },
                spec: { minAvailable: Math.max(1, args.sizing.replicas - 1), selector: { matchLabels: selector } },
            },
            child,
        );
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: { name: "pgbouncer", namespace: ns.metadata.name, labels },
                spec: { type: "ClusterIP", selector, ports: [{ name: "postgres", port: 5432, targetPort: 5432 }] },
            },
            child,
        );
        new k8s.networking.v1.NetworkPolicy(
            `${name}-netpol`,
            {
                metadata: { namespace: ns.metadata.name, labels },
                spec: {
                    podSelector: { matchLabels: selector },
                    policyTypes: ["Ingress"],
                    ingress: [
                        {
                            from: [
                                {
                                    namespaceSelector: {
                                        matchLabels: { "kubernetes.io/metadata.name": args.appNamespace },
                                    },
                                },
                            ],
                            ports: [{ protocol: "TCP", port: 5432 }],
                        },
                        // The metrics port, for the CloudWatch agent's namespace only.
                        ...(args.exporter
                            ? [
                                  {
                                      from: [
                                          {
                                              namespaceSelector: {
                                                  matchLabels: {
                                                      "kubernetes.io/metadata.name": args.exporter.scraperNamespace,
                                                  },
                                              },
                                          },
                                      ],
                                      ports: [{ protocol: "TCP", port: EXPORTER_PORT }],
                                  },
                              ]
                            : []),
                    ],
                },
            },
            child,
        );
        this.registerOutputs({ host: this.host });
    }
}
