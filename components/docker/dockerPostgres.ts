import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { instanceClass } from "../../postgres/instanceClasses";
import { postgresSettings, renderPgHba, renderPostgresqlConf } from "../../postgres/settings";
import { CONTAINER_PATHS, POSTGRES_ALIAS, PostgresContainer } from "./postgresContainer";
import { TlsCertificates } from "../tls/tlsCertificates";

export interface DockerPostgresArgs {
    readonly environment: "dev" | "prod";
    readonly databaseName: string;
    /** The class the container is sized as; its memory becomes the container's limit. */
    readonly instanceClass: string;
    /** Pinned `postgres:15.N` image. */
    readonly image: string;
    /** Host port, bound to 127.0.0.1. */
    readonly hostPort: number;
    /** Container network subnet, the only range pg_hba admits. Default `172.30.57.0/24`. */
    readonly networkSubnet?: string;
    /** Superuser name. Default `metacortex_admin`, as on RDS. */
    readonly adminUser?: string;
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
        this.adminUser = args.adminUser ?? "metacortex_admin";
        this.port = args.hostPort;
        const settings = postgresSettings({
            environment: args.environment,
            instanceClass: args.instanceClass,
            databaseName: args.databaseName,
        });
        this.postgresqlConf = renderPostgresqlConf(
            settings,
            {
                listenAddresses: "*",
                port: 5432,
                hbaFile: CONTAINER_PATHS.hbaFile,
                sslCertFile: `${CONTAINER_PATHS.tls}/server.crt`,
                sslKeyFile: `${CONTAINER_PATHS.tls}/server.key`,
                sslCaFile: `${CONTAINER_PATHS.tls}/ca.crt`,
                unixSocketDirectories: "/var/run/postgresql",
                logDirectory: "log",
            },
            `MetaCortex PostgreSQL 15 (${args.environment}, Docker, sized as ${args.instanceClass})`,
        );
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
