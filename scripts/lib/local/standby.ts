/**
 * Streaming standbys of a local or throwaway primary: each built with pg_basebackup over TLS (verify-full) as the
 * replication role, with its own physical replication slot, listening on its own loopback address (127.0.0.2 and up)
 * on the primary's port, with a certificate from the primary's CA. Promotion and rejoining (pg_rewind) are here too.
 */
import * as fs from "fs";
import * as path from "path";
import { passfileLine, upstreamConninfo } from "../../../postgres/network/conninfo";
import { ROLE } from "../../../postgres/roles/names";
import { standbySettings } from "../../../postgres/settings";
import { chownToServer, PG_BIN, runAsServer } from "../exec";
import { PgCluster } from "./cluster";

export { upstreamConninfo };

export interface StandbySpec {
    /** Its name: application_name on the primary, and its slot's name. */
    readonly name: string;
    /** The loopback address it listens on (127.0.0.2 and up). */
    readonly address: string;
    /** Directory it owns (data, tls, run). */
    readonly root: string;
}

/** Pure: the address of the `index`-th standby (0-based): 127.0.0.2, 127.0.0.3, ... */
export function standbyAddress(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index > 250) throw new Error(`standby index ${index}: 0 to 250`);
    return `127.0.0.${index + 2}`;
}

/** Writes a passfile (`*:*:*:user:password`) the server user owns, 0600. */
export function writePassfile(file: string, user: string, password: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, passfileLine(user, password), { mode: 0o600 });
    chownToServer(file);
    return file;
}

/**
 * Creates the physical slot on the primary if it is missing, holding WAL from now on (immediately_reserve): the
 * base backup streams through it, and a primary that crashes keeps, through the slot saved at its last checkpoint,
 * the WAL pg_rewind reads back to that checkpoint when it later rejoins.
 */
export async function ensureSlot(primary: PgCluster, name: string): Promise<void> {
    await primary.query(
        "SELECT pg_create_physical_replication_slot($1, true) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)",
        [name],
        "postgres",
    );
}

/** The options a standby of `primary` is created with (also after pg_rewind turns an old primary into one). */
export function standbyOptions(primary: PgCluster, spec: StandbySpec, passfile: string) {
    const own = standbySettings();
    const names = new Set(own.map((s) => s.name));
    return {
        ...primary.options,
        // The primary's settings, and the rows every standby gets (hot_standby_feedback, the conflict delays).
        settings: [...primary.options.settings.filter((s) => !names.has(s.name)), ...own],
        root: spec.root,
        listenAddress: spec.address,
        port: primary.port,
        archiveCommand: undefined,
        ca: { caCert: primary.tls.caCert, caKey: primary.tls.caKey },
        standby: {
            primaryConninfo: upstreamConninfo(primary, {
                user: ROLE.replicator,
                passfile,
                caCert: path.join(spec.root, "tls", "ca.crt"),
                applicationName: spec.name,
            }),
            slotName: spec.name,
        },
        header: `standby ${spec.name} of ${primary.host}:${primary.port}`,
    };
}

/**
 * Builds (when its data directory is missing) and starts a standby of `primary`: slot first, then pg_basebackup
 * streaming WAL through that slot, so nothing between the backup and the first connection is lost.
 */
export async function startStandby(primary: PgCluster, spec: StandbySpec, replicatorPassword: string) {
    // The server user reads the passfile from here, so it must own every directory made on the way.
    for (const dir of [path.dirname(spec.root), spec.root]) {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        chownToServer(dir);
    }
    const passfile = writePassfile(path.join(spec.root, "replication.pgpass"), ROLE.replicator, replicatorPassword);
    const dataDir = path.join(spec.root, "data");
    await ensureSlot(primary, spec.name);
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
        const conninfo = upstreamConninfo(primary, {
            user: ROLE.replicator,
            passfile,
            caCert: primary.tls.caCert,
            applicationName: `${spec.name}_basebackup`,
        });
        await runAsServer(path.join(PG_BIN, "pg_basebackup"), [
            ...["-D", dataDir, "-d", conninfo, "-X", "stream", "-S", spec.name, "-c", "fast", "-w"],
            ...(primary.fsyncOff ? ["--no-sync"] : []),
        ]);
    }
    const standby = await PgCluster.create(standbyOptions(primary, spec, passfile));
    await standby.start();
    return standby;
}

/** Waits until the primary sees `name` streaming (and, if asked, replayed up to the primary's current WAL). */
export async function waitStreaming(primary: PgCluster, name: string, caughtUp = true, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const [r] = await primary.query(
            `SELECT state, replay_lsn >= pg_current_wal_lsn() AS caught_up FROM pg_stat_replication WHERE application_name = $1`,
            [name],
            "postgres",
        );
        if (r?.state === "streaming" && (!caughtUp || r.caught_up)) return;
        if (Date.now() > deadline)
            throw new Error(
                `standby ${name} is not streaming after ${timeoutMs / 1000} s (state ${r?.state ?? "absent"})`,
            );
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** Promotes a standby and waits until it accepts writes (pg_ctl promote -w). */
export async function promote(standby: PgCluster): Promise<void> {
    await runAsServer(path.join(PG_BIN, "pg_ctl"), ["-D", standby.dataDir, "-w", "-t", "60", "promote"]);
}

/** Stops a standby, drops its slot on the primary (if the primary is up), and deletes its directory. */
export async function removeStandby(primary: PgCluster | undefined, standby: PgCluster, name: string) {
    await standby.stop();
    if (primary && (await primary.isRunning()))
        await primary.query(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
            [name],
            "postgres",
        );
    fs.rmSync(standby.options.root, { recursive: true, force: true });
}
