import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Environment } from "../../postgres/environment";
import { instanceClass } from "../../postgres/instanceClasses";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import { ADMIN_ROLE } from "../../postgres/roles/model";
import { postgresSettings, renderPgHba, renderPostgresqlConf } from "../../postgres/settings";
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

    constructor(name: string, args: DockerPostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:docker:DockerPostgres", name, {}, opts);
        const subnet = args.networkSubnet ?? "172.30.57.0/24";
        this.adminUser = args.adminUser ?? ADMIN_ROLE;
        this.port = args.hostPort;
        this.postgresqlConf = postgresqlConf(args);
        this.pgHbaConf = renderPgHba({ allowedCidrs: [subnet] });

        const certs = new TlsCertificates(
            `${name}-tls`,
            { dnsNames: ["localhost", POSTGRES_ALIAS, "pgbouncer"], ipAddresses: ["127.0.0.1"] },
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

/** Pure: postgresql.conf for the container, from the settings source, with the container's paths and port. */
function postgresqlConf(args: DockerPostgresArgs): string {
    const settings = postgresSettings({
        environment: args.environment,
        instanceClass: args.instanceClass,
        databaseName: args.databaseName,
    });
    return renderPostgresqlConf(
        settings,
        {
            listenAddresses: "*",
            port: POSTGRES_PORT,
            hbaFile: CONTAINER_PATHS.hbaFile,
            sslCertFile: `${CONTAINER_PATHS.tls}/server.crt`,
            sslKeyFile: `${CONTAINER_PATHS.tls}/server.key`,
            sslCaFile: `${CONTAINER_PATHS.tls}/ca.crt`,
            unixSocketDirectories: "/var/run/postgresql",
            logDirectory: "log",
        },
        `MetaCortex PostgreSQL 15 (${args.environment}, Docker, sized as ${args.instanceClass})`,
    );
}
