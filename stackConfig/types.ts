/**
 * The typed stack configuration the program receives, and the error it gets instead when the raw config is wrong.
 * Each field names the key it comes from; that key's default and allowed values are in the key table (keys.ts) and
 * in docs/config.md, which is rendered from it.
 */

/** The Pulumi project name, and the namespace of its config keys (`metacortex-db:<key>`). */
export const PROJECT = "metacortex-db";

/** Which floors and defaults apply: dev is a developer's stack, prod holds users' data. */
export type { Environment } from "../postgres/environment";
import type { Environment } from "../postgres/environment";
/** Where the database runs: a Docker container on the developer's machine, or RDS. */
export type Target = "docker" | "aws";

/** Where the database is reachable from. */
export interface NetworkConfig {
    /** VPC that holds the database (target aws). Key `vpcId`. */
    readonly vpcId?: string;
    /** Private subnets for the DB subnet group, in different AZs (target aws). Key `subnetIds`. */
    readonly subnetIds: readonly string[];
    /** Client CIDRs admitted to the database port; never close to the whole internet. Key `allowedCidrs`. */
    readonly allowedCidrs: readonly string[];
    /** Application security groups admitted to the database port (target aws). Key `allowedSecurityGroupIds`. */
    readonly allowedSecurityGroupIds: readonly string[];
}

/** The dev container (target docker). */
export interface DockerConfig {
    /** Pinned `postgres:15.N[-variant][@sha256:…]` image, never `latest` or a bare major. Key `dockerImage`. */
    readonly image: string;
    /** Host port the container publishes, on 127.0.0.1 only. Key `dockerHostPort`. */
    readonly hostPort: number;
}

/** How `pulumi up` reaches the database to manage roles, grants and extensions (@pulumi/postgresql). */
export interface AdminConnectionConfig {
    /** Manage roles and grants in this run; false deploys the infrastructure only. Key `manageRoles`. */
    readonly manageRoles: boolean;
    /** Host to connect to, matching the server certificate (verify-full); unset: the endpoint. Key `adminHost`. */
    readonly host?: string;
    /** Port to connect to; with an SSM tunnel, its local end. Unset: the database port. Key `adminPort`. */
    readonly port?: number;
    /** CA bundle file clients verify the server against; dev writes its generated CA there. Key `adminCaPath`. */
    readonly caPath: string;
}

/** AWS Backup: vault, plan, cross-region copy and restore testing (target aws). */
export interface BackupConfig {
    /** Region daily snapshots are copied to, so they survive the loss of a region. Key `backupDrRegion`. */
    readonly drRegion: string;
    /** Vault Lock: none, governance (removable by privileged IAM) or compliance (immutable). Key `backupVaultLock`. */
    readonly vaultLock: "none" | "governance" | "compliance";
    /** Days daily snapshots, and their DR copies, are kept. Key `backupSnapshotRetentionDays`. */
    readonly snapshotRetentionDays: number;
    /** Days of continuous backup (PITR through AWS Backup). Key `backupContinuousRetentionDays`. */
    readonly continuousRetentionDays: number;
}

/** Connection pooling in front of the database. */
export interface PoolingConfig {
    /** PgBouncer (a dev container, or pods in the app's cluster), RDS Proxy (aws only) or none. Key `pooler`. */
    readonly pooler: "pgbouncer" | "rds-proxy" | "none";
    /** PgBouncer pods; the connection budget is divided across them. Key `pgbouncerReplicas`. */
    readonly replicas: number;
    /** Pinned PgBouncer image; the version in its tag decides the rendered settings. Key `pgbouncerImage`. */
    readonly image: string;
    /** Kubernetes namespace PgBouncer runs in (created). Key `kubernetesNamespace`. */
    readonly namespace: string;
    /** The app's namespace, the only one the NetworkPolicy admits. Key `appNamespace`. */
    readonly appNamespace: string;
    /** dev: host port of the PgBouncer container, on 127.0.0.1 only. Key `pgbouncerHostPort`. */
    readonly hostPort: number;
}

/** Read replicas (target aws) or local streaming standbys (target docker, `npm run local`). */
export interface ReplicaConfig {
    /** aws: RDS read replicas in the stack's region; docker: standbys `npm run local` starts. Key `readReplicas`. */
    readonly count: number;
    /** The replicas' RDS class (the local standbys are sized as it too); default the primary's. Key `replicaInstanceClass`. */
    readonly instanceClass: string;
    /** ReplicaLag above this many seconds for 5 minutes pages, per replica. Key `replicaLagAlarmSeconds`. */
    readonly lagAlarmSeconds: number;
    /** A cross-region replica for region loss (target aws); undefined for none. Key `drReplicaRegion`. */
    readonly dr?: DrReplicaConfig;
}

