/**
 * The PostgreSQL settings of the platform: one typed source, rendered to the RDS parameter group, the Docker
 * container's postgresql.conf and the local cluster (render.ts). Values are in each parameter's base unit as
 * pg_settings reports it (8 kB pages, kB, MB, ms, s), because that is the form both RDS and postgresql.conf take
 * without unit parsing, and what `pg_settings.setting` reads back.
 *
 * `apply` says whether a change needs a restart (static: pg_settings.context = postmaster) or not (dynamic);
 * a real-server test checks every entry against pg_settings.context.
 */
import { instanceClass } from "../instanceClasses";
import { autovacuumRows } from "./rows/autovacuum";
import { extensionsRows } from "./rows/extensions";
import { loggingRows } from "./rows/logging";
import { resourcesRows } from "./rows/resources";
import { safetyRows } from "./rows/safety";
import {
    doc,
    MAX_STANDBY_DELAY_MS,
    SLOW_STATEMENT_MS,
    type Setting,
    type SettingsInput,
    type SettingValue,
} from "./settingRow";
import { AURORA_SHARED_BUFFERS_SHARE, sizeFor } from "./sizing";

export * from "./settingRow";

/**
 * Pure: the standby's own settings. Only a server in recovery reads them and a primary ignores them, so every
 * standby gets the same rows: an RDS read replica's parameter group and a local streaming standby's
 * postgresql.conf alike. A standby's full settings are the primary's catalog for its class plus these
 * (standby.ts adds the parameters a hot standby must keep at least at the primary's values).
 */
export function standbySettings(): Setting[] {
    const row = (name: string, value: SettingValue, reason: string, source: string): Setting => ({
        name,
        value,
        apply: "dynamic",
        platform: "all",
        group: "replication",
        reason,
        source,
    });
    return [
        row(
            "hot_standby_feedback",
            true,
            "the standby tells the primary which rows its queries still read, so vacuum keeps them and replay does not cancel the query; the price is bloat on the primary while a long standby query runs, which the roles' statement timeouts bound",
            doc.replication,
        ),
        row(
            "max_standby_streaming_delay",
            MAX_STANDBY_DELAY_MS,
            "a query that still conflicts with replay (a lock taken by DDL or by vacuum truncating a table) gets 30 s before it is cancelled, so replay, and the lag, waits at most that long; the replica lag alarm starts above it",
            doc.conflicts,
        ),
        row(
            "max_standby_archive_delay",
            MAX_STANDBY_DELAY_MS,
            "the same limit while a standby replays WAL from the archive (catching up after streaming broke, as RDS replicas do from S3)",
            doc.conflicts,
        ),
    ];
}

/** Pure: the full settings for an environment and instance class, group by group (settings/rows/). */
export function postgresSettings(input: SettingsInput): Setting[] {
    const size = sizeFor(
        instanceClass(input.instanceClass),
        input.engine === "aurora" ? AURORA_SHARED_BUFFERS_SHARE : undefined,
    );
    const c = { input, size, slowMs: SLOW_STATEMENT_MS[input.environment] };
    return [...resourcesRows(c), ...autovacuumRows(c), ...loggingRows(c), ...safetyRows(c), ...extensionsRows(c)];
}
