/** A local PgBouncer (Debian's 1.18) in front of a local cluster: rendered config, run as the server user. */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { Client } from "pg";
import {
    DEBIAN_PGBOUNCER,
    type PgbouncerDatabase,
    type PgbouncerIniInput,
    renderPgbouncerIni,
    renderUserlist,
} from "../../../postgres/pooling/pgbouncerIni";
import type { PgCluster } from "./cluster";
import { chownToServer, run, runAsServer } from "../exec";

export const PGBOUNCER_BIN = fs.existsSync("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : "pgbouncer";

export interface LocalPgbouncerOptions {
    readonly cluster: PgCluster;
    readonly port: number;
    /** A name for a second PgBouncer on the same cluster (its own directory); default: the cluster's one. */
    readonly instance?: string;
    readonly defaultPoolSize: number;
    readonly maxDbConnections: number;
    readonly maxClientConn: number;
    /** Role names to admit; their SCRAM verifiers are read from the server. */
    readonly users: readonly string[];
    /** Per-role server connection caps ([users] max_user_connections). */
    readonly userLimits?: Readonly<Record<string, number>>;
    /** Default true (as deployed); false only to measure the reset's cost. */
    readonly resetAfterEveryTransaction?: boolean;
    /** Defaults: POOLER_LIMITS (tests shorten them to measure them). */
    readonly queryTimeoutSeconds?: number;
    readonly idleTransactionTimeoutSeconds?: number;
    /** Database entries; default the cluster's database on the cluster. */
    readonly databases?: readonly PgbouncerDatabase[];
    /** A login for the admin console (PAUSE, RELOAD, RESUME); it must be among `users`. Default none. */
    readonly admin?: { readonly user: string; readonly password: string };
}

function listening(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });
}

export class LocalPgbouncer {
    private ini?: PgbouncerIniInput;
    private admin?: { readonly user: string; readonly password: string; readonly ca: string };

    private constructor(
        readonly dir: string,
        readonly port: number,
    ) {}

    /** The PgBouncer of a cluster (whether or not it is running), for stopping it. */
    static of(cluster: PgCluster, port: number): LocalPgbouncer {
        return new LocalPgbouncer(path.join(cluster.options.root, "pgbouncer"), port);
    }

    get pidFile(): string {
        return path.join(this.dir, "pgbouncer.pid");
    }

    static async start(o: LocalPgbouncerOptions): Promise<LocalPgbouncer> {
        const dir = path.join(o.cluster.options.root, o.instance ? `pgbouncer-${o.instance}` : "pgbouncer");
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        chownToServer(dir);
        const verifiers = await o.cluster.query<{ user: string; verifier: string }>(
            "SELECT rolname AS user, rolpassword AS verifier FROM pg_authid WHERE rolname = ANY($1) ORDER BY 1",
            [o.users],
        );
        const bouncer = new LocalPgbouncer(dir, o.port);
        bouncer.ini = iniInput(o, dir, bouncer.pidFile);
        if (o.admin) bouncer.admin = { ...o.admin, ca: o.cluster.tls.caCert };
        await bouncer.stop(); // a re-run restarts it with the current configuration
        bouncer.write("userlist.txt", renderUserlist(verifiers));
        bouncer.write("pgbouncer.ini", renderPgbouncerIni(bouncer.ini));
        await runAsServer(PGBOUNCER_BIN, ["-d", path.join(dir, "pgbouncer.ini")]);
        const deadline = Date.now() + 15000;
        while (!(await listening(o.port))) {
            if (Date.now() > deadline)
                throw new Error(
                    `PgBouncer did not listen on ${o.port}: ${fs.readFileSync(path.join(dir, "pgbouncer.log"), "utf8").slice(-800)}`,
                );
            await new Promise((r) => setTimeout(r, 50));
        }
        return bouncer;
    }

    private write(name: string, content: string): void {
        fs.writeFileSync(path.join(this.dir, name), content, { mode: 0o600 });
        chownToServer(path.join(this.dir, name));
    }

    /** The database entries it was started or last re-pointed with. */
    get databases(): readonly PgbouncerDatabase[] {
        if (!this.ini) throw new Error("this PgBouncer was not started here");
        return this.ini.databases;
    }

    /**
     * Re-points the databases: rewrites pgbouncer.ini and RELOADs. Server connections to a changed host are closed as
     * they are released; new ones go to the new host.
     */
    async repoint(databases: readonly PgbouncerDatabase[]): Promise<void> {
        if (!this.ini) throw new Error("this PgBouncer was not started here");
        this.ini = { ...this.ini, databases };
        this.write("pgbouncer.ini", renderPgbouncerIni(this.ini));
        await this.console("RELOAD");
    }

    /** Runs an admin console command (PAUSE, RESUME, RELOAD, SHOW ...) as the admin login it was started with. */
    async console(command: string): Promise<Array<Record<string, unknown>>> {
        if (!this.admin) throw new Error("this PgBouncer has no admin login (LocalPgbouncerOptions.admin)");
        const client = new Client({
            host: "127.0.0.1",
            port: this.port,
            user: this.admin.user,
            password: this.admin.password,
            database: "pgbouncer",
            ssl: { ca: fs.readFileSync(this.admin.ca, "utf8"), rejectUnauthorized: true, servername: "localhost" },
        });
        await client.connect();
        try {
            return (await client.query(command)).rows;
        } finally {
            await client.end();
        }
    }

    async stop(): Promise<void> {
        if (!fs.existsSync(this.pidFile)) return;
        const pid = Number(fs.readFileSync(this.pidFile, "utf8").trim());
        await run("kill", ["-INT", String(pid)]).catch(() => undefined);
        if (!(await listening(this.port))) return;
        const deadline = Date.now() + 10000;
        while (await listening(this.port)) {
            if (Date.now() > deadline) throw new Error("PgBouncer did not stop");
            await new Promise((r) => setTimeout(r, 50));
        }
    }
}

/** What pgbouncer.ini is rendered from for a local PgBouncer in front of `o.cluster`. */
function iniInput(o: LocalPgbouncerOptions, dir: string, pidFile: string): PgbouncerIniInput {
    return {
        version: DEBIAN_PGBOUNCER,
        listenAddr: "127.0.0.1",
        listenPort: o.port,
        unixSocketDir: "",
        databases: o.databases ?? [
            {
                name: o.cluster.options.databaseName,
                host: o.cluster.host,
                port: o.cluster.port,
                dbname: o.cluster.options.databaseName,
            },
        ],
        authFile: path.join(dir, "userlist.txt"),
        defaultPoolSize: o.defaultPoolSize,
        maxDbConnections: o.maxDbConnections,
        maxClientConn: o.maxClientConn,
        maxPreparedStatements: 0,
        serverTlsCaFile: o.cluster.tls.caCert,
        clientTlsCertFile: o.cluster.tls.serverCert,
        clientTlsKeyFile: o.cluster.tls.serverKey,
        statsUsers: ["metacortex_monitor"],
        adminUsers: o.admin ? [o.admin.user] : undefined,
        userLimits: o.userLimits,
        resetAfterEveryTransaction: o.resetAfterEveryTransaction,
        queryTimeoutSeconds: o.queryTimeoutSeconds,
        idleTransactionTimeoutSeconds: o.idleTransactionTimeoutSeconds,
        pidFile,
        logFile: path.join(dir, "pgbouncer.log"),
    };
}
