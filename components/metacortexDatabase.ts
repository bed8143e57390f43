import * as pulumi from "@pulumi/pulumi";
import type { AuroraMonitoring } from "./aws/auroraMonitoring";
import type { AwsAurora } from "./aws/awsAurora";
import type { AwsBackup } from "./aws/awsBackup";
import type { AwsPostgres } from "./aws/awsPostgres";
import type { DatabaseMonitoring } from "./aws/databaseMonitoring";
import type { RdsProxy } from "./aws/rdsProxy";
import type { DockerPostgres } from "./docker/dockerPostgres";
import type { StandbyContainer } from "./docker/standbyContainer";
import type { Pgbouncer } from "./kubernetes/pgbouncer";
import { manageAccess } from "./metacortex/access";
import type { MetacortexDatabaseArgs, SecretReference } from "./metacortex/args";
import { auroraBackup, auroraMonitoring, auroraPrimary, auroraReadTargets } from "./metacortex/aurora";
import { awsBackup, awsMonitoring } from "./metacortex/operations";
import { dockerReads } from "./metacortex/devReplicas";
import { kubernetesPgbouncer, rdsProxy } from "./metacortex/pooling";
import { awsPrimary, dockerPrimary } from "./metacortex/primary";
import { readRoutes } from "./metacortex/reads";
import { awsReplicas, type Replicas } from "./metacortex/replicas";
import type { DatabaseAccess } from "./postgresql/databaseAccess";

export type {
    AdminArgs,
    AuroraArgs,
    MetacortexDatabaseArgs,
    NetworkArgs,
    PoolingArgs,
    ProgramFiles,
    ReplicasArgs,
    SecretReference,
} from "./metacortex/args";

/**
 * The MetaCortex database: RDS in prod, a container in dev, from one set of args. Both targets expose the same
 * outputs, so everything downstream (roles, pooling, monitoring) takes a MetacortexDatabase and does not care which
 * it is. Each part is built by a function of components/metacortex/ that returns it.
 */
export class MetacortexDatabase extends pulumi.ComponentResource {
    readonly host: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    readonly databaseName: string;
    /** Which CA clients must trust: the RDS CA identifier, or the dev CA's certificate subject. */
    readonly caIdentifier: string;
    /** The CA bundle itself: a URL for RDS, the PEM for the dev CA. */
    readonly caBundle: pulumi.Output<string>;
    readonly adminSecret: SecretReference;
    /** The dev admin password (secret); undefined in prod, where only Secrets Manager holds it. */
    readonly adminPassword?: pulumi.Output<string>;
    readonly kmsKeyArn?: pulumi.Output<string>;
    readonly parameterGroupName?: pulumi.Output<string>;
    readonly aws?: AwsPostgres;
    /** prod with `engine: aurora`: the Aurora cluster, in place of `aws`. */
    readonly aurora?: AwsAurora;
    readonly docker?: DockerPostgres;
    /** Roles, grants and extensions, when admin.manageRoles. */
    readonly access?: DatabaseAccess;
    /** prod: Secrets Manager ARN of each login role's credentials. */
    readonly roleSecretArns?: Record<string, pulumi.Output<string>>;
    /** prod with a DR replica: the ARN of each role secret's replica in the DR region. */
    readonly drRoleSecretArns?: Record<string, pulumi.Output<string>>;
    /** prod: AWS Backup (vault, plan, DR copy, restore testing). */
    readonly backup?: AwsBackup;
    /** prod: alarms, dashboard, log metrics (the instance's, or the Aurora cluster's). */
    readonly monitoring?: DatabaseMonitoring | AuroraMonitoring;
    /** prod: PgBouncer in the app's cluster. */
    readonly pgbouncer?: Pgbouncer;
    /** prod with `pooler: rds-proxy`. */
    readonly rdsProxy?: RdsProxy;
    /** prod: the read replicas beside the primary and the DR replica. */
    readonly replicas?: Replicas;
    /** dev: the streaming standby containers (none when `replicas.count` is 0). */
    readonly standbys?: StandbyContainer[];
    /**
     * The hosts reads land on, as a libpq/PgBouncer host list (the primary's when there is no replica). prod: the
     * replicas' endpoints; dev: the containers' names on the dev network.
     */
    readonly readerEndpoint?: pulumi.Output<string>;
    /** The backend's URL for reads, without a password (PgBouncer's read database when PgBouncer runs). */
    readonly readOnlyUrl?: pulumi.Output<string>;

