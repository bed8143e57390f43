/**
 * The local environment's standbys: as many as the dev stack's `readReplicas` (or `npm run local -- --replicas N`),
 * each under <cluster root>/standbys/<name>, on 127.0.0.2 and up at the primary's port. A re-run builds the missing
 * ones, restarts or reconfigures the others, and removes the extra ones with their slots.
 */
import * as fs from "fs";
import * as path from "path";
import { MAX_STANDBYS } from "../../../postgres/roles/model";
import { ROLE } from "../../../postgres/roles/names";
import { UsageError } from "../cli";
import { PgCluster } from "./cluster";
import { devStackConfig, localSecret } from "./localEnv";
import {
    removeStandby,
    type StandbySpec,
    standbyAddress,
    standbyOptions,
    startStandby,
    waitStreaming,
    writePassfile,
} from "./standby";

/** Pure: a replica count, from a flag or the stack key, or an error naming where it came from and what is allowed. */
export function parseReplicaCount(value: string, source: string): number {
    if (!/^\d+$/.test(value) || Number(value) > MAX_STANDBYS)
        throw new UsageError(`${source} must be a whole number from 0 to ${MAX_STANDBYS}, got ${value}`);
    return Number(value);
}

/** The count `npm run local` keeps: `--replicas N`, else the dev stack's `readReplicas` (0 unless set). */
export function localReplicaCount(flag: string | undefined): number {
    if (flag !== undefined) return parseReplicaCount(flag, "--replicas");
    return devStackConfig().replicas.count;
}

/** Pure: the `index`-th local standby (0-based) of a cluster rooted at `root`. */
export function localStandbySpec(root: string, index: number): StandbySpec {
    const name = `standby${index + 1}`;
    return { name, address: standbyAddress(index), root: path.join(root, "standbys", name) };
}

/** The standbys that exist on disk, with their 0-based index, in order. */
export function existingStandbys(primary: PgCluster): Array<StandbySpec & { index: number }> {
    const dir = path.join(primary.options.root, "standbys");
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((n) => /^standby[1-9]\d*$/.test(n))
        .map((n) => Number(n.slice("standby".length)) - 1)
        .sort((a, b) => a - b)
        .map((index) => ({ ...localStandbySpec(primary.options.root, index), index }));
}

/** Opens an existing standby (re-rendering its configuration for the primary's current port). */
async function openStandby(primary: PgCluster, spec: StandbySpec): Promise<PgCluster> {
    const passfile = writePassfile(
        path.join(spec.root, "replication.pgpass"),
        ROLE.replicator,
        localSecret("replicator"),
    );
    return PgCluster.create(standbyOptions(primary, spec, passfile));
}

/** Starts a stopped standby, or applies its configuration to a running one (restarting for a static setting). */
async function bootStandby(standby: PgCluster): Promise<void> {
    if (!(await standby.isRunning())) return standby.start();
    await standby.reload();
    const pending = await standby.query("SELECT name FROM pg_settings WHERE pending_restart", [], "postgres");
    if (pending.length > 0) await standby.restart();
}

/** Brings the standbys to `count`, each streaming; returns them in order. */
export async function ensureLocalStandbys(primary: PgCluster, count: number): Promise<PgCluster[]> {
    for (const spec of existingStandbys(primary).filter((s) => s.index >= count))
        await removeStandby(primary, await openStandby(primary, spec), spec.name);
    const standbys: PgCluster[] = [];
    for (let i = 0; i < count; i++) {
        const spec = localStandbySpec(primary.options.root, i);
        if (fs.existsSync(path.join(spec.root, "data", "PG_VERSION"))) {
            const standby = await openStandby(primary, spec);
            await bootStandby(standby);
            standbys.push(standby);
        } else standbys.push(await startStandby(primary, spec, localSecret("replicator")));
        await waitStreaming(primary, spec.name, false);
    }
    return standbys;
}

/** Stops every local standby (for `--stop`). */
export async function stopLocalStandbys(primary: PgCluster): Promise<number> {
    const specs = existingStandbys(primary);
    for (const spec of specs) await (await openStandby(primary, spec)).stop();
    return specs.length;
}
