import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { POSTGRES_PORT } from "../../postgres/network/ports";

export interface PgbouncerContainerArgs {
    /** Pinned PgBouncer image, the same as prod's (its tag is the PgBouncer version the ini was rendered for). */
    readonly image: string;
    /** The database container's network: PgBouncer reaches it by its alias. */
    readonly networkName: pulumi.Input<string>;
    /** Rendered pgbouncer.ini (postgres/pooling/pgbouncerIni.ts), pointing at the files below. */
    readonly ini: pulumi.Input<string>;
    /** Rendered userlist.txt (SCRAM verifiers; a secret). */
    readonly userlist: pulumi.Input<string>;
    /** PEM of the CA PgBouncer verifies PostgreSQL's certificate against (server_tls_sslmode verify-full). */
    readonly caPem: pulumi.Input<string>;
    /** PEM of the certificate PgBouncer presents to clients (the database's: its names include `pgbouncer`). */
    readonly certPem: pulumi.Input<string>;
    /** PEM of that certificate's private key (a secret). */
    readonly keyPem: pulumi.Input<string>;
    /** Host port (TCP), published on 127.0.0.1 only; PgBouncer listens on POSTGRES_PORT inside the container. */
    readonly hostPort: number;
    /** Labels for the container. */
    readonly labels: Readonly<Record<string, string>>;
}

/** Where the container's files go. */
export const PGBOUNCER_DIR = "/etc/pgbouncer";

/** dev's PgBouncer: the prod image and the same rendered configuration, in front of the dev database container. */
export class PgbouncerContainer extends pulumi.ComponentResource {
    readonly container: docker.Container;

    constructor(name: string, args: PgbouncerContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:docker:PgbouncerContainer", name, {}, opts);
        const labels = Object.entries(args.labels).map(([label, value]) => ({ label, value }));
        const image = new docker.RemoteImage(
            `${name}-image`,
            { name: args.image, keepLocally: true },
            { parent: this },
        );
        const file = (path: string, content: pulumi.Input<string>, mode: string) => ({
            file: `${PGBOUNCER_DIR}/${path}`,
            content,
            permissions: mode,
        });
        this.container = new docker.Container(
            `${name}-pgbouncer`,
            {
                image: image.imageId,
                restart: "unless-stopped",
                command: [`${PGBOUNCER_DIR}/pgbouncer.ini`],
                uploads: [
                    file("pgbouncer.ini", args.ini, "444"),
                    file("userlist.txt", args.userlist, "444"),
                    file("server-ca.pem", args.caPem, "444"),
                    file("tls.crt", args.certPem, "444"),
                    file("tls.key", args.keyPem, "444"),
                ],
                ports: [{ internal: POSTGRES_PORT, external: args.hostPort, ip: "127.0.0.1", protocol: "tcp" }],
                networksAdvanced: [{ name: args.networkName, aliases: ["pgbouncer"] }],
                readOnly: true,
                tmpfs: { "/tmp": "rw,size=16m" },
                capabilities: { drops: ["ALL"] },
                securityOpts: ["no-new-privileges:true"],
                healthcheck: {
                    tests: ["CMD-SHELL", `pg_isready -h 127.0.0.1 -p ${POSTGRES_PORT} || exit 1`],
                    interval: "10s",
                    timeout: "3s",
                    retries: 6,
                },
                labels,
            },
            { parent: this },
        );
        this.registerOutputs({ name: this.container.name });
    }
}