    constructor(name: string, args: MetacortexDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:index:MetacortexDatabase", name, {}, opts);
        const primary =
            args.target !== "aws"
                ? dockerPrimary(name, args, this)
                : args.aurora
                  ? auroraPrimary(name, args, this)
                  : awsPrimary(name, args, this);
        this.databaseName = args.databaseName;
        this.host = primary.host;
        this.port = primary.port;
        this.caIdentifier = primary.caIdentifier;
        this.caBundle = primary.caBundle;
        this.adminSecret = primary.adminSecret;
        this.adminPassword = primary.adminPassword;
        this.aws = primary.aws;
        this.docker = primary.docker;
        this.aurora = primary.aurora;
        this.kmsKeyArn = (primary.aws ?? primary.aurora)?.kmsKey.arn;
        this.parameterGroupName = (primary.aws ?? primary.aurora)?.parameterGroup.name;

        const { aws, aurora } = primary;
        this.replicas = aws && awsReplicas(name, args, aws, this);
        // The role secrets follow the DR replica to its region, under its region's key.
        const dr = this.replicas?.dr;
        const drSecrets = dr && { region: dr.region, kmsKeyArn: dr.kmsKey.arn };
        const managed = args.admin.manageRoles ? manageAccess(name, args, primary, this, drSecrets) : undefined;
        this.access = managed?.access;
        this.roleSecretArns = managed?.roleSecretArns;
        this.drRoleSecretArns = managed?.drRoleSecretArns;
        this.backup = aws
            ? awsBackup(name, args, aws, this.roleSecretArns, this)
            : aurora && auroraBackup(name, args, aurora, this.roleSecretArns, this);
        this.monitoring =
            aws && args.alarmEmail && this.replicas
                ? awsMonitoring(name, args, args.alarmEmail, aws, this.roleSecretArns, this.replicas, this)
                : aurora && args.alarmEmail
                  ? auroraMonitoring(name, args, args.alarmEmail, aurora, this.roleSecretArns, this)
                  : undefined;
        // Reads go to the RDS replicas, or to an Aurora cluster's reader endpoint: read targets either way.
        const targets = this.replicas?.targets ?? (primary.aurora && auroraReadTargets(args, primary.readerHost));
        const reads = targets && readRoutes(args, primary, targets);
        // PgBouncer logs in with the managed roles' SCRAM verifiers: without managed roles there is nothing to pool.
        const pooled = args.pooling.pooler === "pgbouncer" ? this.access : undefined;
        this.pgbouncer =
            pooled && !primary.docker && reads
                ? kubernetesPgbouncer(name, args, primary, pooled, reads.route, this)
                : undefined;
        const dev = primary.docker && dockerReads(name, args, primary.docker, this.access, pooled, this);
        this.standbys = dev?.standbys;
        this.readerEndpoint = reads?.endpoint ?? dev?.endpoint;
        this.readOnlyUrl = reads?.url(this.pgbouncer) ?? dev?.readOnlyUrl;
        const fronted = aws ?? aurora;
        this.rdsProxy =
            args.pooling.pooler === "rds-proxy" && fronted && this.roleSecretArns
                ? rdsProxy(name, args, fronted, this.roleSecretArns, this)
                : undefined;
        this.registerOutputs({ host: this.host, port: this.port });
    }
}
