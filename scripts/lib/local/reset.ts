/**
 * `npm run local -- --reset [--yes]`: deletes the local environment's data. It shows what it is about to delete (the
 * server, its database and rows) and asks first, or takes --yes; then stops PgBouncer, the standbys and PostgreSQL,
 * deletes the cluster directory (the standbys' with it) and the files that point at it (state, connections.json),
 * keeping the generated secrets.
 */
import * as fs from "fs";
import * as path from "path";
import { step } from "../cli";
import { confirmDestructive, type DestructiveTarget, liveRows } from "../confirm";
import { CONNECTIONS_FILE, readConnections, readState, writeState } from "./localEnv";
import { openLocalCluster } from "./localCluster";
import { stopLocalStandbys } from "./localStandbys";
import { LocalPgbouncer } from "./pgbouncerProcess";

/** What the reset destroys: the running server's database and rows, or the stopped one's directory. */
async function resetTarget(root: string, running: boolean): Promise<DestructiveTarget> {
    const connections = readConnections();
    const fallback = {
        host: "localhost",
        port: readState().port ?? 0,
        database: connections?.server.database ?? "metacortex",
    };
    if (!running || !connections?.urls.admin) return { ...fallback, note: `server stopped; deletes ${root}` };
    const target = await liveRows(connections.urls.admin).catch(() => fallback);
    return { ...target, note: `deletes ${root}` };
}

/** Removes the files that describe a cluster that no longer exists. */
function forgetCluster(): void {
    fs.rmSync(CONNECTIONS_FILE, { force: true });
    writeState({});
}

export async function resetLocal(yes: boolean): Promise<void> {
    const root = readState().clusterRoot;
    if (!root || !fs.existsSync(path.join(root, "data", "PG_VERSION"))) {
        forgetCluster();
        console.log("local: nothing to reset (no local cluster)");
        return;
    }
    const cluster = await openLocalCluster();
    const running = await cluster.isRunning();
    await confirmDestructive("delete the local environment", await resetTarget(root, running), {
        yes,
        interactive: Boolean(process.stdin.isTTY),
    });
    const bouncerPort = readState().pgbouncerPort;
    if (bouncerPort) await step("stopping PgBouncer", () => LocalPgbouncer.of(cluster, bouncerPort).stop());
    // Before the directory goes: a standby left running would hold its deleted data directory open.
    await step("stopping the standbys", () => stopLocalStandbys(cluster));
    await step("stopping PostgreSQL", () => cluster.stop());
    await step(`deleting ${root}`, async () => fs.rmSync(root, { recursive: true, force: true }));
    forgetCluster();
    console.log("local: reset; npm run local starts a new one");
}
