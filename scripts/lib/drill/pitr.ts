/**
 * The PITR drill: seed, full backup, marker rows, T, more rows, restore to T into a new data directory, verify with
 * the same checks the AWS restore-testing Lambda runs (postgres/health/restoreValidation.ts), report RTO.
 * Everything runs on its own throwaway cluster and repository, so the drill can run anywhere, CI included.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { postgresSettings } from "../../../postgres/settings";
import { fingerprint, type Fingerprint, judge, type Verdict } from "../../../postgres/health/restoreValidation";
import { applyRoleModel } from "../local/bootstrap";
import { freePort, PgCluster } from "../local/cluster";
import { dbmate } from "../local/migrations";
import { Pgbackrest } from "../local/pgbackrest";
import { loadSeed } from "../seed/load";
import { committedStack, LOGIN_ROLE_KEYS } from "../local/throwaway";

export interface DrillReport {
    readonly users: number;
    readonly rowsSeeded: number;
    readonly databaseBytes: number;
    readonly backupSeconds: number;
    readonly backupRepoBytes: number;
    /** Restore command start to a promoted, queryable server. */
    readonly rtoSeconds: number;
    readonly restorePoint: string;
    readonly markersBefore: number;
    readonly markersAfter: number;
    readonly verdict: Verdict;
    readonly verifyClean: boolean;
}

const MARKERS = 10;

export interface DrillOptions {
    readonly users: number;
    readonly tasksPerUser: number;
    readonly keep?: boolean;
    readonly progress: (line: string) => void;
}

const secret = (bytes: number) => crypto.randomBytes(bytes).toString("base64url");
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Roles, migrations, the repository's stanza, then seeded data; returns the number of rows seeded. */
async function prepareSource(source: PgCluster, repo: Pgbackrest, o: DrillOptions): Promise<number> {
    const stack = committedStack("dev");
    const passwords = Object.fromEntries(LOGIN_ROLE_KEYS.map((k) => [k, secret(18)]));
    await applyRoleModel(source.connection(), stack.databaseName, stack.instanceClass, passwords);
    await dbmate(source.url({ user: "metacortex_migrator", password: passwords.migrator }), "migrate");
    await repo.init();
    o.progress(`drill: seeding ${o.users} users`);
    const asOf = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const { counts } = await loadSeed(source.connection(), {
        users: o.users,
        tasksPerUser: o.tasksPerUser,
        checkinDays: 30,
        asOf,
        seed: "drill",
    });
    return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Waits until the WAL segment `wal` is in the repository (60 s at most). */
async function waitArchived(admin: Client, wal: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
        const [s] = (await admin.query("SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver")).rows;
        if (s.last_archived_wal && s.last_archived_wal >= wal) return;
        if (Date.now() > deadline)
            throw new Error(
                `WAL ${wal} was not archived within 60 s (last archived ${s.last_archived_wal}, last failed ${s.last_failed_wal})`,
            );
        await pause(100);
    }
}

const insertMarkers = async (admin: Client, user: string, kind: "before" | "after") => {
    for (let i = 0; i < MARKERS; i++)
        await admin.query("INSERT INTO app.tasks (user_id, title) VALUES ($1, $2)", [user, `drill-${kind}-${i}`]);
};

/**
 * Marker rows, then T (the source's fingerprint at T is what the restore must match), then rows after T, and the
 * WAL holding T archived. pgBackRest records a backup's stop time in whole seconds and restores to T only from a
 * backup that stopped before T, so T is chosen once the server's clock is past the recorded stop second.
 */
async function markRestorePoint(source: PgCluster, repo: Pgbackrest, o: DrillOptions) {
    const admin = new Client(source.connection());
    await admin.connect();
    try {
        const stop = Math.max(...(await repo.info()).map((b) => b.stop));
        while ((await admin.query("SELECT extract(epoch FROM clock_timestamp()) AS now")).rows[0].now <= stop + 1)
            await pause(50);
        const [{ id: user }] = (await admin.query("SELECT id FROM app.users ORDER BY id LIMIT 1")).rows;
        await insertMarkers(admin, user, "before");
        const expected = await fingerprint(admin);
        // PostgreSQL's own text form (what pgBackRest's --target takes), in UTC with microseconds.
        const point: string = (
            await admin.query(
                "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS t",
            )
        ).rows[0].t;
        o.progress(`drill: restore point T = ${point}; writing rows after T`);
        await insertMarkers(admin, user, "after");
        // Close the WAL segment holding T and wait until it is in the repository.
        const [{ wal }] = (await admin.query("SELECT pg_walfile_name(pg_switch_wal()) AS wal")).rows;
        await waitArchived(admin, wal);
        return { point, expected };
    } finally {
        await admin.end();
    }
}

