/**
 * MetacortexDatabase's contract. Its fields are the decisions of a stack, grouped as the stack's config groups them;
 * where a field is passed on unchanged to a component, it is picked from that component's Args, so it is documented
 * (default, unit, range) in one place. index.ts fills it from config.ts and from the files it reads.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../postgres/environment";
import type { AwsAuroraArgs } from "../aws/awsAurora";
import type { AwsBackupArgs } from "../aws/awsBackup";
import type { AwsPostgresArgs } from "../aws/awsPostgres";
import type { LambdaCode } from "../aws/support/lambdaArchive";
import type { DockerPostgresArgs } from "../docker/dockerPostgres";
import type { PgbouncerContainerArgs } from "../docker/pgbouncerContainer";
import type { PgbouncerArgs } from "../kubernetes/pgbouncer";

export interface MetacortexDatabaseArgs
    extends Pick<
        AwsPostgresArgs,
        | "identifier"
        | "databaseName"
        | "instanceClass"
        | "engineVersion"
        | "allocatedStorageGiB"
        | "maxAllocatedStorageGiB"
        | "multiAz"
        | "deletionProtection"
        | "backupRetentionDays"
        | "backupWindow"
        | "maintenanceWindow"
        | "restore"
        | "tags"
    > {
    /** `dev` or `prod`: sizes the settings, names the restore tests, labels PgBouncer. */
    readonly environment: Environment;
    /** Where the database runs: `aws` (RDS and everything around it) or `docker` (containers on this machine). */
    readonly target: "aws" | "docker";
    /** aws: where the database sits and who may reach it. Unused by docker. */
    readonly network: NetworkArgs;
    /** docker: the container's image and host port. Unused by aws. */
    readonly docker: Pick<DockerPostgresArgs, "image" | "hostPort">;
    /** How `pulumi up` connects as the admin to manage roles, grants and extensions. */
    readonly admin: AdminArgs;
    /** aws: AWS Backup's DR region, Vault Lock and retention. Unused by docker. */
    readonly backup: Pick<
        AwsBackupArgs,
        "drRegion" | "vaultLock" | "snapshotRetentionDays" | "continuousRetentionDays"
    >;
    /** Connection pooling in front of the database. */
    readonly pooling: PoolingArgs;
    /**
     * aws: read replicas beside the primary and the cross-region DR replica. docker: `count` streaming standby
     * containers of `instanceClass` (no DR replica, no lag alarm).
     */
    readonly replicas: ReplicasArgs;
    /**
     * aws: an Aurora PostgreSQL cluster of `instanceClass` (the class everything is sized as) in place of the RDS
     * instance; the RDS-only fields (storage, Multi-AZ) are then unused. Omit for the RDS instance. Unused by docker.
     */
    readonly aurora?: AuroraArgs;
    /** aws: where alarms go. Omit for no alarms, dashboard or health check (config requires it in prod). */
    readonly alarmEmail?: string;
    /** What index.ts read from (and writes to) the file system for the components, which never touch it. */
    readonly files: ProgramFiles;
}

/** aws: the database's place in the network. */
export interface NetworkArgs extends Pick<AwsPostgresArgs, "subnetIds" | "allowedCidrs" | "allowedSecurityGroupIds"> {
    /** VPC that holds the database (`vpc-<hex>`). Required for target aws; unused by docker. */
    readonly vpcId?: string;
}

/** How `pulumi up` reaches the database as the admin (ADMIN_ROLE), always with sslmode=verify-full. */
export interface AdminArgs {
    /** Manage roles, grants and extensions (DatabaseAccess) in this run; false deploys the infrastructure only. */
    readonly manageRoles: boolean;
    /** Host to connect to; must match the server certificate. Default: the database's endpoint. Set it for a tunnel. */
    readonly host?: string;
    /** Port (TCP) to connect to; with a tunnel, its local end. Default: the database's port. */
    readonly port?: number;
    /**
     * Path of the CA bundle file the admin connection verifies the server against (the postgresql provider reads a
     * file). aws: the RDS global bundle, which PgBouncer also trusts (`files.caBundlePem`). docker: where the
     * generated CA is written (`files.writeCaFile`).
     */
    readonly caPath: string;
}

/** Connection pooling: PgBouncer (Kubernetes for aws, a container for docker), RDS Proxy (aws) or none. */
export interface PoolingArgs
    extends Pick<PgbouncerArgs, "namespace" | "appNamespace" | "image">,
        Pick<PgbouncerContainerArgs, "hostPort"> {
    /** `pgbouncer`, `rds-proxy` (aws only, needs managed roles) or `none`. PgBouncer also needs managed roles. */
    readonly pooler: "pgbouncer" | "rds-proxy" | "none";
    /**
     * PgBouncer replicas sharing the connection budget, at least 1. Kubernetes runs that many; docker runs one
     * container but sizes its pools as one of `replicas`, so keep 1 there.
     */
    readonly replicas: number;
}

/** Read replicas: how many, their class and lag alarm, and the DR replica. */
export interface ReplicasArgs {
    /** Read replicas in the primary's region (docker: standby containers), 0 to 5, behind PgBouncer's read database. */
    readonly count: number;
    /** Their instance class; a smaller class than the primary's keeps the primary's hot-standby floors. */
    readonly instanceClass: string;
    /** Seconds of ReplicaLag, for 5 minutes, that page; at least max_standby_streaming_delay (30 s). */
    readonly lagAlarmSeconds: number;
    /** A cross-region replica for the loss of the region, of the primary's class; omit for none. */
    readonly dr?: {
        /** Its region; never the primary's. */
        readonly region: string;
        /** Its VPC there (`vpc-<hex>`). */
        readonly vpcId: string;
        /** Private subnets there, at least two, in different AZs. */
        readonly subnetIds: readonly string[];
    };
}

/**
 * An Aurora cluster's shape: its readers, Serverless v2 range and storage type. How far a reader may fall behind
 * before it pages is `replicas.lagAlarmSeconds`, as for an RDS replica.
 */
export type AuroraArgs = Pick<AwsAuroraArgs, "readers" | "serverless" | "storageType">;

/** The file system's part, done by index.ts (programFiles.ts): contents in, and the one write dev needs. */
export interface ProgramFiles {
    /**
     * Content of the file at `admin.caPath` when the program started; undefined when there is none. aws: the RDS CA
     * bundle PgBouncer verifies RDS against (required when PgBouncer runs). docker: unused.
     */
    readonly caBundlePem?: string;
    /**
     * docker: writes the generated CA's PEM (known once the tls provider has made it) to `admin.caPath` and resolves
     * to that path once written, for the postgresql provider's sslrootcert. aws: unused.
     */
    readonly writeCaFile: (pem: pulumi.Output<string>) => pulumi.Output<string>;
    /** aws: the Lambda functions' code (HealthCheck's and RestoreTesting's). Unused by docker. */
    readonly lambdas: {
        /** HEALTH_CHECK_SOURCES and their packages. */
        readonly healthCheck: LambdaCode;
        /** RESTORE_VALIDATION_SOURCES and their packages. */
        readonly restoreValidation: LambdaCode;
    };
}

/** Where the admin credentials live: an ARN for RDS's managed secret, or the secret stack output in dev. */
export interface SecretReference {
    /** `aws-secretsmanager` (prod: RDS's managed master secret) or `pulumi-secret-output` (dev). */
    readonly kind: "aws-secretsmanager" | "pulumi-secret-output";
    /** The secret's ARN, or the name of the stack output that holds the password. */
    readonly ref: pulumi.Output<string>;
}