/** The cross-region replica: where it runs and its network there. */
export interface DrReplicaConfig {
    /** Its region, never the stack's. Key `drReplicaRegion`. */
    readonly region: string;
    /** Its VPC, in that region. Key `drVpcId`. */
    readonly vpcId: string;
    /** Its DB subnet group's private subnets (at least two AZs), in that region. Key `drSubnetIds`. */
    readonly subnetIds: readonly string[];
}

/** An Aurora PostgreSQL cluster (engine aurora): its readers, capacity and storage. */
export interface AuroraConfig {
    /** Readers beside the writer, 0 to 15: failover targets behind the reader endpoint. Key `auroraReaders`. */
    readonly readers: number;
    /** Serverless v2's range in ACUs; undefined: provisioned instances of `instanceClass`. Keys `auroraMinAcu`, `auroraMaxAcu`. */
    readonly serverless?: {
        /** The capacity every instance scales down to, in ACUs (about 2 GiB each). */
        readonly minAcu: number;
        /** The capacity every instance scales up to, in ACUs; settings are sized for it. */
        readonly maxAcu: number;
    };
    /** `aurora` (Standard: I/O billed per request) or `aurora-iopt1` (I/O-Optimized). Key `auroraStorageType`. */
    readonly storageType: "aurora" | "aurora-iopt1";
}

/** Declarative point-in-time recovery: the instance is created by restoring another one to a time. */
export interface RestoreConfig {
    /** Identifier of the source DB instance, for example `metacortex-prod`. */
    readonly sourceInstance: string;
    /** ISO 8601 UTC time inside the source's retention, or `latest`. */
    readonly pointInTime: string;
}

/** The whole validated configuration of one stack. */
export interface StackConfig {
    /** dev or prod: decides defaults and floors. Key `environment`; defaults to the stack name. */
    readonly environment: Environment;
    /** docker or aws: where the database runs. Key `target`. */
    readonly target: Target;
    /** Name used in resource names and the RDS identifier: `metacortex-<environment>`. Not configurable. */
    readonly name: string;
    /** The application database. Key `databaseName`. */
    readonly databaseName: string;
    /**
     * The class settings, pool sizes and alarm thresholds are computed from (Docker too). Key `instanceClass`; with
     * Aurora Serverless v2, `db.serverless/<auroraMaxAcu>` (sized at the maximum capacity).
     */
    readonly instanceClass: string;
    /** `rds`: an RDS for PostgreSQL instance; `aurora`: an Aurora PostgreSQL cluster. Key `engine`. */
    readonly engine: "rds" | "aurora";
    /** The Aurora cluster's readers, capacity and storage; undefined with engine rds. */
    readonly aurora?: AuroraConfig;
    /** `15` (RDS applies minor upgrades) or a pinned `15.N`. Key `engineVersion`. */
    readonly engineVersion: string;
    /** Initial gp3 storage, GiB. Key `allocatedStorageGiB`. */
    readonly allocatedStorageGiB: number;
    /** Storage autoscaling ceiling, GiB, above the initial storage. Key `maxAllocatedStorageGiB`. */
    readonly maxAllocatedStorageGiB: number;
    /** Synchronous standby in a second AZ. Key `multiAz`. */
    readonly multiAz: boolean;
    /** Refuse API deletes of the instance. Key `deletionProtection`. */
    readonly deletionProtection: boolean;
    /** Days of RDS automated backups; point-in-time recovery covers this period. Key `backupRetentionDays`. */
    readonly backupRetentionDays: number;
    /** Daily backup window, `hh24:mi-hh24:mi` UTC. Key `backupWindow`. */
    readonly backupWindow: string;
    /** Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, apart from backups. Key `maintenanceWindow`. */
    readonly maintenanceWindow: string;
    /** Where the database is reachable from. */
    readonly network: NetworkConfig;
    /** Where alarms are sent; always set in prod. Key `alarmEmail`. */
    readonly alarmEmail?: string;
    /** Tags on every resource: `project`, `environment`, `managed-by`, then key `tags`. */
    readonly tags: Readonly<Record<string, string>>;
    /** The dev container (target docker). */
    readonly docker: DockerConfig;
    /** How `pulumi up` connects to manage roles and grants. */
    readonly admin: AdminConnectionConfig;
    /** AWS Backup (target aws). */
    readonly backup: BackupConfig;
    /** Set to create the instance by point-in-time restore of another one. Key `restore`. */
    readonly restore?: RestoreConfig;
    /** Connection pooling in front of the database. */
    readonly pooling: PoolingConfig;
    /** Read replicas and the DR replica. */
    readonly replicas: ReplicaConfig;
}

/** One rejected value. */
export interface ConfigIssue {
    /** The config key, without the project prefix. */
    readonly key: string;
    /** The value given (or the part of it that is wrong); undefined when a required key is missing. */
    readonly value: unknown;
    /** What is allowed, in words. */
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
