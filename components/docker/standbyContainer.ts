import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { passfileLine, upstreamConninfo } from "../../postgres/network/conninfo";
import { POSTGRES_PORT } from "../../postgres/network/ports";
import { isPinnedPostgresImage } from "../../postgres/versions";
import { CONTAINER_PATHS, POSTGRES_ALIAS } from "./postgresContainer";
import { renderStandbyEntrypoint } from "./support/standbyEntrypoint";

/** Where the standby keeps what it is given, beside the primary's CONTAINER_PATHS (the same TLS and config paths). */
export const STANDBY_PATHS = {
    /** The uploaded passfile (root's, 0600), and where the server user reads it from. */
    uploadedPassfile: "/run/secrets/replication.pgpass",
    passfile: "/var/lib/postgresql/replication.pgpass",
    entrypoint: "/usr/local/bin/metacortex-standby.sh",
} as const;

/** A dev standby's name (its slot and application_name) and its alias on the container network. */
export interface DevStandby {
    /** `standby1`, `standby2`, ...: its slot on the primary. */
    readonly name: string;
    /** `postgres-standby1`, ...: the host PgBouncer dials, in the server certificate. */
    readonly alias: string;
}

/** Pure: the `count` standbys of a dev database, in order. */
export function devStandbys(count: number): DevStandby[] {
    return Array.from({ length: count }, (_, i) => ({
        name: `standby${i + 1}`,
        alias: `${POSTGRES_ALIAS}-standby${i + 1}`,
    }));
}

export interface StandbyContainerArgs {
    /** Pinned image, the primary's (`postgres:15.N[-variant]`): a physical standby must run the same major version. */
    readonly image: string;
    /** Its name: its physical slot on the primary and its application_name there (lower case, digits, `_`). */
    readonly standbyName: string;
    /** Its name on the container network (in the server certificate's names, for PgBouncer's verify-full). */
    readonly alias: string;
    /** The primary's container network; the standby joins it. */
    readonly networkName: pulumi.Input<string>;
    /** The primary's name on that network (in its certificate: the base backup and streaming verify it). */
    readonly primaryHost: string;
    /** The replication role's name (REPLICATION_ROLE in postgres/roles/model.ts). */
    readonly replicationUser: string;
    /** Its password (a secret); uploaded as a passfile under /run/secrets, never an environment variable. */
    readonly replicationPassword: pulumi.Input<string>;
    /** Rendered postgresql.conf for a standby: standby settings, primary_conninfo with STANDBY_PATHS.passfile. */
    readonly postgresqlConf: string;
    /** Rendered pg_hba.conf (hostssl + scram only), the primary's: it applies once the standby is promoted. */
    readonly pgHbaConf: string;
    /** PEM of the dev CA; PostgreSQL's ssl_ca_file and what the standby verifies the primary against. */
    readonly caCertPem: pulumi.Input<string>;
    /** PEM of the server certificate it presents; its names must include `alias`. */
    readonly serverCertPem: pulumi.Input<string>;
    /** PEM of that certificate's private key (a secret); installed as `postgres` with mode 0600. */
    readonly serverKeyPem: pulumi.Input<string>;
    /** Memory limit in bytes, matching the class its settings were sized for (Docker gets it in whole MiB). */
    readonly memoryBytes: number;
    /** Labels for every resource. */
    readonly labels: Readonly<Record<string, string>>;
}

/**
 * A streaming hot standby of the dev database: the primary's image on the primary's network, with its own volume and
 * no published port (reads reach it through PgBouncer's read database). Its entrypoint takes a base backup from the
 * primary over TLS verify-full as the replication role, through its own physical slot, on the first start only.
 */
export class StandbyContainer extends pulumi.ComponentResource {
    readonly container: docker.Container;
    readonly volume: docker.Volume;
    /** Its name on the container network. */
    readonly alias: string;

