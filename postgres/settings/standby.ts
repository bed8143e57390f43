/**
 * A standby's settings: the catalog for the standby's own class, the standby rows (catalog.ts), and the parameters a
 * hot standby must keep at least at its primary's values. Those size the shared memory that tracks the primary's
 * transactions, locks and prepared transactions during replay; a standby below the primary refuses to start, or
 * pauses replay as soon as WAL shows the primary's higher value (PostgreSQL 15, "Hot Standby: Administrator's
 * Overview"). A replica of a smaller class therefore keeps the primary's max_connections; the read pool still opens
 * only the replica's own connection budget (pooling/readRouting.ts), so its memory stays as its class is sized.
 */
import { postgresSettings, type Setting, type SettingsInput, standbySettings } from "./catalog";

/** Where PostgreSQL states the rule. */
export const HOT_STANDBY_FLOOR_SOURCE = "https://www.postgresql.org/docs/15/hot-standby.html#HOT-STANDBY-ADMIN";

/** Parameters a hot standby needs at least as high as its primary's (the ones the catalog sets). */
export const HOT_STANDBY_FLOORS = [
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
] as const;

export interface StandbySettingsInput extends SettingsInput {
    /** The standby's instance class; `instanceClass` is the primary's. */
    readonly standbyInstanceClass: string;
}

/** Pure: the full settings of a standby of `input.instanceClass`'s primary, sized as `standbyInstanceClass`. */
export function replicaSettings(input: StandbySettingsInput): Setting[] {
    const primary = new Map(postgresSettings(input).map((s) => [s.name, s]));
    const own = postgresSettings({ ...input, instanceClass: input.standbyInstanceClass });
    return [...own.map((s) => atLeastPrimary(s, primary.get(s.name))), ...standbySettings()];
}

/** Pure: a setting raised to the primary's value when it is a hot-standby floor and the primary's is higher. */
function atLeastPrimary(own: Setting, primary: Setting | undefined): Setting {
    const floor = (HOT_STANDBY_FLOORS as readonly string[]).includes(own.name);
    if (!floor || primary === undefined || typeof own.value !== "number" || typeof primary.value !== "number")
        return own;
    if (own.value >= primary.value) return own;
    return {
        ...own,
        value: primary.value,
        reason: `the primary's value (this class alone would give ${own.value}): a hot standby needs at least the primary's`,
        source: HOT_STANDBY_FLOOR_SOURCE,
    };
}

/** PostgreSQL 15's defaults for the settings a primary's standbys depend on, where the catalog leaves them. */
export const REPLICATION_DEFAULTS = { wal_level: "replica", max_wal_senders: 10, max_replication_slots: 10 } as const;

/**
 * Pure: why a primary with `settings` cannot serve `standbys` streaming standbys, each with its own slot, while one
 * more is built (pg_basebackup -X stream takes two walsenders); undefined when it can. Unset: PostgreSQL's defaults.
 */
export function standbyCapacityProblem(settings: readonly Setting[], standbys: number): string | undefined {
    const value = (name: keyof typeof REPLICATION_DEFAULTS) =>
        settings.find((s) => s.name === name)?.value ?? REPLICATION_DEFAULTS[name];
    const walLevel = String(value("wal_level"));
    if (standbys > 0 && !["replica", "logical"].includes(walLevel))
        return `wal_level is ${walLevel}; standbys need replica or logical`;
    const senders = Number(value("max_wal_senders"));
    if (senders < standbys + 2)
        return `max_wal_senders is ${senders}; ${standbys} standbys and a base backup's two need ${standbys + 2}`;
    const slots = Number(value("max_replication_slots"));
    if (slots < standbys) return `max_replication_slots is ${slots}; ${standbys} standbys need one slot each`;
    return undefined;
}
