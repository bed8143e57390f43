import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import { isPinnedPostgresImage } from "../../postgres/versions";

/** The database container's name on its network (in the server certificate's names). */
export const POSTGRES_ALIAS = "postgres";

/** Where the container keeps the files this component uploads. */
export const CONTAINER_PATHS = {
    configFile: "/etc/postgresql/postgresql.conf",
    hbaFile: "/etc/postgresql/pg_hba.conf",
    uploadedTls: "/etc/postgresql/tls",
    /** Where the wrapper installs the TLS files with the owner and mode PostgreSQL requires. */
    tls: "/var/lib/postgresql/tls",
    passwordFile: "/run/secrets/postgres-password",
    entrypoint: "/usr/local/bin/metacortex-entrypoint.sh",
} as const;

/**
 * Docker uploads files as root with the mode given, and PostgreSQL refuses a private key that is not owned by it
 * (or by root with group access only). The wrapper installs the TLS files as `postgres` with 0600 on the key, then
 * hands over to the image's own entrypoint, which runs initdb on first start.
 */
export const ENTRYPOINT_SCRIPT = `#!/bin/sh
set -eu
install -d -m 0700 -o postgres -g postgres ${CONTAINER_PATHS.tls}
install -m 0600 -o postgres -g postgres ${CONTAINER_PATHS.uploadedTls}/server.key ${CONTAINER_PATHS.tls}/server.key
install -m 0644 -o postgres -g postgres ${CONTAINER_PATHS.uploadedTls}/server.crt ${CONTAINER_PATHS.tls}/server.crt
install -m 0644 -o postgres -g postgres ${CONTAINER_PATHS.uploadedTls}/ca.crt ${CONTAINER_PATHS.tls}/ca.crt
exec docker-entrypoint.sh "$@"
`;

export interface PostgresContainerArgs {
    /** Pinned image, e.g. `postgres:15.18-bookworm`; `latest`, a bare `15` or no tag at all are refused. */
    readonly image: string;
    /** Database created on first start. */
    readonly databaseName: string;
    /** Superuser created on first start. */
    readonly adminUser: string;
    /** Its password (a secret); delivered as a file, never as an environment variable. */
    readonly adminPassword: pulumi.Input<string>;
    /** Rendered postgresql.conf; it must point at CONTAINER_PATHS for hba and TLS files. */
    readonly postgresqlConf: string;
    /** Rendered pg_hba.conf: hostssl + scram only. */
    readonly pgHbaConf: string;
    /** PEM of the CA that signed the server certificate; PostgreSQL's ssl_ca_file. */
    readonly caCertPem: pulumi.Input<string>;
    /** PEM of the server certificate clients verify (verify-full): its names must include the host they use. */
    readonly serverCertPem: pulumi.Input<string>;
    /** PEM of the server's private key (a secret); installed as `postgres` with mode 0600. */
    readonly serverKeyPem: pulumi.Input<string>;
    /** Host port (TCP), published on 127.0.0.1 only; the container listens on POSTGRES_PORT. */
    readonly hostPort: number;
    /** Subnet of the container network; pg_hba admits this range only. */
    readonly networkSubnet: string;
    /** Memory limit in bytes, matching the class the settings were sized for (Docker gets it in whole MiB). */
    readonly memoryBytes: number;
    /** Labels for every resource. */
    readonly labels: Readonly<Record<string, string>>;
}

/** PostgreSQL in Docker: pinned image, named volume, own network, SSL with uploaded certificates, localhost only. */
export class PostgresContainer extends pulumi.ComponentResource {
    readonly container: docker.Container;
    readonly volume: docker.Volume;
    readonly network: docker.Network;

    constructor(name: string, args: PostgresContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:docker:PostgresContainer", name, {}, opts);
        if (!isPinnedPostgresImage(args.image)) {
            throw new pulumi.ResourceError(
                `PostgresContainer ${name}: image must be pinned to a minor version, got ${args.image}`,
                this,
            );
        }
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));
        const image = new docker.RemoteImage(
            `${name}-image`,
            { name: args.image, keepLocally: true },
            { parent: this },
        );
        this.volume = new docker.Volume(`${name}-data`, { labels }, { parent: this, retainOnDelete: false });
        this.network = new docker.Network(
            `${name}-net`,
            { driver: "bridge", ipamConfigs: [{ subnet: args.networkSubnet }], labels },
            { parent: this },
        );
        this.container = new docker.Container(
            `${name}-postgres`,
            containerArgs(args, image.imageId, this.volume.name, this.network.name, labels),
            { parent: this },
        );
        this.registerOutputs({ container: this.container.name });
    }
}

/** Pure: the container's arguments: wrapper entrypoint, uploaded files, localhost-only port, volume, network. */
function containerArgs(
    args: PostgresContainerArgs,
    imageId: pulumi.Input<string>,
    volumeName: pulumi.Input<string>,
    networkName: pulumi.Input<string>,
    labels: docker.types.input.ContainerLabel[],
): docker.ContainerArgs {
    const upload = (file: string, content: pulumi.Input<string>, mode: number) => ({
        file,
        content,
        permissions: mode.toString(8),
    });
    return {
        image: imageId,
        restart: "unless-stopped",
        entrypoints: [CONTAINER_PATHS.entrypoint],
        command: ["postgres", "-c", `config_file=${CONTAINER_PATHS.configFile}`],
        envs: [
            `POSTGRES_USER=${args.adminUser}`,
            `POSTGRES_DB=${args.databaseName}`,
            `POSTGRES_PASSWORD_FILE=${CONTAINER_PATHS.passwordFile}`,
            "POSTGRES_INITDB_ARGS=--auth-local=scram-sha-256 --auth-host=scram-sha-256 --data-checksums",
        ],
        uploads: [
            upload(CONTAINER_PATHS.entrypoint, ENTRYPOINT_SCRIPT, 0o755),
            upload(CONTAINER_PATHS.configFile, args.postgresqlConf, 0o644),
            upload(CONTAINER_PATHS.hbaFile, args.pgHbaConf, 0o644),
            upload(`${CONTAINER_PATHS.uploadedTls}/ca.crt`, args.caCertPem, 0o644),
            upload(`${CONTAINER_PATHS.uploadedTls}/server.crt`, args.serverCertPem, 0o644),
            upload(`${CONTAINER_PATHS.uploadedTls}/server.key`, args.serverKeyPem, 0o600),
            upload(CONTAINER_PATHS.passwordFile, args.adminPassword, 0o600),
        ],
        ports: [{ internal: POSTGRES_PORT, external: args.hostPort, ip: "127.0.0.1", protocol: "tcp" }],
        volumes: [{ volumeName, containerPath: "/var/lib/postgresql/data" }],
        networksAdvanced: [{ name: networkName, aliases: [POSTGRES_ALIAS] }],
        memory: Math.floor(args.memoryBytes / (1024 * 1024)),
        shmSize: 256,
        healthcheck: {
            tests: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", args.adminUser, "-d", args.databaseName],
            interval: "5s",
            timeout: "3s",
            retries: 20,
            startPeriod: "10s",
        },
        wait: true,
        waitTimeout: 120,
        labels,
    };
}
