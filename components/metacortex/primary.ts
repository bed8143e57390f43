/**
 * The database itself, on either target, as the parts MetacortexDatabase exposes: both targets give the same
 * fields, so everything downstream (roles, pooling, monitoring) does not care which it is.
 */
import * as pulumi from "@pulumi/pulumi";
import { postgresSettings, renderRdsParameters } from "../../postgres/settings";
import type { AwsAurora } from "../aws/awsAurora";
import { AwsPostgres } from "../aws/awsPostgres";
import { DockerPostgres } from "../docker/dockerPostgres";
import { devStandbys } from "../docker/standbyContainer";
import { CA_COMMON_NAME } from "../tls/tlsCertificates";
import type { MetacortexDatabaseArgs, SecretReference } from "./args";

/** What both targets give: the database as the rest of the stack sees it. */
interface PrimaryBase {
    /** Host clients connect to: the RDS endpoint, or 127.0.0.1. */
    readonly host: pulumi.Output<string>;
    /** Port clients connect to: the instance's, or the dev host port. */
    readonly port: pulumi.Output<number>;
    /** Which CA clients must trust: the RDS CA identifier, or the dev CA's common name. */
    readonly caIdentifier: string;
    /** The CA bundle: a URL for RDS, the PEM for the dev CA. */
    readonly caBundle: pulumi.Output<string>;
    /** Where the admin credentials live. */
    readonly adminSecret: SecretReference;
}

/** The database on RDS. */
export interface AwsPrimary extends PrimaryBase {
    /** The RDS instance and what it needs (key, network, parameter group). */
    readonly aws: AwsPostgres;
    /** Absent on RDS. */
    readonly aurora?: undefined;
    /** Absent on aws. */
    readonly docker?: undefined;
    /** Absent on aws: only Secrets Manager holds the master password. */
    readonly adminPassword?: undefined;
}

/** The database in a container. */
export interface DockerPrimary extends PrimaryBase {
    /** The container and its certificates. */
    readonly docker: DockerPostgres;
    /** Absent on docker. */
    readonly aws?: undefined;
    /** Absent on docker. */
    readonly aurora?: undefined;
    /** The superuser's generated password (a secret). */
    readonly adminPassword: pulumi.Output<string>;
}

/** The database as an Aurora cluster: `host` is its cluster (writer) endpoint. */
export interface AuroraPrimary extends PrimaryBase {
    /** The cluster and what it needs (key, network, both parameter groups). */
    readonly aurora: AwsAurora;
    /** The reader endpoint: connections spread over the readers (the writer when there is none). */
    readonly readerHost: pulumi.Output<string>;
    /** Absent on Aurora. */
    readonly aws?: undefined;
    /** Absent on Aurora. */
    readonly docker?: undefined;
    /** Absent on Aurora: only Secrets Manager holds the master password. */
    readonly adminPassword?: undefined;
}

export type Primary = AwsPrimary | DockerPrimary | AuroraPrimary;

/** RDS with its key, network and parameter group, from the settings rendered for the class. */
export function awsPrimary(name: string, args: MetacortexDatabaseArgs, parent: pulumi.Resource): AwsPrimary {
    const vpcId = args.network.vpcId;
    if (vpcId === undefined)
        throw new pulumi.ResourceError(`MetacortexDatabase ${name}: target aws needs network.vpcId, got none`, parent);
    const settings = postgresSettings({
        environment: args.environment,
        instanceClass: args.instanceClass,
        databaseName: args.databaseName,
    });
    const aws = new AwsPostgres(
        `${name}-aws`,
        {
            identifier: args.identifier,
            databaseName: args.databaseName,
            instanceClass: args.instanceClass,
            engineVersion: args.engineVersion,
            allocatedStorageGiB: args.allocatedStorageGiB,
            maxAllocatedStorageGiB: args.maxAllocatedStorageGiB,
            multiAz: args.multiAz,
            deletionProtection: args.deletionProtection,
            backupRetentionDays: args.backupRetentionDays,
            backupWindow: args.backupWindow,
            maintenanceWindow: args.maintenanceWindow,
            vpcId,
            subnetIds: args.network.subnetIds,
            allowedCidrs: args.network.allowedCidrs,
            allowedSecurityGroupIds: args.network.allowedSecurityGroupIds,
            parameters: renderRdsParameters(settings),
            restore: args.restore,
            tags: args.tags,
        },
        { parent },
    );
    return {
        host: aws.rds.address,
        port: aws.rds.port,
        caIdentifier: aws.caIdentifier,
        caBundle: pulumi.output(aws.caBundle),
        adminSecret: { kind: "aws-secretsmanager", ref: aws.rds.masterSecretArn },
        aws,
    };
}

/** The container, sized as the class, with its generated CA. */
export function dockerPrimary(name: string, args: MetacortexDatabaseArgs, parent: pulumi.Resource): DockerPrimary {
    const docker = new DockerPostgres(
        `${name}-docker`,
        {
            environment: args.environment,
            databaseName: args.databaseName,
            instanceClass: args.instanceClass,
            image: args.docker.image,
            hostPort: args.docker.hostPort,
            // Standbys stream as the managed replication role: none without managed roles.
            standbyAliases: args.admin.manageRoles ? devStandbys(args.replicas.count).map((s) => s.alias) : [],
            labels: args.tags,
        },
        { parent },
    );
    return {
        host: pulumi.output(docker.host),
        port: pulumi.output(docker.port),
        caIdentifier: CA_COMMON_NAME,
        caBundle: docker.caCertPem,
        adminPassword: docker.adminPassword,
        adminSecret: { kind: "pulumi-secret-output", ref: pulumi.output("adminPassword") },
        docker,
    };
}
