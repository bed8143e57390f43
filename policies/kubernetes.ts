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
import { confSetting, isReadReplica, parameterMap, pgbouncerInis, runsPgbouncer } from "./lib";

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

/**
 * A pooler: how many replicas, the server connections each may open on the primary given its max_connections, and
 * PgBouncer's databases on read replicas (those count against the replicas' budgets instead).
 */
interface Pooler {
    readonly resource: PolicyResource;
    readonly replicas: number;
    readonly perReplica: (maxConnections: number) => number;
    readonly onReplicas?: readonly ReplicaDatabase[];
}

/** A PgBouncer database whose every host is a read replica's endpoint, and its cap on one PgBouncer replica. */
interface ReplicaDatabase {
    readonly name: string;
    readonly instances: readonly PolicyResource[];
    readonly cap: number;
}

/** Pure: each [databases] entry's hosts and its cap (its own max_db_connections, or the global one). */
function databaseCaps(ini: Record<string, Record<string, string>>): { name: string; hosts: string[]; cap: number }[] {
    const global = Number(ini.pgbouncer?.max_db_connections ?? 0);
    return Object.entries(ini.databases ?? {}).map(([name, line]) => {
        const field = (key: string) => new RegExp(`(?:^|\\s)${key}=(\\S+)`).exec(line)?.[1];
        const own = field("max_db_connections");
        return { name, hosts: (field("host") ?? "").split(","), cap: own === undefined ? global : Number(own) };
    });
}

/**
 * The hosts that serve reads, and the instances behind each: an RDS read replica's own endpoint, or an Aurora
 * cluster's reader endpoint, behind which are its readers (every instance but the writer, promotion tier 0).
 */
function readersByHost(resources: PolicyResource[]): Map<string, PolicyResource[]> {
    const hosts = new Map<string, PolicyResource[]>();
    for (const x of resources) {
        if (x.isType(aws.rds.Instance) && isReadReplica(x.props) && typeof x.props.address === "string")
            hosts.set(x.props.address, [x]);
        if (x.isType(aws.rds.Cluster) && typeof x.props.readerEndpoint === "string") {
            const readers = resources.filter(
                (i) =>
                    i.isType(aws.rds.ClusterInstance) &&
                    i.props.clusterIdentifier === x.props.clusterIdentifier &&
                    (i.props.promotionTier ?? 0) > 0,
            );
            if (readers.length > 0) hosts.set(x.props.readerEndpoint, readers);
        }
        // A standby container (dev): by its names on the container network.
        if (x.isType(docker.Container) && confSetting(x.props, "primary_conninfo") !== undefined)
            for (const n of x.props.networksAdvanced ?? []) for (const alias of n.aliases ?? []) hosts.set(alias, [x]);
    }
    return hosts;
}

/**
 * A PgBouncer's pools (a Deployment, whose ini is in its component's ConfigMap, or a container carrying its own): its
 * databases on the primary summed, its databases on replicas apart.
 */
function pgbouncerPooler(r: PolicyResource, resources: PolicyResource[]): Pooler {
    const ini = r.isType(docker.Container)
        ? pgbouncerInis(r.props)[0]
        : resources
              .filter((c) => c.isType(k8s.core.v1.ConfigMap) && c.parent?.urn === r.parent?.urn)
              .flatMap((c) => pgbouncerInis(c.props))[0];
    const replicaByHost = readersByHost(resources);
    const caps = ini ? databaseCaps(ini.ini) : [];
    const onReplicas = caps.filter((d) => d.hosts.every((h) => replicaByHost.has(h)));
    const onPrimary = caps.filter((d) => !onReplicas.includes(d));
    return {
        resource: r,
        replicas: r.props.spec?.replicas ?? 1,
        // Without a [databases] entry to read, the global cap is what one database may open.
        perReplica: () =>
            caps.length === 0
                ? Number(ini?.ini.pgbouncer?.max_db_connections ?? 0)
                : onPrimary.some((d) => !(d.cap > 0))
                  ? 0
                  : onPrimary.reduce((sum, d) => sum + d.cap, 0),
        onReplicas: onReplicas.map((d) => ({
            name: d.name,
            instances: d.hosts.flatMap((h) => replicaByHost.get(h)!),
            cap: d.cap,
        })),
    };
}

