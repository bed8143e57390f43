/**
 * Stack configuration: read once, validated once, returned as one typed object.
 *
 * `parseStackConfig` is pure (raw strings in, typed config or one ConfigError out) so that every rule is
 * unit-tested without an engine; `loadConfig` is the only place that touches `pulumi.Config`. Every problem is
 * reported at once, each naming the key, the value given and what is allowed, and all of it happens before the
 * program registers a single resource.
 *
 * The table of keys, defaults and ranges lives in docs/config.md; keep the two in step.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkCidr } from "./postgres/network/cidr";
import { MIN_WINDOW_MINUTES, parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "./postgres/network/windows";
import { INSTANCE_CLASSES } from "./postgres/instanceClasses";
import type { Environment } from "./postgres/environment";

export const PROJECT = "metacortex-db";

export type { Environment };
export type Target = "docker" | "aws";

export interface NetworkConfig {
    /** VPC that holds the database (aws only). */
    readonly vpcId?: string;
    /** Private subnets, at least two in different AZs (aws only). */
    readonly subnetIds: readonly string[];
    /** Client CIDRs allowed to the database port. Never wider than /8 (IPv4) or /32 (IPv6). */
    readonly allowedCidrs: readonly string[];
    /** Application security groups allowed to the database port (aws only). */
    readonly allowedSecurityGroupIds: readonly string[];
}

export interface DockerConfig {
    /** Pinned `postgres:15.N[-variant][@sha256:…]` image; `latest` and bare `15` are refused. */
    readonly image: string;
    /** Host port published on 127.0.0.1 only. */
    readonly hostPort: number;
}

/** How `pulumi up` reaches the database to manage roles, grants and extensions (@pulumi/postgresql). */
export interface AdminConnectionConfig {
    /** Manage roles and grants in this run. Default true; false deploys the infrastructure only. */
    readonly manageRoles: boolean;
    /** Host name to connect to; must match the server certificate (verify-full). Default: the database endpoint. */
    readonly host?: string;
    /** Port; with an SSM tunnel, the local end. Default: the database port. */
    readonly port?: number;
    /** CA bundle file clients verify the server against. prod: the RDS bundle; dev: written from the generated CA. */
    readonly caPath: string;
}

/** AWS Backup: vault, plan, cross-region copy and restore testing (aws target only). */
export interface BackupConfig {
    /** Region for copies of the daily snapshots (region loss). Must differ from the stack's region. */
    readonly drRegion: string;
    /** Vault Lock: none, governance (removable by privileged IAM) or compliance (immutable after 3 days). */
    readonly vaultLock: "none" | "governance" | "compliance";
    /** Days daily snapshots (and their DR copies) are kept. */
    readonly snapshotRetentionDays: number;
    /** Days of continuous backup (PITR through AWS Backup), at most 35. */
    readonly continuousRetentionDays: number;
}

/** Connection pooling in front of the database (aws target: PgBouncer in the app's Kubernetes cluster). */
export interface PoolingConfig {
    readonly pooler: "pgbouncer" | "rds-proxy" | "none";
    readonly replicas: number;
    /** Pinned PgBouncer image; its version decides the rendered settings. */
    readonly image: string;
    readonly namespace: string;
    /** The app's namespace, the only one admitted by the NetworkPolicy. */
    readonly appNamespace: string;
    /** dev: host port of the PgBouncer container, on 127.0.0.1. */
    readonly hostPort: number;
}

/** Declarative point-in-time recovery: the instance is created by restoring another one to a time. */
export interface RestoreConfig {
    /** Identifier of the source DB instance (for example metacortex-prod). */
    readonly sourceInstance: string;
    /** ISO 8601 UTC time inside the source's retention, or "latest". */
    readonly pointInTime: string;
}

export interface StackConfig {
    readonly environment: Environment;
    readonly target: Target;
    /** Name used in resource names and the RDS identifier: `metacortex-<environment>`. */
    readonly name: string;
    readonly databaseName: string;
    readonly instanceClass: string;
    /** `15` (let RDS apply minor upgrades) or `15.N`. */
    readonly engineVersion: string;
    readonly allocatedStorageGiB: number;
    readonly maxAllocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
    readonly backupWindow: string;
    readonly maintenanceWindow: string;
    readonly network: NetworkConfig;
    readonly alarmEmail?: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly docker: DockerConfig;
    readonly admin: AdminConnectionConfig;
    readonly backup: BackupConfig;
    readonly restore?: RestoreConfig;
    readonly pooling: PoolingConfig;
}

