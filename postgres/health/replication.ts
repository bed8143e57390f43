/**
 * Replication, as a primary sees it: each standby's lag (bytes of WAL it has not replayed, and seconds), and what each
 * replication slot keeps on disk for its standby. Plain queries over pg_stat_replication and pg_replication_slots
 * (readable by pg_monitor), usable by `npm run health`, `npm run status` and the drills; and, on a standby, how far
 * its own replay is behind what it has received.
 */
import type { Queryable } from "./restoreValidation";
import { type Check, row, rows } from "./types";

export interface StandbyLag {
    /** application_name: the standby's name (its slot's too, locally). */
    readonly name: string;
    readonly address: string | null;
    /** streaming, catchup, startup, backup or stopping. */
    readonly state: string;
    /** async, sync, potential or quorum. */
    readonly syncState: string;
    /** WAL the primary has written that the standby has not yet received. */
    readonly sentLagBytes: number;
    /** WAL the primary has written that the standby has not yet replayed (what its readers do not see yet). */
    readonly replayLagBytes: number;
    /** How long ago the newest replayed WAL was written on the primary; 0 when there is nothing to replay. */
    readonly replayLagSeconds: number;
}

export interface SlotRetention {
    readonly name: string;
    readonly type: "physical" | "logical";
    /** A client (a standby) is using the slot now. */
    readonly active: boolean;
    /** WAL kept on the primary's disk for this slot. */
    readonly retainedBytes: number;
    /** reserved, extended, unreserved or lost (pg_replication_slots.wal_status); null before first use. */
    readonly walStatus: string | null;
}

export interface StandbyReplay {
    readonly inRecovery: boolean;
    /** WAL received but not yet replayed. */
    readonly replayLagBytes: number;
    /** Since the last replayed transaction's commit on the primary, when WAL is waiting to be replayed; else 0. */
    readonly replayLagSeconds: number;
    /** not paused, pause requested or paused (pg_wal_replay_pause()). */
    readonly pauseState: string | null;
}

/** The server's current WAL position, on a primary or (replayed) on a standby. */
const CURRENT_LSN = "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END";

/** Each standby connected to this server, with its lag. */
export async function standbyLag(db: Queryable): Promise<StandbyLag[]> {
    const found = await rows(
        db,
        `SELECT application_name AS name, host(client_addr) AS address, state, sync_state,
            coalesce(pg_wal_lsn_diff(${CURRENT_LSN}, sent_lsn), 0)::bigint AS sent,
            coalesce(pg_wal_lsn_diff(${CURRENT_LSN}, replay_lsn), 0)::bigint AS replay,
            coalesce(extract(epoch FROM replay_lag), 0)::float AS seconds
         FROM pg_stat_replication ORDER BY application_name`,
    );
    return found.map((r) => ({
        name: r.name,
        address: r.address,
        state: r.state,
        syncState: r.sync_state,
        sentLagBytes: Number(r.sent),
        replayLagBytes: Number(r.replay),
        replayLagSeconds: Number(r.replay) > 0 ? Number(r.seconds) : 0,
    }));
}

/** Each replication slot, with the WAL it keeps. */
export async function slotRetention(db: Queryable): Promise<SlotRetention[]> {
    const found = await rows(
        db,
        `SELECT slot_name AS name, slot_type AS type, active, wal_status,
            coalesce(pg_wal_lsn_diff(${CURRENT_LSN}, restart_lsn), 0)::bigint AS retained
         FROM pg_replication_slots ORDER BY slot_name`,
    );
    return found.map((r) => ({
        name: r.name,
        type: r.type,
        active: r.active,
        retainedBytes: Number(r.retained),
        walStatus: r.wal_status,
    }));
}

/** On a standby: how far its replay is behind what it has received (all zero on a primary). */
export async function standbyReplay(db: Queryable): Promise<StandbyReplay> {
    const r = await row(
        db,
        `SELECT pg_is_in_recovery() AS recovery,
            CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() END AS pause,
            coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::bigint AS bytes,
            coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)::float AS seconds`,
    );
    const bytes = Number(r.bytes);
    return {
        inRecovery: r.recovery,
        replayLagBytes: bytes,
        replayLagSeconds: bytes > 0 ? Number(r.seconds) : 0,
        pauseState: r.pause ?? null,
    };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Standbys: fail when one is behind by more than a lag threshold, warn past half of it or when one is not streaming. */
export const standbys: Check = async ({ db, t }) => {
    const lag = await standbyLag(db);
    const over = (s: StandbyLag, share: number) =>
        s.replayLagSeconds > t.replicaLagSeconds * share || s.replayLagBytes > t.replicaLagBytes * share;
    const behind = lag.filter((s) => over(s, 1));
    const slipping = lag.filter((s) => over(s, 0.5) || s.state !== "streaming");
    const worst = Math.max(0, ...lag.map((s) => s.replayLagSeconds));
    return {
        check: "standbys",
        status: behind.length > 0 ? "fail" : slipping.length > 0 ? "warn" : "ok",
        value:
            lag.length === 0
                ? "none connected"
                : lag
                      .map(
                          (s) =>
                              `${s.name} ${s.state} ${s.syncState}: ${mib(s.replayLagBytes)}, ${s.replayLagSeconds.toFixed(1)} s behind`,
                      )
                      .join("; "),
        threshold: `replay at most ${t.replicaLagSeconds} s and ${mib(t.replicaLagBytes)} behind (warn at half); every standby streaming`,
        metric: { name: "StandbyReplayLagSeconds", value: worst },
    };
};

/** Slots: warn when one is inactive yet holds WAL; fail when one has lost WAL its standby needs. */
export const slots: Check = async ({ db, t }) => {
    const all = await slotRetention(db);
    const idle = all.filter((s) => !s.active && s.retainedBytes > t.idleSlotRetainedBytes);
    const lost = all.filter((s) => s.walStatus === "lost");
    return {
        check: "replication slots",
        status: lost.length > 0 ? "fail" : idle.length > 0 ? "warn" : "ok",
        value:
            all.length === 0
                ? "no slots"
                : all
                      .map(
                          (s) =>
                              `${s.name} ${s.active ? "active" : "inactive"} ${mib(s.retainedBytes)}${s.walStatus === "lost" ? " LOST" : ""}`,
                      )
                      .join("; "),
        threshold: `no inactive slot holding over ${mib(t.idleSlotRetainedBytes)}; none lost`,
        metric: { name: "SlotRetainedWalBytes", value: Math.max(0, ...all.map((s) => s.retainedBytes)) },
    };
};
