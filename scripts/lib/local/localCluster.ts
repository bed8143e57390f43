/** The local environment's cluster and backup repository, as `npm run local` and `npm run backup` open them. */
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { postgresSettings } from "../../../postgres/settings";
import { freePort, PgCluster } from "./cluster";
import { serverCanTraverse } from "../exec";
import { devStackConfig, LOCAL_DIR, localSecret, readState, REPO, writeState } from "./localEnv";
import { Pgbackrest } from "./pgbackrest";

const SUPERUSER = "metacortex_admin";

/** Where the cluster lives: .local/cluster, unless the server user cannot reach it (root with a private checkout). */
async function clusterRoot(): Promise<string> {
    const saved = readState().clusterRoot;
    if (saved) return saved;
    fs.mkdirSync(LOCAL_DIR, { recursive: true, mode: 0o700 });
    const inRepo = path.join(LOCAL_DIR, "cluster");
    if (process.getuid?.() !== 0) return inRepo;
    // As root the server runs as `postgres`, which must traverse every parent directory.
    fs.chmodSync(LOCAL_DIR, 0o711);
    if (await serverCanTraverse(LOCAL_DIR)) return inRepo;
    const id = crypto.createHash("sha256").update(REPO).digest("hex").slice(0, 10);
    return path.join("/var/tmp", `metacortex-local-${id}`);
}

function portIsFree(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer().once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

/** The local pgBackRest repository (encrypted with a generated passphrase kept in .local/secrets.json). */
export function localBackupRepo(cluster: PgCluster): Pgbackrest {
    const repo = new Pgbackrest({
        root: path.join(cluster.options.root, "pgbackrest"),
        cipherPass: localSecret("pgbackrest-cipher"),
        retentionFull: 2,
        retentionDiff: 6,
    });
    repo.configure(cluster);
    return repo;
}

/** Opens (creating if needed) the local cluster with the dev stack's settings and WAL archiving to pgBackRest. */
export async function openLocalCluster(): Promise<PgCluster> {
    const config = devStackConfig();
    const root = await clusterRoot();
    const state = readState();
    const existing = fs.existsSync(path.join(root, "data", "postmaster.pid"));
    const port = state.port && (existing || (await portIsFree(state.port))) ? state.port : await freePort();
    writeState({ ...state, port, clusterRoot: root });
    const archiveCommand = new Pgbackrest({ root: path.join(root, "pgbackrest"), cipherPass: "" }).archiveCommand;
    return PgCluster.create({
        root,
        port,
        superuser: SUPERUSER,
        password: localSecret("admin"),
        databaseName: config.databaseName,
        settings: postgresSettings({
            environment: "dev",
            instanceClass: config.instanceClass,
            databaseName: config.databaseName,
        }),
        archiveCommand,
        header: `MetaCortex PostgreSQL 15, local environment (dev stack settings, sized as ${config.instanceClass})`,
    });
}
