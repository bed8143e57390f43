/**
 * pgBackRest for the local environment and the drill: an encrypted repository (AES-256), WAL archiving from the
 * server (archive_command = archive-push), full/differential/incremental backups with retention, verify, and restore
 * to a point in time into a new data directory. Runs as the server user, like the server.
 */
import * as fs from "fs";
import * as path from "path";
import { chownToServer, runAsServer } from "../exec";
import type { PgCluster } from "./cluster";

export const STANZA = "metacortex";

export interface RepoOptions {
    /** Directory for the repository, logs, locks and config; created and given to the server user. */
    readonly root: string;
    readonly cipherPass: string;
    /** Full backups kept (older fulls and their differentials, incrementals and WAL expire). Default 2. */
    readonly retentionFull?: number;
    /** Differential backups kept. Default 6. */
    readonly retentionDiff?: number;
}

/** Pure: pgbackrest.conf. */
export function renderPgbackrestConf(o: {
    repoPath: string;
    logPath: string;
    lockPath: string;
    cipherPass: string;
    retentionFull: number;
    retentionDiff: number;
    pgPath: string;
    pgPort: number;
    pgSocket: string;
    pgUser: string;
}): string {
    return [
        "# Rendered by scripts/lib/local/pgbackrest.ts; do not edit.",
        "[global]",
        `repo1-path=${o.repoPath}`,
        "repo1-cipher-type=aes-256-cbc",
        `repo1-cipher-pass=${o.cipherPass}`,
        `repo1-retention-full=${o.retentionFull}`,
        `repo1-retention-diff=${o.retentionDiff}`,
        "compress-type=zst",
        "start-fast=y",
        "archive-check=y",
        `log-path=${o.logPath}`,
        `lock-path=${o.lockPath}`,
        "log-level-console=warn",
        "",
        `[${STANZA}]`,
        `pg1-path=${o.pgPath}`,
        `pg1-port=${o.pgPort}`,
        `pg1-socket-path=${o.pgSocket}`,
        `pg1-user=${o.pgUser}`,
        "",
    ].join("\n");
}

export class Pgbackrest {
    readonly conf: string;
    private readonly pgpass: string;

    constructor(readonly options: RepoOptions) {
        this.conf = path.join(options.root, "pgbackrest.conf");
        this.pgpass = path.join(options.root, "pgpass");
    }

    /** The server's archive_command for this repository. */
    get archiveCommand(): string {
        return `pgbackrest --config=${this.conf} --stanza=${STANZA} archive-push %p`;
    }

    /** Writes the configuration for `cluster` (and the pgpass file its backups log in with). */
    configure(cluster: PgCluster): void {
        const { root } = this.options;
        for (const dir of [root, path.join(root, "repo"), path.join(root, "log"), path.join(root, "lock")]) {
            fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
            chownToServer(dir);
        }
        const files: Array<[string, string]> = [
            [
                this.conf,
                renderPgbackrestConf({
                    repoPath: path.join(root, "repo"),
                    logPath: path.join(root, "log"),
                    lockPath: path.join(root, "lock"),
                    cipherPass: this.options.cipherPass,
                    retentionFull: this.options.retentionFull ?? 2,
                    retentionDiff: this.options.retentionDiff ?? 6,
                    pgPath: cluster.dataDir,
                    pgPort: cluster.port,
                    pgSocket: cluster.socketDir,
                    pgUser: cluster.options.superuser,
                }),
            ],
            [
                this.pgpass,
                `*:${cluster.port}:*:${cluster.options.superuser}:${cluster.options.password.replace(/([:\\])/g, "\\$1")}\n`,
            ],
        ];
        for (const [file, content] of files) {
            fs.writeFileSync(file, content, { mode: 0o600 });
            chownToServer(file);
        }
    }

    run(args: readonly string[]): Promise<string> {
        return runAsServer("pgbackrest", [`--config=${this.conf}`, `--stanza=${STANZA}`, ...args], {
            env: { ...process.env, PGPASSFILE: this.pgpass },
        });
    }

    /** Creates the stanza if missing, then checks that archiving works end to end. */
    async init(): Promise<void> {
        await this.run(["stanza-create"]);
        await this.run(["check"]);
    }

    backup(type: "full" | "diff" | "incr"): Promise<string> {
        return this.run([`--type=${type}`, "backup"]);
    }

    verify(): Promise<string> {
        return this.run(["verify"]);
    }

    /** Backups in the repository: database size, repository size of the backup set, and what this backup added. */
    async info(): Promise<
        Array<{
            label: string;
            type: string;
            start: number;
            stop: number;
            size: number;
            repoSize: number;
            repoDelta: number;
        }>
    > {
        const json = JSON.parse(await this.run(["--output=json", "info"]));
        return (json[0]?.backup ?? []).map((b: any) => ({
            label: b.label,
            type: b.type,
            start: b.timestamp.start,
            stop: b.timestamp.stop,
            size: b.info.size,
            repoSize: b.info.repository.size,
            repoDelta: b.info.repository.delta,
        }));
    }

    /** Restores into an empty directory, replaying WAL to `target` (an ISO time), then promotes. */
    async restoreToTime(targetDir: string, target: string): Promise<void> {
        for (const dir of [path.dirname(targetDir), targetDir]) {
            fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
            chownToServer(dir);
        }
        await this.run([
            `--pg1-path=${targetDir}`,
            "--type=time",
            `--target=${target}`,
            "--target-action=promote",
            "restore",
        ]);
    }
}
