/**
 * `npm run local`: a real PostgreSQL 15 under .local/, configured exactly as the dev stack configures Docker (and
 * prod RDS, where RDS allows): the same rendered settings, TLS with a local CA, SCRAM only. Writes
 * .local/connections.json. Idempotent: re-running applies changed settings (restarting only when a static one
 * changed). Standbys: the dev stack's `readReplicas`, or `--replicas N`; the readonly pool reads from them.
 * `npm run local -- --stop` stops everything; `--status` reports; `--reset` deletes the local data.
 */
import * as fs from "fs";
import * as path from "path";
import { loginRoles, roleModel } from "../postgres/roles/model";
import { applyRoleModel } from "./lib/local/bootstrap";
import { appliedVersions, dbmate } from "./lib/local/migrations";
import { freePort, type PgCluster } from "./lib/local/cluster";
import { LocalPgbouncer } from "./lib/local/pgbouncerProcess";
import { ensureLocalStandbys, localReplicaCount, stopLocalStandbys } from "./lib/local/localStandbys";
import { DEBIAN_PGBOUNCER } from "../postgres/pooling/pgbouncerIni";
import { poolDatabases, readPoolName } from "../postgres/pooling/readPool";
import { poolSizing } from "../postgres/pooling/poolSizing";
import { sizeFor } from "../postgres/settings/sizing";
import { instanceClass } from "../postgres/instanceClasses";
import { main, parseFlags, step, table, UsageError } from "./lib/cli";
import { localBackupRepo, openLocalCluster } from "./lib/local/localCluster";
import { localStatus } from "./lib/local/localStatus";
import { resetLocal } from "./lib/local/reset";
import {
    devStackConfig,
    LOCAL_DIR,
    localSecret,
    readState,
    writeConnections,
    writeState,
    type Connections,
} from "./lib/local/localEnv";

const USAGE = "npm run local [-- --replicas N | --stop | --status | --reset [--yes]]";

type LocalConfig = ReturnType<typeof devStackConfig>;

/** Starts the server, or applies the configuration to a running one (restarting only for a static setting). */
async function bootServer(cluster: PgCluster): Promise<void> {
    const wasRunning = await cluster.isRunning();
    await step(
        wasRunning
            ? `applying configuration to the running server on port ${cluster.port}`
            : `starting PostgreSQL on 127.0.0.1:${cluster.port}`,
        async () => {
            if (!wasRunning) return cluster.start();
            await cluster.reload();
            const pending = await cluster.query("SELECT name FROM pg_settings WHERE pending_restart");
            if (pending.length > 0) await cluster.restart();
        },
    );
}

/** Roles from the role model, then the migrations as the migrator; the versions before and after. */
async function rolesAndMigrations(cluster: PgCluster, config: LocalConfig) {
    const model = roleModel(config.databaseName, config.instanceClass);
    const passwords: Record<string, string> = {};
    for (const role of loginRoles(model)) passwords[role.key] = localSecret(role.key);
    passwords.replicator = localSecret("replicator");
    await step(`roles, schemas, extensions and grants (${model.roles.length} roles)`, () =>
        applyRoleModel(cluster.connection(), config.databaseName, config.instanceClass, passwords),
    );
    const migratorUrl = cluster.url({
        user: model.roles.find((r) => r.key === "migrator")!.name,
        password: passwords.migrator,
    });
    const before = (await appliedVersions(migratorUrl)).length;
    await step("migrations (sql/migrations, as the migrator)", () => dbmate(migratorUrl, "migrate"));
    return { model, passwords, before, versions: await appliedVersions(migratorUrl) };
}

/** Standbys streaming from the primary: built with pg_basebackup the first time, removed when fewer are asked for. */
async function startStandbys(cluster: PgCluster, count: number): Promise<PgCluster[]> {
    if (count === 0) return ensureLocalStandbys(cluster, 0);
    return step(
        `${count} standby(s) streaming on ${count === 1 ? "127.0.0.2" : `127.0.0.2 to 127.0.0.${count + 1}`}:${cluster.port} (pg_basebackup over TLS, one slot each)`,
        () => ensureLocalStandbys(cluster, count),
    );
}