/** One rejected value. */
export interface ConfigIssue {
    readonly key: string;
    readonly value: unknown;
    readonly allowed: string;
}

/** All the problems with a stack's configuration, each naming the key, the value and what is allowed. */
export class ConfigError extends Error {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(
            `invalid stack configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
                issues.map((i) => `  - ${PROJECT}:${i.key} = ${JSON.stringify(i.value)}: ${i.allowed}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Raw values as the Pulumi CLI hands them over: strings, with lists and maps as JSON text. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** The keys this program reads; any other key under the project namespace is a typo and is refused. */
export const CONFIG_KEYS = [
    "environment",
    "target",
    "databaseName",
    "instanceClass",
    "engineVersion",
    "allocatedStorageGiB",
    "maxAllocatedStorageGiB",
    "multiAz",
    "deletionProtection",
    "backupRetentionDays",
    "backupWindow",
    "maintenanceWindow",
    "vpcId",
    "subnetIds",
    "allowedCidrs",
    "allowedSecurityGroupIds",
    "alarmEmail",
    "tags",
    "dockerImage",
    "dockerHostPort",
    "manageRoles",
    "adminHost",
    "adminPort",
    "adminCaPath",
    "backupDrRegion",
    "backupVaultLock",
    "backupSnapshotRetentionDays",
    "backupContinuousRetentionDays",
    "restore",
    "pooler",
    "pgbouncerReplicas",
    "pgbouncerImage",
    "kubernetesNamespace",
    "appNamespace",
    "pgbouncerHostPort",
] as const;

/** Per-environment defaults; prod's are also its floors where a rule below says so. */
const DEFAULTS = {
    dev: {
        instanceClass: "db.t4g.medium",
        allocatedStorageGiB: 20,
        backupRetentionDays: 7,
        multiAz: false,
        deletionProtection: false,
    },
    prod: {
        instanceClass: "db.r6g.large",
        allocatedStorageGiB: 100,
        backupRetentionDays: 14,
        multiAz: true,
        deletionProtection: true,
    },
} as const;

const MAX_STORAGE_GIB = 65536;
const MIN_STORAGE_GIB = 20; // gp3 minimum on RDS
const RETENTION_RANGE: Record<Environment, [number, number]> = { dev: [1, 35], prod: [7, 35] };

/** Pure: validates raw config for a stack and returns the typed config, or throws one ConfigError. */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
    const issues: ConfigIssue[] = [];
    const reject = (key: string, value: unknown, allowed: string) => issues.push({ key, value, allowed });

    for (const key of Object.keys(raw)) {
        if (key === "aws:region") continue; // the provider's own key, read for cross-region checks
        if (!(CONFIG_KEYS as readonly string[]).includes(key))
            reject(key, raw[key], `unknown key; known keys: ${CONFIG_KEYS.join(", ")}`);
    }

    const choice = <T extends string>(key: string, allowed: readonly T[], fallback: T | undefined): T | undefined => {
        const value = raw[key] ?? fallback;
        if (value === undefined) return undefined;
        if (!(allowed as readonly string[]).includes(value)) {
            reject(key, value, `one of ${allowed.join(", ")}`);
            return undefined;
        }
        return value as T;
    };
    const integer = (key: string, fallback: number, min: number, max: number, unit: string): number => {
        const text = raw[key];
        if (text === undefined) return fallback;
        const value = Number(text);
        if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
            reject(key, text, `a whole number from ${min} to ${max} ${unit}`);
            return fallback;
        }
        return value;
    };
    const bool = (key: string, fallback: boolean): boolean => {
        const text = raw[key];
        if (text === undefined) return fallback;
        if (text !== "true" && text !== "false") {
            reject(key, text, "true or false");
            return fallback;
        }
        return text === "true";
    };
    const json = <T>(key: string, fallback: T, check: (v: unknown) => v is T, shape: string): T => {
        const text = raw[key];
        if (text === undefined) return fallback;
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            value = text;
        }
        if (!check(value)) {
            reject(key, text, shape);
            return fallback;
        }
        return value;
    };
    const stringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
    const stringMap = (v: unknown): v is Record<string, string> =>
        typeof v === "object" &&
        v !== null &&
        !Array.isArray(v) &&
        Object.values(v).every((s) => typeof s === "string");

    const stackDefault = (["dev", "prod"] as const).find((e) => e === stack);
    const environment = choice<Environment>("environment", ["dev", "prod"], stackDefault);
    if (environment === undefined) {
        if (raw.environment === undefined)
            reject("environment", undefined, `required for stack "${stack}": dev or prod`);
        throw new ConfigError(issues);
    }
    const prod = environment === "prod";
    const defaults = DEFAULTS[environment];
    const target = choice<Target>("target", ["docker", "aws"], prod ? "aws" : "docker") ?? "aws";

    const databaseName = raw.databaseName ?? "metacortex";
    if (
        !/^[a-z][a-z0-9_]{0,62}$/.test(databaseName) ||
        ["postgres", "template0", "template1", "rdsadmin"].includes(databaseName)
    ) {
        reject(
            "databaseName",
            databaseName,
            "lower-case letters, digits and _ (starting with a letter, at most 63), not a reserved database",
        );
    }

    const instanceClass = raw.instanceClass ?? defaults.instanceClass;
    if (!INSTANCE_CLASSES.has(instanceClass))
        reject("instanceClass", instanceClass, `one of ${[...INSTANCE_CLASSES.keys()].join(", ")}`);

    const engineVersion = raw.engineVersion ?? "15";
    if (!/^15(\.\d{1,2})?$/.test(engineVersion))
        reject("engineVersion", engineVersion, "PostgreSQL 15 only: 15 or 15.N (e.g. 15.18)");

    const allocatedStorageGiB = integer(
        "allocatedStorageGiB",
        defaults.allocatedStorageGiB,
        MIN_STORAGE_GIB,
        MAX_STORAGE_GIB,
        "GiB",
    );
    const maxAllocatedStorageGiB = integer(
        "maxAllocatedStorageGiB",
        Math.min(allocatedStorageGiB * 5, MAX_STORAGE_GIB),
        MIN_STORAGE_GIB,
        MAX_STORAGE_GIB,
        "GiB",
    );
    if (raw.maxAllocatedStorageGiB !== undefined && maxAllocatedStorageGiB <= allocatedStorageGiB) {
        reject(
            "maxAllocatedStorageGiB",
            raw.maxAllocatedStorageGiB,
            `more than allocatedStorageGiB (${allocatedStorageGiB}), so storage can autoscale`,
        );
    }

    const multiAz = bool("multiAz", defaults.multiAz);
    if (prod && !multiAz) reject("multiAz", raw.multiAz, "true in prod");
    const deletionProtection = bool("deletionProtection", defaults.deletionProtection);
    if (prod && !deletionProtection) reject("deletionProtection", raw.deletionProtection, "true in prod");

    const [minRetention, maxRetention] = RETENTION_RANGE[environment];
    const backupRetentionDays = integer(
        "backupRetentionDays",
        defaults.backupRetentionDays,
        minRetention,
        maxRetention,
        `days in ${environment}`,
    );

    const backupWindow = raw.backupWindow ?? "03:00-03:30";
    const maintenanceWindow = raw.maintenanceWindow ?? "sun:04:00-sun:05:00";
    const daily = parseDailyWindow(backupWindow);
    const weekly = parseWeeklyWindow(maintenanceWindow);
    if (!daily || daily.length < MIN_WINDOW_MINUTES)
        reject("backupWindow", backupWindow, `hh24:mi-hh24:mi in UTC, at least ${MIN_WINDOW_MINUTES} minutes`);
    if (!weekly || weekly.length < MIN_WINDOW_MINUTES)
        reject(
            "maintenanceWindow",
            maintenanceWindow,
            `ddd:hh24:mi-ddd:hh24:mi in UTC, at least ${MIN_WINDOW_MINUTES} minutes`,
        );
    if (daily && weekly && windowsOverlap(backupWindow, maintenanceWindow)) {
        reject("maintenanceWindow", maintenanceWindow, `must not overlap backupWindow ${backupWindow} on any day`);
    }

    const vpcId = raw.vpcId;
    if (vpcId !== undefined && !/^vpc-[0-9a-f]{8,17}$/.test(vpcId))
        reject("vpcId", vpcId, "a VPC id, vpc-<8 to 17 hex digits>");
    const subnetIds = json("subnetIds", [] as string[], stringList, "a list of subnet ids");
    for (const id of subnetIds)
        if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) reject("subnetIds", id, "subnet-<8 to 17 hex digits>");
    const allowedCidrs = json("allowedCidrs", [] as string[], stringList, "a list of CIDRs");
    for (const cidr of allowedCidrs) {
        const check = checkCidr(cidr);
        if (!check.ok) reject("allowedCidrs", cidr, `a private client range: ${check.reason}`);
    }
    const allowedSecurityGroupIds = json(
        "allowedSecurityGroupIds",
        [] as string[],
        stringList,
        "a list of security group ids",
    );
    for (const id of allowedSecurityGroupIds)
        if (!/^sg-[0-9a-f]{8,17}$/.test(id)) reject("allowedSecurityGroupIds", id, "sg-<8 to 17 hex digits>");
    if (target === "aws") {
        if (vpcId === undefined) reject("vpcId", undefined, "required for target aws");
        if (subnetIds.length < 2)
            reject("subnetIds", subnetIds, "at least two private subnets in different AZs for target aws");
        if (allowedCidrs.length + allowedSecurityGroupIds.length === 0) {
            reject(
                "allowedSecurityGroupIds",
                [],
                "at least one app security group or allowedCidrs entry for target aws, or nothing can connect",
            );
        }
    }

    const alarmEmail = raw.alarmEmail;
    if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail))
        reject("alarmEmail", alarmEmail, "an email address");
    if (prod && alarmEmail === undefined)
        reject("alarmEmail", undefined, "required in prod: alarms must reach a person");

    const tags = json("tags", {} as Record<string, string>, stringMap, "a map of string to string");
    for (const [k, v] of Object.entries(tags)) {
        if (k.length === 0 || k.length > 128 || k.toLowerCase().startsWith("aws:"))
            reject("tags", k, "tag keys of 1 to 128 characters, not starting with aws:");
        if (v.length > 256) reject("tags", v, "tag values of at most 256 characters");
    }

    const image = raw.dockerImage ?? "postgres:15.18-bookworm";
    if (!/^postgres:15\.\d{1,2}(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$/.test(image)) {
        reject(
            "dockerImage",
            image,
            "a pinned PostgreSQL 15 image: postgres:15.N[-variant][@sha256:digest], never latest or a bare major",
        );
    }
    const hostPort = integer("dockerHostPort", 5432, 1024, 65535, "(TCP port, bound to 127.0.0.1)");

    const manageRoles = bool("manageRoles", true);
    const adminHost = raw.adminHost;
    if (adminHost !== undefined && !/^[a-zA-Z0-9.-]{1,253}$/.test(adminHost))
        reject("adminHost", adminHost, "a host name (it must match the server certificate)");
    const adminPort = raw.adminPort === undefined ? undefined : integer("adminPort", 5432, 1, 65535, "(TCP port)");
    const adminCaPath = raw.adminCaPath ?? (target === "aws" ? ".local/rds-global-bundle.pem" : ".local/dev-ca.pem");

    const stackRegion = raw["aws:region"];
    const drRegion = raw.backupDrRegion ?? "eu-central-1";
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(drRegion))
        reject("backupDrRegion", drRegion, "an AWS region name, e.g. eu-central-1");
    else if (drRegion === stackRegion)
        reject(
            "backupDrRegion",
            drRegion,
            `a region other than the stack's (${stackRegion}): copies must survive the loss of a region`,
        );
    const vaultLock =
        choice<"none" | "governance" | "compliance">(
            "backupVaultLock",
            ["none", "governance", "compliance"],
            prod ? "governance" : "none",
        ) ?? "none";
    if (prod && vaultLock === "none") reject("backupVaultLock", vaultLock, "governance or compliance in prod");
    const snapshotRetentionDays = integer(
        "backupSnapshotRetentionDays",
        prod ? 35 : 7,
        prod ? 14 : 1,
        3650,
        `days in ${environment}`,
    );
    const continuousRetentionDays = integer(
        "backupContinuousRetentionDays",
        prod ? 35 : 7,
        1,
        35,
        "days (the AWS Backup maximum for continuous backup is 35)",
    );
    const restore = json(
        "restore",
        undefined as RestoreConfig | undefined,
        (v): v is RestoreConfig =>
            typeof v === "object" &&
            v !== null &&
            typeof (v as RestoreConfig).sourceInstance === "string" &&
            typeof (v as RestoreConfig).pointInTime === "string",
        'an object {"sourceInstance": "<db identifier>", "pointInTime": "<ISO 8601 UTC time> | latest"}',
    );
    if (restore) {
        if (!/^[a-z][a-z0-9-]{0,62}$/.test(restore.sourceInstance))
            reject("restore", restore.sourceInstance, "sourceInstance: an RDS instance identifier");
        if (
            restore.pointInTime !== "latest" &&
            (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/.test(restore.pointInTime) ||
                Number.isNaN(Date.parse(restore.pointInTime)))
        ) {
            reject(
                "restore",
                restore.pointInTime,
                "pointInTime: an ISO 8601 UTC time like 2026-11-24T09:30:00Z, or latest",
            );
        }
        if (target !== "aws")
            reject("restore", raw.restore, "only for target aws (locally, use pgBackRest: docs/runbooks)");
    }

    const pooler =
        choice<"pgbouncer" | "rds-proxy" | "none">("pooler", ["pgbouncer", "rds-proxy", "none"], "pgbouncer") ?? "none";
    if (pooler === "rds-proxy" && target !== "aws")
        reject("pooler", pooler, "rds-proxy only for target aws (dev runs PgBouncer: pgbouncer or none)");
    if (pooler === "rds-proxy" && raw.manageRoles === "false")
        reject("pooler", pooler, "rds-proxy logs in with the role secrets, which need manageRoles: true");
    const pgbouncerReplicas = integer(
        "pgbouncerReplicas",
        prod ? 2 : 1,
        prod ? 2 : 1,
        16,
        `replicas in ${environment} (prod keeps at least 2 for availability)`,
    );
    const pgbouncerImage = raw.pgbouncerImage ?? "ghcr.io/cloudnative-pg/pgbouncer:1.23.1";
    if (!/:(\d+)\.(\d+)\.\d+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$/.test(pgbouncerImage))
        reject(
            "pgbouncerImage",
            pgbouncerImage,
            "a pinned image whose tag is the PgBouncer version, e.g. ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
        );
    const k8sName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
    const kubernetesNamespace = raw.kubernetesNamespace ?? "metacortex-db";
    if (!k8sName.test(kubernetesNamespace))
        reject("kubernetesNamespace", kubernetesNamespace, "a Kubernetes namespace name (DNS label)");
    const pgbouncerHostPort = integer("pgbouncerHostPort", 6432, 1024, 65535, "(TCP port, bound to 127.0.0.1)");
    const appNamespace = raw.appNamespace ?? "metacortex";
    if (!k8sName.test(appNamespace)) reject("appNamespace", appNamespace, "a Kubernetes namespace name (DNS label)");

    if (issues.length > 0) throw new ConfigError(issues);
    return {
        environment,
        target,
        name: `metacortex-${environment}`,
        databaseName,
        instanceClass,
        engineVersion,
        allocatedStorageGiB,
        maxAllocatedStorageGiB,
        multiAz,
        deletionProtection,
        backupRetentionDays,
        backupWindow,
        maintenanceWindow,
        network: { vpcId, subnetIds, allowedCidrs, allowedSecurityGroupIds },
        alarmEmail,
        tags: { project: "metacortex", environment, "managed-by": "pulumi", ...tags },
        docker: { image, hostPort },
        admin: { manageRoles, host: adminHost, port: adminPort, caPath: adminCaPath },
        backup: { drRegion, vaultLock, snapshotRetentionDays, continuousRetentionDays },
        restore,
        pooling: {
            pooler,
            replicas: pgbouncerReplicas,
            image: pgbouncerImage,
            namespace: kubernetesNamespace,
            appNamespace,
            hostPort: pgbouncerHostPort,
        },
    };
}

/** Reads every key of this project's namespace from the running stack and parses it. */
export function loadConfig(): StackConfig {
    const prefix = `${PROJECT}:`;
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
    }
    const region = pulumi.runtime.allConfig()["aws:region"];
    if (region !== undefined) raw["aws:region"] = region;
    return parseStackConfig(raw, pulumi.getStack());
}
