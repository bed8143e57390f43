import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Environment } from "../../postgres/environment";
import { instanceClass } from "../../postgres/instanceClasses";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import { ADMIN_ROLE } from "../../postgres/roles/model";
import {
    postgresSettings,
    renderPgHba,
    renderPostgresqlConf,
    type SelfManagedServer,
    type Setting,
    type StandbyOf,
    standbyCapacityProblem,
    standbyReplication,
} from "../../postgres/settings";
import { TlsCertificates } from "../tls/tlsCertificates";
import { CONTAINER_PATHS, POSTGRES_ALIAS, PostgresContainer } from "./postgresContainer";

export interface DockerPostgresArgs {
    /** The environment whose PostgreSQL settings are rendered (postgres/settings): `dev` or `prod`. */
    readonly environment: Environment;
    /** Database created on first start. */
    readonly databaseName: string;
    /** The RDS class the container is sized as (e.g. `db.t4g.medium`); its memory becomes the container's limit. */
    readonly instanceClass: string;
    /** Pinned `postgres:15.N[-variant]` image; `latest` and a bare `15` are refused. */
    readonly image: string;
    /** Host port (TCP), bound to 127.0.0.1 only; PostgreSQL listens on POSTGRES_PORT inside the container. */
    readonly hostPort: number;
    /** Container network subnet, the only range pg_hba admits. Default `172.30.57.0/24`. */
    readonly networkSubnet?: string;
    /** Superuser name. Default ADMIN_ROLE (postgres/roles/model.ts), as on RDS. */
    readonly adminUser?: string;
    /**
     * Network aliases of the streaming standbys (StandbyContainer) this primary serves: they join the server
     * certificate's names, and pg_hba admits the replication role from the network's subnet. Default none: no
     * replication line, no standby name.
     */
    readonly standbyAliases?: readonly string[];
    /** Labels for every Docker resource. */
    readonly labels: Readonly<Record<string, string>>;
}

/** The dev database: the prod design in a container, with the same settings source and the same SSL-only rules. */
export class DockerPostgres extends pulumi.ComponentResource {
    readonly host = "127.0.0.1";
    readonly port: number;
    readonly caCertPem: pulumi.Output<string>;
    readonly adminPassword: pulumi.Output<string>;
    readonly adminUser: string;
    readonly postgresqlConf: string;
    readonly pgHbaConf: string;
    /** The container network (PgBouncer joins it) and the server certificate (PgBouncer presents it to clients). */
    readonly networkName: pulumi.Output<string>;
    readonly serverCertPem: pulumi.Output<string>;
    readonly serverKeyPem: pulumi.Output<string>;
    /** The container network's subnet: the only range pg_hba admits. */
    readonly networkSubnet: string;

    constructor(name: string, args: DockerPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:docker:DockerPostgres", name, {}, opts);
        const subnet = args.networkSubnet ?? "172.30.57.0/24";
        const standbys = args.standbyAliases ?? [];
        this.networkSubnet = subnet;
        this.adminUser = args.adminUser ?? ADMIN_ROLE;
        this.port = args.hostPort;
        const settings = primarySettings(args);
        const problem = standbyCapacityProblem(settings, standbys.length);
        if (problem) throw new pulumi.ResourceError(`DockerPostgres ${name}: ${problem}`, this);
        this.postgresqlConf = renderPostgresqlConf(settings, containerServer(), confHeader(args));
        this.pgHbaConf = renderPgHba({
            allowedCidrs: [subnet],
            replication: standbys.length > 0 ? standbyReplication([subnet]) : undefined,
        });

        const certs = new TlsCertificates(
            `${name}-tls`,
            { dnsNames: ["localhost", POSTGRES_ALIAS, "pgbouncer", ...standbys], ipAddresses: ["127.0.0.1"] },
            { parent: this },
        );
        const password = new random.RandomPassword(
            `${name}-admin-password`,
            { length: 32, special: false },
            { parent: this },
        );
        const pg = new PostgresContainer(
            `${name}-pg`,
            {
                image: args.image,
                databaseName: args.databaseName,
                adminUser: this.adminUser,
                adminPassword: password.result,
                postgresqlConf: this.postgresqlConf,
                pgHbaConf: this.pgHbaConf,
                caCertPem: certs.caCertPem,
                serverCertPem: certs.serverCertPem,
                serverKeyPem: certs.serverKeyPem,
                hostPort: args.hostPort,
                networkSubnet: subnet,
                memoryBytes: instanceClass(args.instanceClass).memoryGiB * 1024 ** 3,
                labels: args.labels,
            },
            { parent: this },
        );
        this.caCertPem = certs.caCertPem;
        this.networkName = pg.network.name;
        this.serverCertPem = certs.serverCertPem;
        this.serverKeyPem = certs.serverKeyPem;
        this.adminPassword = pulumi.secret(password.result);
        this.registerOutputs({ caCertPem: this.caCertPem });
    }
}

/** Pure: the primary's settings, from the settings source for its environment and class. */
function primarySettings(args: DockerPostgresArgs): Setting[] {
    return postgresSettings({
        environment: args.environment,
        instanceClass: args.instanceClass,
        databaseName: args.databaseName,
    });
}

/** Pure: the header line of a container's postgresql.conf. */
export function confHeader(args: Pick<DockerPostgresArgs, "environment" | "instanceClass">, role = "PostgreSQL 15") {
    return `MetaCortex ${role} (${args.environment}, Docker, sized as ${args.instanceClass})`;
}

/** Pure: a container's own paths and addresses (the primary's and every standby's), and its primary when a standby. */
export function containerServer(standby?: StandbyOf): SelfManagedServer {
    return {
        listenAddresses: "*",
        port: POSTGRES_PORT,
        hbaFile: CONTAINER_PATHS.hbaFile,
        sslCertFile: `${CONTAINER_PATHS.tls}/server.crt`,
        sslKeyFile: `${CONTAINER_PATHS.tls}/server.key`,
        sslCaFile: `${CONTAINER_PATHS.tls}/ca.crt`,
        unixSocketDirectories: "/var/run/postgresql",
        logDirectory: "log",
        standby,
    };
}