/** PgBouncer on the port it had before (or a free one), pools sized from the dev class's budget. */
async function startPgbouncer(
    cluster: PgCluster,
    config: LocalConfig,
    standbys: readonly PgCluster[],
): Promise<number> {
    const sizing = poolSizing(sizeFor(instanceClass(config.instanceClass)).connectionBudget, 1);
    const state = readState();
    const bouncerPort = state.pgbouncerPort ?? (await freePort());
    writeState({ ...state, pgbouncerPort: bouncerPort });
    await step(
        `PgBouncer on 127.0.0.1:${bouncerPort} (transaction pooling, pool ${sizing.poolSize.metacortex_app} + ${sizing.poolSize.metacortex_readonly})`,
        () =>
            LocalPgbouncer.start({
                cluster,
                port: bouncerPort,
                defaultPoolSize: sizing.poolSize.metacortex_app,
                maxDbConnections: sizing.perReplica,
                maxClientConn: 500,
                // The monitor role is the stats user (SHOW POOLS on the admin console), as in prod.
                users: ["metacortex_app", "metacortex_readonly", "metacortex_monitor"],
                userLimits: { metacortex_readonly: sizing.poolSize.metacortex_readonly },
                databases: poolDatabases(
                    config.databaseName,
                    cluster,
                    standbys.map((s, i) => ({ name: `standby${i + 1}`, host: s.host, port: s.port })),
                    DEBIAN_PGBOUNCER,
                ),
            }),
    );
    return bouncerPort;
}

/**
 * connections.json: the server, and a verify-full URL per login role, direct and (app, readonly) pooled; readonly's
 * pooled URL names the read pool (the standbys, or the primary without one). Each standby with its admin URL.
 */
function connectionsFor(
    cluster: PgCluster,
    database: string,
    urls: Record<string, string>,
    bouncerPort: number,
    standbys: readonly PgCluster[],
) {
    const connections: Connections = {
        generatedAt: new Date().toISOString(),
        server: {
            host: "localhost",
            port: cluster.port,
            database,
            caCert: cluster.tls.caCert,
            sslmode: "verify-full",
            dataDir: cluster.dataDir,
            logDir: path.join(cluster.dataDir, "log"),
        },
        urls: { admin: cluster.url(), ...urls },
    };
    // Through PgBouncer (transaction pooling: SET LOCAL only, no session state).
    for (const key of ["app", "readonly"])
        connections.urls[`${key}_pooled`] = connections.urls[key].replace(`:${cluster.port}/`, `:${bouncerPort}/`);
    connections.urls.readonly_pooled = connections.urls.readonly_pooled.replace(
        `/${database}?`,
        `/${readPoolName(database)}?`,
    );
    connections.standbys = standbys.map((s, i) => ({
        name: `standby${i + 1}`,
        host: s.host,
        port: s.port,
        dataDir: s.dataDir,
        logDir: path.join(s.dataDir, "log"),
        url: s.url(),
    }));
    return connections;
}

interface Summary {
    readonly cluster: PgCluster;
    readonly config: LocalConfig;
    readonly info: Record<string, unknown>;
    readonly versions: readonly string[];
    readonly before: number;
    readonly roles: readonly string[];
    readonly bouncerPort: number;
    readonly repoRoot: string;
    readonly standbys: readonly PgCluster[];
}