/** Waits until the restored server has left recovery (promoted), 5 minutes at most. */
async function waitPromoted(restored: PgCluster): Promise<void> {
    const ready = Date.now() + 300_000;
    while ((await restored.query("SELECT pg_is_in_recovery() AS r"))[0].r) {
        if (Date.now() > ready) throw new Error("the restored server did not finish recovery within 5 minutes");
        await pause(100);
    }
}

/** The restore validation's verdict on the restored server, plus the marker rows before and after T. */
async function verifyRestore(restored: PgCluster, expected: Fingerprint, point: string) {
    const check = new Client(restored.connection());
    await check.connect();
    try {
        let verdict: Verdict = judge(await fingerprint(check), {
            source: expected,
            exactCounts: true,
            restorePoint: new Date(point.replace(" ", "T").replace("+00", "Z")),
            maxLagSeconds: 60,
            nonEmpty: ["app.users", "app.tasks"],
        });
        const [{ before, after }] = (
            await check.query(`SELECT count(*) FILTER (WHERE title LIKE 'drill-before-%')::int AS before,
                                                         count(*) FILTER (WHERE title LIKE 'drill-after-%')::int AS after FROM app.tasks`)
        ).rows as { before: number; after: number }[];
        const problems = [
            ...(before !== MARKERS ? [`${before} of ${MARKERS} rows committed before T are present`] : []),
            ...(after !== 0 ? [`${after} rows committed after T are present`] : []),
        ];
        if (problems.length) verdict = { ok: false, problems: [...verdict.problems, ...problems] };
        return { verdict, before, after };
    } finally {
        await check.end();
    }
}

/** pgbackrest verify on the repository, and the size of its newest backup. */
async function verifyRepository(repo: Pgbackrest, o: DrillOptions) {
    o.progress("drill: pgbackrest verify");
    let verifyClean = true;
    await repo.verify().catch(() => (verifyClean = false));
    const info = await repo.info();
    return { verifyClean, backupRepoBytes: info[info.length - 1]?.repoSize ?? 0 };
}

/** The drill's own repository under `root`, and what the source and restored clusters share (dev's settings). */
function drillSetup(root: string) {
    const stack = committedStack("dev");
    const settings = postgresSettings({
        environment: "dev",
        instanceClass: stack.instanceClass,
        databaseName: stack.databaseName,
    });
    const repo = new Pgbackrest({ root: path.join(root, "pgbackrest"), cipherPass: secret(32) });
    const common = { superuser: "metacortex_admin", password: secret(18), databaseName: stack.databaseName, settings };
    return { repo, common };
}

export async function runPitrDrill(o: DrillOptions): Promise<DrillReport> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-drill-"));
    fs.chmodSync(root, 0o711); // the server user traverses it to reach its own directories inside
    const { repo, common } = drillSetup(root);
    const source = await PgCluster.create({
        ...common,
        root: path.join(root, "source"),
        port: await freePort(),
        archiveCommand: repo.archiveCommand,
        header: "PITR drill source",
    });
    let restored: PgCluster | undefined;
    try {
        repo.configure(source);
        await source.start();
        const rowsSeeded = await prepareSource(source, repo, o);
        o.progress("drill: full backup");
        let started = Date.now();
        await repo.backup("full");
        const backupSeconds = (Date.now() - started) / 1000;
        const { point, expected } = await markRestorePoint(source, repo, o);
        const databaseBytes = Number((await source.query("SELECT pg_database_size(current_database()) AS b"))[0].b);
        o.progress("drill: restoring to T into a new data directory");
        started = Date.now();
        const restoredRoot = path.join(root, "restored");
        await repo.restoreToTime(path.join(restoredRoot, "data"), point);
        restored = await PgCluster.create({
            ...common,
            root: restoredRoot,
            port: await freePort(),
            header: "PITR drill restore",
        });
        await restored.start();
        await waitPromoted(restored);
        const rtoSeconds = (Date.now() - started) / 1000;
        const { verdict, before, after } = await verifyRestore(restored, expected, point);
        const { verifyClean, backupRepoBytes } = await verifyRepository(repo, o);
        return {
            users: o.users,
            rowsSeeded,
            databaseBytes,
            backupSeconds,
            backupRepoBytes,
            rtoSeconds,
            restorePoint: point,
            markersBefore: before,
            markersAfter: after,
            verdict,
            verifyClean,
        };
    } finally {
        await restored?.stop().catch(() => undefined);
        await source.stop().catch(() => undefined);
        if (!o.keep) fs.rmSync(root, { recursive: true, force: true });
    }
}
