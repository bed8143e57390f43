/** The pooling section: PgBouncer or RDS Proxy in front of the database. */
import * as c from "../checks";
import type { Reader } from "../read";
import { integer, oneOf, perEnv, row, text } from "../schema";
import type { PoolingConfig } from "../types";
import { TCP_PORT_ON_LOCALHOST } from "./docker";

export const POOLING_KEYS = {
    pooler: row({
        doc:
            "prod: PgBouncer in the app's Kubernetes cluster (kubeconfig from the environment, as `kubectl` uses " +
            "it), or RDS Proxy with TLS and IAM auth required (docs/pooling.md, pinning caveats); dev: a PgBouncer " +
            "container",
        type: oneOf(["pgbouncer", "rds-proxy", "none"]),
        default: "pgbouncer",
        rules: {
            aws: "rds-proxy only for target aws (dev runs PgBouncer: pgbouncer or none)",
            roles: "rds-proxy logs in with the role secrets, which need manageRoles: true",
        },
    }),
    pgbouncerReplicas: row({
        doc: "PgBouncer pods; the connection budget is divided across them (`postgres/pooling/poolSizing.ts`)",
        type: integer(perEnv(1, 2), 16, { unit: "replicas", note: "(prod keeps at least 2 for availability)" }),
        default: perEnv(1, 2),
    }),
    pgbouncerImage: row({
        doc: "the tag's version decides the rendered settings (`max_prepared_statements` needs 1.21+)",
        type: text(c.BOUNCER_IMAGE),
        default: "ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
    }),
    kubernetesNamespace: row({
        doc: "where PgBouncer runs (created)",
        type: text(c.NAMESPACE),
        default: "metacortex-db",
    }),
    appNamespace: row({
        doc: "the only namespace the NetworkPolicy admits",
        type: text(c.NAMESPACE),
        default: "metacortex",
    }),
    pgbouncerHostPort: row({
        doc: "dev: the PgBouncer container's port, on 127.0.0.1 only",
        type: integer(1024, 65535, TCP_PORT_ON_LOCALHOST),
        default: 6432,
    }),
};

/** The pooler and PgBouncer's deployment; RDS Proxy needs target aws and the role secrets of manageRoles. */
export function readPooling(r: Reader<typeof POOLING_KEYS>, manageRoles: boolean): PoolingConfig {
    const pooler = r.read("pooler") ?? "none";
    if (pooler === "rds-proxy" && r.target !== "aws") r.breaks("pooler", "aws", pooler);
    if (pooler === "rds-proxy" && !manageRoles) r.breaks("pooler", "roles", pooler);
    const replicas = r.read("pgbouncerReplicas");
    const image = r.read("pgbouncerImage");
    const namespace = r.read("kubernetesNamespace");
    const hostPort = r.read("pgbouncerHostPort");
    const appNamespace = r.read("appNamespace");
    return { pooler, replicas, image, namespace, appNamespace, hostPort };
}
