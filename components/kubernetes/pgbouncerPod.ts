/**
 * Pure: the Kubernetes specs of PgBouncer's workload (pod template, containers, network policy), built from plain
 * values so that the Pgbouncer component only creates resources. Nothing here registers anything.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";

/** The exporter's metrics port (pgbouncer_exporter's default). */
export const EXPORTER_PORT = 9127;
/** Where the pod mounts PgBouncer's files: `config/` (ConfigMap) and `secret/` (Secret). */
export const PGBOUNCER_DIR = "/etc/pgbouncer";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type Labels = Readonly<Record<string, string>>;

/** What the pod template needs besides the images. */
export interface PodInput {
    /** Pinned PgBouncer image. */
    readonly image: string;
    /** The pods' selector labels (anti-affinity and spread constraints use them). */
    readonly selector: Labels;
    /** The ConfigMap holding pgbouncer.ini and the server CA. */
    readonly configMapName: pulumi.Input<string>;
    /** The Secret holding userlist.txt, the TLS key pair and the exporter's connection string. */
    readonly secretName: pulumi.Input<string>;
    /** The exporter sidecar's pinned image; omit for PgBouncer alone. */
    readonly exporterImage?: string;
}

/** Pure: the pod spec: non-root, no service account token, one pod per node, spread over zones. */
export function podSpec(input: PodInput): PodSpec {
    return {
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
                    { labelSelector: { matchLabels: input.selector }, topologyKey: "kubernetes.io/hostname" },
                ],
            },
        },
        topologySpreadConstraints: [
            {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: { matchLabels: input.selector },
            },
        ],
        containers: [
            pgbouncerContainer(input.image),
            ...(input.exporterImage ? [exporterContainer(input.exporterImage, input.secretName)] : []),
        ],
        volumes: [
            { name: "config", configMap: { name: input.configMapName } },
            { name: "secret", secret: { secretName: input.secretName, defaultMode: 0o400 } },
            { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        ],
    };
}

/** Pure: PgBouncer itself, read-only, probed on its port. */
function pgbouncerContainer(image: string): Container {
    const probe = { tcpSocket: { port: POSTGRES_PORT }, periodSeconds: 10, timeoutSeconds: 3 };
    return {
        name: "pgbouncer",
        image,
        args: [`${PGBOUNCER_DIR}/config/pgbouncer.ini`],
        ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
        readinessProbe: { ...probe, initialDelaySeconds: 2 },
        livenessProbe: { ...probe, initialDelaySeconds: 10, failureThreshold: 6 },
        resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "1", memory: "256Mi" } },
        securityContext: {
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        },
        volumeMounts: [
            { name: "config", mountPath: `${PGBOUNCER_DIR}/config`, readOnly: true },
            { name: "secret", mountPath: `${PGBOUNCER_DIR}/secret`, readOnly: true },
            { name: "tmp", mountPath: "/tmp" },
        ],
    };
}

/** Pure: the metrics exporter sidecar, which logs in to the admin console with the Secret's connection string. */
function exporterContainer(image: string, secretName: pulumi.Input<string>): Container {
    return {
        name: "exporter",
        image,
        args: [`--web.listen-address=:${EXPORTER_PORT}`],
        env: [
            {
                name: "PGBOUNCER_EXPORTER_CONNECTION_STRING",
                valueFrom: { secretKeyRef: { name: secretName, key: "exporter-connection" } },
            },
        ],
        ports: [{ name: "metrics", containerPort: EXPORTER_PORT }],
        readinessProbe: { httpGet: { path: "/metrics", port: EXPORTER_PORT }, periodSeconds: 30, timeoutSeconds: 5 },
        resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
        securityContext: {
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        },
    };
}

/** Pure: pod annotations: the config checksum (pods roll on change) and, with the exporter, Prometheus discovery. */
export function podAnnotations(
    checksum: pulumi.Input<string>,
    exporter: boolean,
): Record<string, pulumi.Input<string>> {
    return {
        "metacortex.io/config-checksum": checksum,
        // Container Insights for Prometheus (the CloudWatch agent) discovers scrape targets by these.
        ...(exporter
            ? {
                  "prometheus.io/scrape": "true",
                  "prometheus.io/port": String(EXPORTER_PORT),
                  "prometheus.io/path": "/metrics",
              }
            : {}),
    };
}

/** Pure: ingress to PgBouncer from the app's namespace only, and to the metrics port from the scraper's only. */
export function networkPolicySpec(
    selector: Labels,
    appNamespace: string,
    scraperNamespace: string | undefined,
): k8s.types.input.networking.v1.NetworkPolicySpec {
    const from = (namespace: string) => [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } } },
    ];
    return {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
            { from: from(appNamespace), ports: [{ protocol: "TCP", port: POSTGRES_PORT }] },
            // The metrics port, for the CloudWatch agent's namespace only.
            ...(scraperNamespace !== undefined
                ? [{ from: from(scraperNamespace), ports: [{ protocol: "TCP", port: EXPORTER_PORT }] }]
                : []),
        ],
    };
}
