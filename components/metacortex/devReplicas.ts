/**
 * dev's read replicas: streaming standby containers of the dev database, each built by pg_basebackup from the primary
 * as the replication role, with the standby settings rendered from the same source as prod's replicas
 * (postgres/settings/standby.ts); and where reads go, by the read route prod uses (postgres/pooling/readRouting.ts):
 * PgBouncer's read database over the standbys, or on the primary when there are none.
 */
import * as pulumi from "@pulumi/pulumi";
import { instanceClass } from "../../postgres/instanceClasses";
import { upstreamConninfo } from "../../postgres/network/conninfo";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import { versionOfImage } from "../../postgres/pooling/pgbouncerIni";
import { spreadsOverHosts } from "../../postgres/pooling/readPool";
import { type ReadRoute, readDatabaseName, readOnlyUrl, readRoute } from "../../postgres/pooling/readRouting";
import { ROLE } from "../../postgres/roles/model";
import { renderPostgresqlConf, replicaSettings } from "../../postgres/settings";
import { sizeFor } from "../../postgres/settings/sizing";
import { confHeader, containerServer, type DockerPostgres } from "../docker/dockerPostgres";
import { CONTAINER_PATHS, POSTGRES_ALIAS } from "../docker/postgresContainer";
import { type DevStandby, devStandbys, STANDBY_PATHS, StandbyContainer } from "../docker/standbyContainer";
import type { DatabaseAccess } from "../postgresql/databaseAccess";
import { withResource } from "../support/resourceError";
import type { MetacortexDatabaseArgs } from "./args";
import { devPgbouncer } from "./pooling";

/** Pure: a dev standby's postgresql.conf: the replica settings for its class, streaming from the primary's alias. */
export function devStandbyConf(args: MetacortexDatabaseArgs, standby: DevStandby): string {
    const settings = replicaSettings({
        environment: args.environment,
        instanceClass: args.instanceClass,
        databaseName: args.databaseName,
        standbyInstanceClass: args.replicas.instanceClass,
    });
    const primaryConninfo = upstreamConninfo(
        { host: POSTGRES_ALIAS, port: POSTGRES_PORT },
        {
            user: ROLE.replicator,
            passfile: STANDBY_PATHS.passfile,
            caCert: `${CONTAINER_PATHS.tls}/ca.crt`,
            applicationName: standby.name,
        },
    );
    return renderPostgresqlConf(
        settings,
        containerServer({ primaryConninfo, slotName: standby.name }),
        confHeader(
            { environment: args.environment, instanceClass: args.replicas.instanceClass },
            `standby ${standby.name}`,
        ),
    );
}

/** One standby container, after the replication role it streams as. */
function standbyContainer(
    name: string,
    args: MetacortexDatabaseArgs,
    docker: DockerPostgres,
    replication: NonNullable<DatabaseAccess["replication"]>,
    s: DevStandby,
    parent: pulumi.Resource,
): StandbyContainer {
    return new StandbyContainer(
        `${name}-${s.name}`,
        {
            image: args.docker.image,
            standbyName: s.name,
            alias: s.alias,
            networkName: docker.networkName,
            primaryHost: POSTGRES_ALIAS,
            replicationUser: replication.credentials.username,
            replicationPassword: replication.credentials.password,
            postgresqlConf: withResource(parent, () => devStandbyConf(args, s)),
            pgHbaConf: docker.pgHbaConf,
            caCertPem: docker.caCertPem,
            serverCertPem: docker.serverCertPem,
            serverKeyPem: docker.serverKeyPem,
            memoryBytes: instanceClass(args.replicas.instanceClass).memoryGiB * 1024 ** 3,
            labels: args.tags,
        },
        // The base backup logs in as the replication role: it must exist first.
        { parent, dependsOn: [replication.role] },
    );
}

/**
 * dev's standbys (after the replication role exists) and the read route over them, or the primary's. They stream as
 * the managed replication role: without managed roles there is none, as there is no PgBouncer.
 */
export function devReplicas(
    name: string,
    args: MetacortexDatabaseArgs,
    docker: DockerPostgres,
    access: DatabaseAccess | undefined,
    parent: pulumi.Resource,
): { standbys: StandbyContainer[]; route: ReadRoute<string> } {
    const replication = access?.replication;
    const standbys = replication ? devStandbys(args.replicas.count) : [];
    const containers = replication
        ? standbys.map((s) => standbyContainer(name, args, docker, replication, s, parent))
        : [];
    const { budget, spreads } = withResource(parent, () => ({
        budget: sizeFor(instanceClass(args.replicas.instanceClass)).connectionBudget,
        spreads: spreadsOverHosts(versionOfImage(args.pooling.image)),
    }));
    // A PgBouncer that cannot verify each of several hosts reads from the first standby only, as the local one does.
    const readers = spreads || args.pooling.pooler !== "pgbouncer" ? standbys : standbys.slice(0, 1);
    const route = readRoute(
        readers.map((s) => ({ host: s.alias, connectionBudget: budget })),
        POSTGRES_ALIAS,
    );
    return { standbys: containers, route };
}

/**
 * Pure: dev's read-only URL: PgBouncer's read database on the host; without PgBouncer, straight to the standbys on the
 * dev network (they publish no host port), or to the primary on the host when there is none.
 */
export function devReadOnlyUrl(args: MetacortexDatabaseArgs, route: ReadRoute<string>, pgbouncer: boolean): string {
    if (pgbouncer)
        return readOnlyUrl({
            user: ROLE.app,
            hosts: ["127.0.0.1"],
            port: args.pooling.hostPort,
            database: readDatabaseName(args.databaseName),
        });
    return route.servedBy === "replicas"
        ? readOnlyUrl({ user: ROLE.app, hosts: route.hosts, port: POSTGRES_PORT, database: args.databaseName })
        : readOnlyUrl({
              user: ROLE.app,
              hosts: ["127.0.0.1"],
              port: args.docker.hostPort,
              database: args.databaseName,
          });
}

/** dev's standbys, PgBouncer with its read database over them (when `pooled`), and where reads land. */
export function dockerReads(
    name: string,
    args: MetacortexDatabaseArgs,
    docker: DockerPostgres,
    access: DatabaseAccess | undefined,
    pooled: DatabaseAccess | undefined,
    parent: pulumi.Resource,
): { standbys: StandbyContainer[]; endpoint: pulumi.Output<string>; readOnlyUrl: pulumi.Output<string> } {
    const { standbys, route } = devReplicas(name, args, docker, access, parent);
    const pgbouncer = pooled ? devPgbouncer(name, args, docker, pooled, route, parent) : undefined;
    return {
        standbys,
        endpoint: pulumi.output(route.hosts.join(",")),
        readOnlyUrl: pulumi.output(devReadOnlyUrl(args, route, pgbouncer !== undefined)),
    };
}
