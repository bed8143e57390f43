/**
 * Pooler policies (PgBouncer on Kubernetes in prod, in Docker in dev): TLS to the server is verify-full against a CA
 * file, clients must use TLS, the Deployment is highly available and hardened, and the pools of every replica fit
 * in the database's connection budget (a stack policy: it joins the poolers with the database they serve).
 */
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import {
    type PolicyResource,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { confSetting, parameterMap, pgbouncerInis, runsPgbouncer } from "./lib";

export const pgbouncerServerTls: ResourceValidationPolicy = {
    name: "pgbouncer-server-tls",
    description: "PgBouncer connects to PostgreSQL with TLS verify-full against a CA file.",
    severity: "critical",
    validateResource: (args, report) => {
        const inis = pgbouncerInis(args.props);
        if (inis.length === 0) args.notApplicable("carries no pgbouncer.ini");
        for (const { name, ini } of inis) {
            const pg = ini.pgbouncer ?? {};
            if (pg.server_tls_sslmode !== "verify-full")
                report(
                    `${name}: server_tls_sslmode is ${pg.server_tls_sslmode ?? "unset (prefer)"}; verify-full required.`,
                );
            if (!pg.server_tls_ca_file) report(`${name}: server_tls_ca_file must be set.`);
        }
    },
};

export const pgbouncerClientTls: ResourceValidationPolicy = {
    name: "pgbouncer-client-tls",
    description: "Clients must reach PgBouncer over TLS, as they must reach the database.",
    severity: "high",
    validateResource: (args, report) => {
        const inis = pgbouncerInis(args.props);
        if (inis.length === 0) args.notApplicable("carries no pgbouncer.ini");
        for (const { name, ini } of inis) {
            const mode = ini.pgbouncer?.client_tls_sslmode;
            if (!["require", "verify-ca", "verify-full"].includes(mode ?? ""))
                report(`${name}: client_tls_sslmode is ${mode ?? "unset (disable)"}; require or stricter required.`);
        }
    },
};

export const pgbouncerDeployment: ResourceValidationPolicy = {
    name: "pgbouncer-deployment",
    description:
        "PgBouncer runs as at least the configured number of replicas, non-root, with a read-only root filesystem.",
    severity: "high",
    configSchema: { properties: { minReplicas: { type: "integer", minimum: 1, default: 2 } } },
    validateResource: validateResourceOfType(k8s.apps.v1.Deployment, (d, args, report) => {
        if (!runsPgbouncer(d)) args.notApplicable("not a PgBouncer Deployment");
        const { minReplicas } = args.getConfig<{ minReplicas: number }>();
        const pod: { securityContext?: any; containers?: any[] } = d.spec?.template?.spec ?? {};
        if ((d.spec?.replicas ?? 1) < minReplicas)
            report(`replicas is ${d.spec?.replicas ?? 1}; at least ${minReplicas} required.`);
        if (pod.securityContext?.runAsNonRoot !== true) report("the pod must set runAsNonRoot: true.");
        for (const c of pod.containers ?? []) {
            if (c.securityContext?.readOnlyRootFilesystem !== true)
                report(`container ${c.name} must set readOnlyRootFilesystem: true.`);
            if (c.securityContext?.allowPrivilegeEscalation !== false)
                report(`container ${c.name} must set allowPrivilegeEscalation: false.`);
        }
    }),
};

/** A pooler: how many replicas, and the server connections each may open given the database's max_connections. */
interface Pooler {
    readonly resource: PolicyResource;
    readonly replicas: number;
    readonly perReplica: (maxConnections: number) => number;
}

function poolers(resources: PolicyResource[]): Pooler[] {
    const found: Pooler[] = [];
    for (const r of resources) {
        if (r.isType(k8s.apps.v1.Deployment) && runsPgbouncer(r.props)) {
            // The ini lives in a ConfigMap created by the same component.
            const ini = resources
                .filter((c) => c.isType(k8s.core.v1.ConfigMap) && c.parent?.urn === r.parent?.urn)
                .flatMap((c) => pgbouncerInis(c.props))[0];
            found.push({
                resource: r,
                replicas: r.props.spec?.replicas ?? 1,
                perReplica: () => Number(ini?.ini.pgbouncer?.max_db_connections ?? 0),
            });
        } else if (r.isType(aws.rds.ProxyDefaultTargetGroup)) {
            // RDS Proxy opens up to maxConnectionsPercent of max_connections.
            const percent = Number(r.props.connectionPoolConfig?.maxConnectionsPercent ?? 100);
            found.push({
                resource: r,
                replicas: 1,
                perReplica: (maxConnections) => Math.floor((maxConnections * percent) / 100),
            });
        } else if (r.isType(docker.Container)) {
            const ini = pgbouncerInis(r.props)[0];
            if (ini)
                found.push({
                    resource: r,
                    replicas: 1,
                    perReplica: () => Number(ini.ini.pgbouncer?.max_db_connections ?? 0),
                });
        }
    }
    return found;
}

/** The database's max_connections and superuser reserve: from the RDS parameter group or the Docker postgresql.conf. */
function databaseLimits(
    resources: PolicyResource[],
): { name: string; maxConnections: number; reserved: number } | undefined {
    // An RDS instance, or an Aurora cluster's instance (its writer and readers share one parameter group).
    const db = resources.find((r) => r.isType(aws.rds.Instance) || r.isType(aws.rds.ClusterInstance));
    if (db) {
        const groups = resources.filter((r) => r.isType(aws.rds.ParameterGroup));
        const groupName = db.props.parameterGroupName ?? db.props.dbParameterGroupName;
        const group = groups.find((g) => g.props.name === groupName) ?? (groups.length === 1 ? groups[0] : undefined);
        const p = parameterMap(group?.props.parameters);
        const max = Number(p.get("max_connections")?.value);
        if (!Number.isFinite(max)) return undefined;
        return {
            name: db.props.clusterIdentifier ?? db.props.identifier ?? db.name,
            maxConnections: max,
            reserved: Number(p.get("superuser_reserved_connections")?.value ?? 3),
        };
    }
    for (const r of resources.filter((x) => x.isType(docker.Container))) {
        const max = confSetting(r.props, "max_connections");
        if (max !== undefined)
            return {
                name: r.name,
                maxConnections: Number(max),
                reserved: Number(confSetting(r.props, "superuser_reserved_connections") ?? 3),
            };
    }
    return undefined;
}

export const poolWithinBudget: StackValidationPolicy = {
    name: "pool-within-budget",
    description:
        "The poolers' server connections (PgBouncer summed over every replica, or RDS Proxy's share) fit in the database's connection budget.",
    severity: "high",
    configSchema: { properties: { adminHeadroom: { type: "integer", minimum: 0, default: 10 } } },
    validateStack: (args, report) => {
        const declared = poolers(args.resources);
        if (declared.length === 0) args.notApplicable("no pooler in this stack");
        const limits = databaseLimits(args.resources);
        if (!limits) {
            report(
                "A pooler is deployed but the database's max_connections cannot be read (parameter group or postgresql.conf).",
            );
            return;
        }
        const found = declared.map((p) => ({ ...p, maxDbConnections: p.perReplica(limits.maxConnections) }));
        const { adminHeadroom } = args.getConfig<{ adminHeadroom: number }>();
        const budget = limits.maxConnections - limits.reserved - adminHeadroom;
        for (const p of found.filter((x) => !(x.maxDbConnections > 0)))
            report(`${p.resource.name}: max_db_connections must be set (0 is unlimited).`, p.resource.urn);
        const total = found.reduce((sum, p) => sum + p.replicas * p.maxDbConnections, 0);
        if (total > budget) {
            const parts = found.map((p) => `${p.replicas} x ${p.maxDbConnections}`).join(" + ");
            report(
                `The poolers may open ${total} server connections (${parts}); the budget of ${limits.name} is ${budget} (max_connections ${limits.maxConnections} - reserved ${limits.reserved} - headroom ${adminHeadroom}).`,
            );
        }
    },
};

export const kubernetesPolicies = [pgbouncerServerTls, pgbouncerClientTls, pgbouncerDeployment, poolWithinBudget];