/** The summary table's rows: server, sizing, migrations, roles, pooling, backups and how to connect. */
function summaryRows(s: Summary): string[][] {
    const { cluster, config, info, versions } = s;
    const connectionsFile = path.relative(process.cwd(), path.join(LOCAL_DIR, "connections.json"));
    return [
        ["server", String(info.version).split(" on ")[0]],
        ["listening", `localhost:${cluster.port} (TLS ${info.ssl}, SCRAM only, no trust)`],
        [
            "sized as",
            `${config.instanceClass}: shared_buffers ${info.shared_buffers}, max_connections ${info.max_connections}`,
        ],
        [
            "database",
            `${config.databaseName}: ${versions.length} migrations applied (${versions.length - s.before} new), at ${versions[versions.length - 1] ?? "none"}`,
        ],
        ["login roles", `${s.roles.join(", ")} and the admin (URLs in connections.json)`],
        ["pooling", `PgBouncer localhost:${s.bouncerPort} (urls app_pooled, readonly_pooled); docs/pooling.md`],
        [
            "standbys",
            s.standbys.length === 0
                ? "none (readonly_pooled reads from the primary); npm run local -- --replicas N"
                : `${s.standbys.map((x) => `${x.host}:${x.port}`).join(", ")} streaming; readonly_pooled reads from ${s.standbys[0].host}`,
        ],
        [
            "backups",
            `WAL archived to ${s.repoRoot}/repo (AES-256); npm run backup [-- --type full|diff|incr | --verify]`,
        ],
        ["CA", cluster.tls.caCert],
        ["data", cluster.dataDir],
        ["connections", `${connectionsFile} (URLs per role, sslmode=verify-full)`],
        ["psql", `psql "$(node -p 'require("./.local/connections.json").urls.admin')"`],
        ["stop", "npm run local -- --stop"],
    ];
}

async function start(replicas: number): Promise<void> {
    const config = devStackConfig();
    console.log(`local: PostgreSQL 15 for MetaCortex, configured as the dev stack (${config.instanceClass})`);
    const cluster = await step("certificates, data directory and rendered configuration", openLocalCluster);
    await bootServer(cluster);
    const { model, passwords, before, versions } = await rolesAndMigrations(cluster, config);
    const repo = localBackupRepo(cluster);
    await step("WAL archiving to the encrypted pgBackRest repository (stanza-create, check)", () => repo.init());
    const standbys = await startStandbys(cluster, replicas);
    const bouncerPort = await startPgbouncer(cluster, config, standbys);
    const [info] = await cluster.query(
        "SELECT version() AS version, current_setting('ssl') AS ssl, current_setting('shared_buffers') AS shared_buffers, current_setting('max_connections') AS max_connections",
    );
    const logins = loginRoles(model);
    const urls = Object.fromEntries(
        logins.map((role) => [role.key, cluster.url({ user: role.name, password: passwords[role.key] })]),
    );
    writeConnections(connectionsFor(cluster, config.databaseName, urls, bouncerPort, standbys));
    const rows = summaryRows({
        cluster,
        config,
        info,
        versions,
        before,
        roles: logins.map((r) => r.key),
        bouncerPort,
        repoRoot: repo.options.root,
        standbys,
    });
    console.log(`\n${table(["", ""], rows).split("\n").slice(2).join("\n")}`);
}

main("local", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            replicas: { type: "string" },
            stop: { type: "boolean" },
            status: { type: "boolean" },
            reset: { type: "boolean" },
            yes: { type: "boolean" },
        },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    if (values.reset) return resetLocal(Boolean(values.yes));
    if (values.stop) {
        const root = readState().clusterRoot;
        if (!root || !fs.existsSync(path.join(root, "data", "PG_VERSION"))) {
            console.log("local: nothing to stop (no local cluster yet)");
            return;
        }
        const cluster = await openLocalCluster();
        const bouncerPort = readState().pgbouncerPort;
        if (bouncerPort) await step("stopping PgBouncer", () => LocalPgbouncer.of(cluster, bouncerPort).stop());
        await step("stopping the standbys", () => stopLocalStandbys(cluster));
        await step("stopping PostgreSQL", () => cluster.stop());
        return;
    }
    if (values.status) return localStatus();
    await start(localReplicaCount(values.replicas));
});
