/**
 * A real PostgreSQL 15 cluster, configured from the settings source exactly as the stacks configure RDS and Docker:
 * the same rendered postgresql.conf (plus this server's own paths) and a pg_hba.conf with hostssl + SCRAM only.
 * Used by `npm run local` and by every real-server test (each test run makes its own throwaway cluster).
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { Client, type ClientConfig } from "pg";
import {
    renderPgHba,
    renderPostgresqlConf,
    type Setting,
    type SettingValue,
    confValue,
    type StandbyOf,
    standbyReplication,
} from "../../../postgres/settings";
import { chownToServer, PG_BIN, run, runAsServer } from "../exec";
import { type CaFiles, ensureServerTls, ensureTls, type TlsFiles } from "./tls";

export interface ClusterOptions {
    /** Directory for everything the cluster owns (data, tls, socket); created and given to the server user. */
    readonly root: string;
    readonly port: number;
    /** Bootstrap superuser, `metacortex_admin` as on RDS and Docker. */
    readonly superuser: string;
    readonly password: string;
    /** Database created after initdb. */
    readonly databaseName: string;
    /** From postgresSettings(); rds.* entries are dropped by the renderer. */
    readonly settings: readonly Setting[];
    /** WAL archiving command (pgBackRest), if any. */
    readonly archiveCommand?: string;
    /** Extra lines appended to postgresql.conf (tests only, e.g. a lower log threshold). */
    readonly overrides?: Readonly<Record<string, SettingValue>>;
    /** Header for the rendered postgresql.conf. */
    readonly header?: string;
    /** The one address it listens on; default 127.0.0.1. Standbys take 127.0.0.2 and up, on the primary's port. */
    readonly listenAddress?: string;
    /** Sign the server certificate with this CA (a standby, with its primary's) instead of making a CA. */
    readonly ca?: CaFiles;
    /** A standby of a primary; its data directory comes from pg_basebackup (scripts/lib/local/standby.ts). */
    readonly standby?: StandbyOf;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export class PgCluster {
    readonly dataDir: string;
    readonly socketDir: string;
    readonly tlsDir: string;
    tls!: TlsFiles;

    private constructor(readonly options: ClusterOptions) {
        this.dataDir = path.join(options.root, "data");
        this.socketDir = path.join(options.root, "run");
        this.tlsDir = path.join(options.root, "tls");
    }

    get port(): number {
        return this.options.port;
    }

    /** A test cluster that runs without fsync (override `fsync: false`): its tools skip their syncs too. */
    get fsyncOff(): boolean {
        return this.options.overrides?.fsync === false;
    }

    /** The address it listens on, and clients connect to. */
    get host(): string {
        return this.options.listenAddress ?? "127.0.0.1";
    }

    /** Creates the cluster if the data directory is new, and (re)writes its configuration either way. */
    static async create(options: ClusterOptions): Promise<PgCluster> {
        const cluster = new PgCluster(options);
        await cluster.prepare();
        return cluster;
    }

    private async prepare(): Promise<void> {
        const { root } = this.options;
        fs.mkdirSync(root, { recursive: true, mode: 0o700 });
        fs.chmodSync(root, 0o700);
        chownToServer(root);
        this.tls = this.options.ca
            ? await ensureServerTls(this.tlsDir, this.options.ca, ["localhost"], [this.host])
            : await ensureTls(this.tlsDir);
        for (const file of [this.tlsDir, ...Object.values(this.tls)]) chownToServer(file);
        fs.mkdirSync(this.socketDir, { recursive: true, mode: 0o700 });
        chownToServer(this.socketDir);

        if (!fs.existsSync(path.join(this.dataDir, "PG_VERSION"))) {
            if (this.options.standby) throw new Error(`standby ${root} has no data directory: pg_basebackup first`);
            const pwfile = path.join(root, ".initdb-password");
            fs.writeFileSync(pwfile, `${this.options.password}\n`, { mode: 0o600 });
            chownToServer(pwfile);
            try {
                await runAsServer(path.join(PG_BIN, "initdb"), [
                    "-D",
                    this.dataDir,
                    "-U",
                    this.options.superuser,
                    `--pwfile=${pwfile}`,
                    "--auth=scram-sha-256",
                    "--data-checksums",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    ...(this.fsyncOff ? ["--no-sync"] : []),
                ]);
            } finally {
                fs.rmSync(pwfile, { force: true });
            }
        }
        this.writeConfig();
    }

    /** Renders postgresql.conf and pg_hba.conf into the data directory. */
    writeConfig(): void {
        let conf = renderPostgresqlConf(
            this.options.settings,
            {
                listenAddresses: this.host,
                port: this.options.port,
                hbaFile: path.join(this.dataDir, "pg_hba.conf"),
                sslCertFile: this.tls.serverCert,
                sslKeyFile: this.tls.serverKey,
                sslCaFile: this.tls.caCert,
                unixSocketDirectories: this.socketDir,
                logDirectory: "log",
                archiveCommand: this.options.archiveCommand,
                standby: this.options.standby,
            },
            this.options.header,
        );
        for (const [name, value] of Object.entries(this.options.overrides ?? {}))
            conf += `${name} = ${confValue(value)}  # test override\n`;
        const files: Array<[string, string]> = [
            ["postgresql.conf", conf],
            [
                "pg_hba.conf",
                renderPgHba({
                    allowedCidrs: ["127.0.0.1/32"],
                    replication: standbyReplication(["127.0.0.1/32"]),
                }),
            ],
        ];
        if (this.options.standby) files.push(["standby.signal", ""]);
        for (const [name, content] of files) {
            const file = path.join(this.dataDir, name);
            fs.writeFileSync(file, content, { mode: 0o600 });
            chownToServer(file);
        }
    }

    async isRunning(): Promise<boolean> {
        try {
            await runAsServer(path.join(PG_BIN, "pg_ctl"), ["-D", this.dataDir, "status"]);
            return true;
        } catch {
            return false;
        }
    }

    /** Starts the server and waits until it accepts connections (pg_ctl -w). */
    async start(): Promise<void> {
        if (await this.isRunning()) return;
        const startupLog = path.join(this.options.root, "startup.log");
        try {
            await runAsServer(path.join(PG_BIN, "pg_ctl"), [
                "-D",
                this.dataDir,
                "-l",
                startupLog,
                "-w",
                "-t",
                "120",
                "start",
            ]);
        } catch (error) {
            const log = fs.existsSync(startupLog)
                ? fs.readFileSync(startupLog, "utf8").split("\n").slice(-15).join("\n")
                : "";
            throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
        }
        await this.createDatabase(this.options.databaseName);
    }

    /** Reloads configuration (SIGHUP) after writeConfig(); static parameters still need restart(). */
    async reload(): Promise<void> {
        await runAsServer(path.join(PG_BIN, "pg_ctl"), ["-D", this.dataDir, "reload"]);
    }

    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }

    async stop(): Promise<void> {
        if (!(await this.isRunning())) return;
        await runAsServer(path.join(PG_BIN, "pg_ctl"), ["-D", this.dataDir, "-m", "fast", "-w", "stop"]);
    }

    /** Stops the server and deletes everything it owned. */
    async destroy(): Promise<void> {
        await this.stop();
        fs.rmSync(this.options.root, { recursive: true, force: true });
    }

    private async createDatabase(name: string): Promise<void> {
        const admin = this.client({ database: "postgres" });
        await admin.connect();
        try {
            const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
            if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
        } finally {
            await admin.end();
        }
    }

    /** Client settings for verify-full TLS against this cluster's CA. */
    connection(opts: { user?: string; password?: string; database?: string } = {}): ClientConfig {
        return {
            host: this.host,
            port: this.options.port,
            user: opts.user ?? this.options.superuser,
            password: opts.password ?? this.options.password,
            database: opts.database ?? this.options.databaseName,
            ssl: { ca: fs.readFileSync(this.tls.caCert, "utf8"), rejectUnauthorized: true, servername: "localhost" },
        };
    }

    /**
     * A libpq URL with sslmode=verify-full: host `localhost` (the certificate's name) on 127.0.0.1, else the address
     * (a standby's certificate names its own).
     */
    url(opts: { user?: string; password?: string; database?: string } = {}): string {
        const user = encodeURIComponent(opts.user ?? this.options.superuser);
        const password = encodeURIComponent(opts.password ?? this.options.password);
        const db = opts.database ?? this.options.databaseName;
        const host = this.host === "127.0.0.1" ? "localhost" : this.host;
        return `postgres://${user}:${password}@${host}:${this.options.port}/${db}?sslmode=verify-full&sslrootcert=${encodeURIComponent(this.tls.caCert)}`;
    }

    client(opts: { user?: string; password?: string; database?: string } = {}): Client {
        return new Client(this.connection(opts));
    }

    /** Runs SQL as the superuser and returns the rows. */
    async query<T extends Record<string, unknown> = Record<string, any>>(
        sql: string,
        params: unknown[] = [],
        database?: string,
    ): Promise<T[]> {
        const c = this.client({ database });
        await c.connect();
        try {
            return (await c.query(sql, params)).rows as T[];
        } finally {
            await c.end();
        }
    }

    /** The server's current log file (logging_collector), as an absolute path. */
    async currentLogFile(): Promise<string> {
        const [row] = await this.query<{ f: string }>("SELECT pg_current_logfile() AS f");
        return path.isAbsolute(row.f) ? row.f : path.join(this.dataDir, row.f);
    }

    /** Runs psql as the server user against this cluster over TLS. */
    async psql(args: readonly string[], opts: { input?: string; database?: string } = {}): Promise<string> {
        return run(
            path.join(PG_BIN, "psql"),
            ["-X", "-v", "ON_ERROR_STOP=1", "-d", this.url({ database: opts.database }), ...args],
            { input: opts.input },
        );
    }
}