function poolers(resources: PolicyResource[]): Pooler[] {
    const found: Pooler[] = [];
    for (const r of resources) {
        if (r.isType(k8s.apps.v1.Deployment) && runsPgbouncer(r.props)) {
            found.push(pgbouncerPooler(r, resources));
        } else if (r.isType(aws.rds.ProxyDefaultTargetGroup)) {
            // RDS Proxy opens up to maxConnectionsPercent of max_connections.
            const percent = Number(r.props.connectionPoolConfig?.maxConnectionsPercent ?? 100);
            found.push({
                resource: r,
                replicas: 1,
                perReplica: (maxConnections) => Math.floor((maxConnections * percent) / 100),
            });
        } else if (r.isType(docker.Container) && pgbouncerInis(r.props).length > 0) {
            found.push(pgbouncerPooler(r, resources));
        }
    }
    return found;
}

/** The database's max_connections and superuser reserve: from the RDS parameter group or the Docker postgresql.conf. */
type Limits = { name: string; maxConnections: number; reserved: number };

/** An instance's max_connections and superuser reserve: its parameter group's (RDS, Aurora) or its conf's (Docker). */
function instanceLimits(db: PolicyResource, resources: PolicyResource[]): Limits | undefined {
    if (db.isType(docker.Container)) return containerLimits(db);
    const groups = resources.filter((r) => r.isType(aws.rds.ParameterGroup));
    const groupName = db.props.parameterGroupName ?? db.props.dbParameterGroupName;
    const group = groups.find((g) => g.props.name === groupName) ?? (groups.length === 1 ? groups[0] : undefined);
    const p = parameterMap(group?.props.parameters);
    const max = Number(p.get("max_connections")?.value);
    if (!Number.isFinite(max)) return undefined;
    return {
        name: db.props.identifier ?? db.name,
        maxConnections: max,
        reserved: Number(p.get("superuser_reserved_connections")?.value ?? 3),
    };
}

function databaseLimits(resources: PolicyResource[]): Limits | undefined {
    // The primary: the instance that replicates nothing, or an Aurora cluster's writer (promotion tier 0).
    const db = resources.find(
        (r) =>
            (r.isType(aws.rds.Instance) && !isReadReplica(r.props)) ||
            (r.isType(aws.rds.ClusterInstance) && (r.props.promotionTier ?? 0) === 0),
    );
    if (db) return instanceLimits(db, resources);
    // The dev database: the container whose postgresql.conf streams from nothing (a standby's has primary_conninfo).
    return resources
        .filter((x) => x.isType(docker.Container) && confSetting(x.props, "primary_conninfo") === undefined)
        .map(containerLimits)
        .find((l) => l !== undefined);
}

/** A PostgreSQL container's max_connections and superuser reserve, from the postgresql.conf it carries. */
function containerLimits(r: PolicyResource): Limits | undefined {
    const max = confSetting(r.props, "max_connections");
    if (max === undefined) return undefined;
    return {
        name: r.name,
        maxConnections: Number(max),
        reserved: Number(confSetting(r.props, "superuser_reserved_connections") ?? 3),
    };
}

/**
 * A PgBouncer database on read replicas against their budgets: PgBouncer spreads new connections evenly over the hosts,
 * so each may take the smallest budget among them.
 */
function replicaBudgets(
    pooler: Pooler,
    resources: PolicyResource[],
    headroom: number,
    report: (message: string, urn?: string) => void,
): void {
    for (const d of pooler.onReplicas ?? []) {
        if (!(d.cap > 0)) {
            report(
                `${pooler.resource.name}: ${d.name}: max_db_connections must be set (0 is unlimited).`,
                pooler.resource.urn,
            );
            continue;
        }
        const limits = d.instances.map((i) => instanceLimits(i, resources));
        const budgets = limits.map((l) => (l ? l.maxConnections - l.reserved - headroom : 0));
        const budget = Math.min(...budgets) * d.instances.length;
        const total = pooler.replicas * d.cap;
        if (total > budget)
            report(
                `${pooler.resource.name}: ${d.name} may open ${total} server connections on ${limits.map((l, i) => l?.name ?? d.instances[i].name).join(", ")} (${pooler.replicas} x ${d.cap}); their budget is ${budget} (${d.instances.length} x ${Math.min(...budgets)}).`,
                pooler.resource.urn,
            );
    }
}

export const poolWithinBudget: StackValidationPolicy = {
    name: "pool-within-budget",
    description:
        "The poolers' server connections (PgBouncer summed over every replica, or RDS Proxy's share) fit in the database's connection budget, and PgBouncer's databases on read replicas in theirs.",
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
        for (const p of found) replicaBudgets(p, args.resources, adminHeadroom, report);
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