    constructor(name: string, args: StandbyContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:docker:StandbyContainer", name, {}, opts);
        if (!isPinnedPostgresImage(args.image))
            throw new pulumi.ResourceError(
                `StandbyContainer ${name}: image must be pinned to a minor version, got ${args.image}`,
                this,
            );
        this.alias = args.alias;
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));
        const image = new docker.RemoteImage(
            `${name}-image`,
            { name: args.image, keepLocally: true },
            { parent: this },
        );
        this.volume = new docker.Volume(`${name}-data`, { labels }, { parent: this, retainOnDelete: false });
        this.container = new docker.Container(
            `${name}-postgres`,
            standbyContainerArgs(args, image.imageId, this.volume.name, labels),
            { parent: this },
        );
        this.registerOutputs({ container: this.container.name });
    }
}

/** The entrypoint for `args`: TLS files and passfile installed, a base backup on the first start, then the server. */
export function standbyScript(args: Pick<StandbyContainerArgs, "standbyName" | "primaryHost" | "replicationUser">) {
    const tls = (file: string, mode: string) => ({
        from: `${CONTAINER_PATHS.uploadedTls}/${file}`,
        to: `${CONTAINER_PATHS.tls}/${file}`,
        mode,
    });
    return renderStandbyEntrypoint({
        slot: args.standbyName,
        conninfo: upstreamConninfo(
            { host: args.primaryHost, port: POSTGRES_PORT },
            {
                user: args.replicationUser,
                passfile: STANDBY_PATHS.passfile,
                caCert: `${CONTAINER_PATHS.tls}/ca.crt`,
                applicationName: `${args.standbyName}_basebackup`,
            },
        ),
        directories: [CONTAINER_PATHS.tls],
        installs: [
            tls("server.key", "0600"),
            tls("server.crt", "0644"),
            tls("ca.crt", "0644"),
            { from: STANDBY_PATHS.uploadedPassfile, to: STANDBY_PATHS.passfile, mode: "0600" },
        ],
    });
}

/** The container's arguments: the standby entrypoint, uploaded files, no published port, volume, network. */
function standbyContainerArgs(
    args: StandbyContainerArgs,
    imageId: pulumi.Input<string>,
    volumeName: pulumi.Input<string>,
    labels: docker.types.input.ContainerLabel[],
): docker.ContainerArgs {
    const upload = (file: string, content: pulumi.Input<string>, mode: number) => ({
        file,
        content,
        permissions: mode.toString(8),
    });
    const passfile = pulumi.secret(
        pulumi.output(args.replicationPassword).apply((pw) => passfileLine(args.replicationUser, pw)),
    );
    return {
        image: imageId,
        restart: "unless-stopped",
        entrypoints: [STANDBY_PATHS.entrypoint],
        command: ["postgres", "-c", `config_file=${CONTAINER_PATHS.configFile}`],
        uploads: [
            upload(STANDBY_PATHS.entrypoint, standbyScript(args), 0o755),
            upload(CONTAINER_PATHS.configFile, args.postgresqlConf, 0o644),
            upload(CONTAINER_PATHS.hbaFile, args.pgHbaConf, 0o644),
            upload(`${CONTAINER_PATHS.uploadedTls}/ca.crt`, args.caCertPem, 0o644),
            upload(`${CONTAINER_PATHS.uploadedTls}/server.crt`, args.serverCertPem, 0o644),
            upload(`${CONTAINER_PATHS.uploadedTls}/server.key`, args.serverKeyPem, 0o600),
            upload(STANDBY_PATHS.uploadedPassfile, passfile, 0o600),
        ],
        volumes: [{ volumeName, containerPath: "/var/lib/postgresql/data" }],
        networksAdvanced: [{ name: args.networkName, aliases: [args.alias] }],
        memory: Math.floor(args.memoryBytes / (1024 * 1024)),
        shmSize: 256,
        // A hot standby accepts connections once replay is consistent; the first start includes the base backup.
        healthcheck: {
            tests: ["CMD", "pg_isready", "-h", "127.0.0.1", "-p", String(POSTGRES_PORT)],
            interval: "5s",
            timeout: "3s",
            retries: 60,
            startPeriod: "30s",
        },
        wait: true,
        waitTimeout: 600,
        labels,
    };
}
