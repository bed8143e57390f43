/**
 * The failover drill's servers: a primary and a streaming standby on throwaway directories, PgBouncer in front of
 * the primary, and what the drill does to them: kill the primary's whole process tree (a lost host), promote the
 * standby, re-point PgBouncer, and bring the old primary back as a standby of the new one with pg_rewind.
 */
import * as fs from "fs";
import * as path from "path";
import { ADMIN_ROLE, ROLE } from "../../../postgres/roles/names";
import { PG_BIN, runAsServerWithOutput } from "../exec";
import { freePort, PgCluster } from "../local/cluster";
import { dbmate } from "../local/migrations";
import { LocalPgbouncer } from "../local/pgbouncerProcess";
import {
    ensureSlot,
    type StandbySpec,
    standbyOptions,
    startStandby,
    upstreamConninfo,
    waitStreaming,
    writePassfile,
} from "../local/standby";
import { databaseWithRoles, type RoleDatabase } from "../local/throwaway";

/** Two nodes that trade places: node1 starts as the primary on 127.0.0.1, node2 as its standby on 127.0.0.2. */
export interface DrillPair {
    readonly db: RoleDatabase;
    primary: PgCluster;
    primaryNode: StandbySpec;
    standby: PgCluster;
    standbyNode: StandbySpec;
    readonly bouncer: LocalPgbouncer;
    /** The tenant the writers write as. */
    readonly userId: string;
}

/** A migrated primary with one user, a caught-up standby, and PgBouncer (app and admin) in front of the primary. */
export async function drillPair(o: { fsync: boolean }): Promise<DrillPair> {
    const db = await databaseWithRoles(o.fsync ? {} : { overrides: { fsync: false } });
    await dbmate(db.url("migrator"), "migrate");
    const [{ id: userId }] = await db.cluster.query(
        "INSERT INTO app.users (email, display_name) VALUES ('writer@example.test', 'Drill writer') RETURNING id",
    );
    const root = db.cluster.options.root;
    const node1 = { name: "node1", address: "127.0.0.1", root };
    const node2 = { name: "node2", address: "127.0.0.2", root: path.join(root, "node2") };
    const standby = await startStandby(db.cluster, node2, db.passwords.replicator);
    await waitStreaming(db.cluster, "node2");
    const bouncer = await LocalPgbouncer.start({
        cluster: db.cluster,
        port: await freePort(),
        defaultPoolSize: 8,
        maxDbConnections: 16,
        maxClientConn: 100,
        users: [ROLE.app, ADMIN_ROLE],
        admin: { user: ADMIN_ROLE, password: db.cluster.options.password },
    });
    return { db, primary: db.cluster, primaryNode: node1, standby, standbyNode: node2, bouncer, userId };
}

/** Commits on `primary` wait until `name` has flushed them (FIRST 1); returns once it reports as sync. */
export async function requireSynchronous(primary: PgCluster, name: string): Promise<void> {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`standby name ${name}: lower case letters, digits, _`);
    await primary.query(`ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (${name})'`, [], "postgres");
    await primary.query("SELECT pg_reload_conf()", [], "postgres");
    const deadline = Date.now() + 30_000;
    while (
        (await primary.query("SELECT sync_state FROM pg_stat_replication WHERE application_name = $1", [name]))[0]
            ?.sync_state !== "sync"
    ) {
        if (Date.now() > deadline) throw new Error(`${name} did not become a synchronous standby within 30 s`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/**
 * SIGKILL to the postmaster and every process it started, at once: the host is gone, nothing shuts down. Returns
 * what to await before the data directory is used again (the processes reaped, its lock file free).
 */
export function killServer(cluster: PgCluster): { processes: number; gone: () => Promise<void> } {
    const postmaster = Number(fs.readFileSync(path.join(cluster.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = fs
        .readdirSync("/proc")
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
            try {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                const stat = fs.readFileSync(`/proc/${p}/stat`, "utf8");
                return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster;
            } catch {
                return false;
            }
        })
        .map(Number);
    const all = [postmaster, ...children];
    for (const pid of all) process.kill(pid, "SIGKILL");
    const alive = (pid: number) => {
        try {
            process.kill(pid, 0);
            return true;
        } catch {
            return false;
        }
    };
    const gone = async () => {
        const deadline = Date.now() + 30_000;
        while (all.some(alive)) {
            if (Date.now() > deadline)
                throw new Error(`processes ${all.filter(alive).join(", ")} outlived SIGKILL by 30 s`);
            await new Promise((r) => setTimeout(r, 10));
        }
    };
    return { processes: all.length, gone };
}

/** Re-points PgBouncer's database at `to` (rewrite and RELOAD). */
export async function repointBouncer(pair: DrillPair, to: PgCluster): Promise<void> {
    await pair.bouncer.repoint(
        pair.bouncer.databases.map((d) =>
            d.name === pair.db.cluster.options.databaseName ? { ...d, host: to.host, port: to.port } : d,
        ),
    );
}

/**
 * After a promotion (pair.standby is now the primary): the old primary rejoins as its standby: a slot for it,
 * pg_rewind (crash recovery first if it was killed; it rewinds only the blocks changed since the timelines forked),
 * its own configuration rendered again (pg_rewind copies the source's), then it starts and streams; the pair's roles
 * are swapped. Returns pg_rewind's seconds and verdict.
 */
export async function rejoinWithRewind(pair: DrillPair): Promise<{ seconds: number; said: string }> {
    const [oldPrimary, spec, newPrimary] = [pair.primary, pair.primaryNode, pair.standby];
    // A slot of the same name left from an earlier round names a position on the old timeline: start afresh.
    await newPrimary.query(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
        [spec.name],
        "postgres",
    );
    await ensureSlot(newPrimary, spec.name);
    // A promotion does not checkpoint; until one does, the control file pg_rewind reads still names timeline 1.
    await newPrimary.query("CHECKPOINT", [], "postgres");
    const adminPassfile = writePassfile(
        path.join(spec.root, "admin.pgpass"),
        ADMIN_ROLE,
        pair.db.cluster.options.password,
    );
    const source = upstreamConninfo(newPrimary, {
        user: ADMIN_ROLE,
        passfile: adminPassfile,
        caCert: oldPrimary.tls.caCert,
        dbname: "postgres",
    });
    const started = Date.now();
    const { stderr } = await runAsServerWithOutput(
        path.join(PG_BIN, "pg_rewind"),
        [`--target-pgdata=${oldPrimary.dataDir}`, `--source-server=${source}`],
        { cwd: spec.root },
    );
    const seconds = (Date.now() - started) / 1000;
    // "servers diverged at WAL location 0/3226240 on timeline 1", then "Done!" (or "no rewind required").
    const said = stderr
        .split("\n")
        .filter((l) => /diverged|no rewind required|Done!/.test(l))
        .map((l) => l.replace(/^pg_rewind: /, ""))
        .join("; ");
    fs.rmSync(adminPassfile);
    const passfile = writePassfile(
        path.join(spec.root, "replication.pgpass"),
        ROLE.replicator,
        pair.db.passwords.replicator,
    );
    const rejoined = await PgCluster.create(standbyOptions(newPrimary, spec, passfile));
    await rejoined.start();
    await waitStreaming(newPrimary, spec.name);
    [pair.primary, pair.primaryNode, pair.standby, pair.standbyNode] = [newPrimary, pair.standbyNode, rejoined, spec];
    return { seconds, said };
}
