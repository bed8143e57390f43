/**
 * Renderers: the one settings source (catalog.ts) to each target's form.
 * - RDS: parameter group entries; static parameters `pending-reboot`, dynamic `immediate`; never a parameter RDS
 *   refuses, never a self-managed one.
 * - Aurora: the same entries split between the cluster parameter group and the instances' one, as
 *   auroraRestrictions.ts places them; never one it leaves out.
 * - Docker and the local cluster: postgresql.conf (the same settings plus the server's own files and addresses)
 *   and pg_hba.conf (hostssl + scram-sha-256 only, no trust).
 */
import { ROLE } from "../roles/names";
import { auroraPlacement } from "./auroraRestrictions";
import type { Setting, SettingValue } from "./catalog";
import { rdsRefuses } from "./rdsRestrictions";

/** Pure: a value in RDS's form (booleans as 1/0). */
/** One parameter as the RDS API takes it. */
export interface RdsParameter {
    readonly name: string;
    readonly value: string;
    /** `pending-reboot` for static parameters (RDS rejects `immediate` for them), `immediate` for dynamic ones. */
    readonly applyMethod: "immediate" | "pending-reboot";
}

export function rdsValue(value: SettingValue): string {
    return typeof value === "boolean" ? (value ? "1" : "0") : String(value);
}

/** Pure: a value in postgresql.conf's form (strings quoted, booleans on/off). */
export function confValue(value: SettingValue): string {
    if (typeof value === "boolean") return value ? "on" : "off";
    if (typeof value === "number") return String(value);
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/** Pure: what pg_settings.setting reads back for a rendered value. */
export function settingText(value: SettingValue): string {
    return typeof value === "boolean" ? (value ? "on" : "off") : String(value);
}

/** Pure: the RDS parameter group entries. Throws if the source would emit a parameter RDS refuses. */
export function renderRdsParameters(settings: readonly Setting[]): RdsParameter[] {
    const refused = settings.filter((s) => s.platform !== "self-managed" && rdsRefuses(s.name)).map((s) => s.name);
    if (refused.length > 0)
        throw new Error(`settings source marks parameters RDS refuses as rendered to RDS: ${refused.join(", ")}`);
    return settings.filter((s) => s.platform !== "self-managed").map(rdsParameter);
}

/** Pure: one setting as a parameter group entry. */
function rdsParameter(s: Setting): RdsParameter {
    return {
        name: s.name,
        value: rdsValue(s.value),
        applyMethod: s.apply === "static" ? "pending-reboot" : "immediate",
    };
}

/** Aurora's two parameter groups: one for the cluster, one every instance of it uses. */
export interface AuroraParameters {
    readonly cluster: RdsParameter[];
    readonly instance: RdsParameter[];
}

/**
 * Pure: the Aurora cluster and instance parameter groups for `settings` (a primary's catalog and the standby rows,
 * which only readers read). Throws if the source has a parameter the Aurora list does not place.
 */
export function renderAuroraParameters(settings: readonly Setting[]): AuroraParameters {
    const rendered = settings.filter((s) => s.platform !== "self-managed");
    const unplaced = rendered.filter((s) => auroraPlacement(s.name) === undefined).map((s) => s.name);
    if (unplaced.length > 0)
        throw new Error(
            `settings source has parameters postgres/settings/auroraRestrictions.ts does not place: ${unplaced.join(", ")}`,
        );
    const to = (group: "cluster" | "instance") =>
        rendered.filter((s) => auroraPlacement(s.name) === group).map(rdsParameter);
    return { cluster: to("cluster"), instance: to("instance") };
}

/** A server this project runs itself (Docker container or local cluster): its files and addresses. */
export interface SelfManagedServer {
    /** `listen_addresses`: `*` inside a container network, `127.0.0.1` for the local cluster. */
    readonly listenAddresses: string;
    readonly port: number;
    readonly hbaFile: string;
    readonly sslCertFile: string;
    readonly sslKeyFile: string;
    readonly sslCaFile: string;
    /** Socket directory; the local cluster keeps it private under .local/. */
    readonly unixSocketDirectories: string;
    /** Log directory (relative to the data directory or absolute); the collector writes `postgresql-<date>.log`. */
    readonly logDirectory: string;
    /** WAL archiving (pgBackRest's archive-push), when the target has a repository. */
    readonly archiveCommand?: string;
    /** A standby: the primary it streams from, and its slot there. */
    readonly standby?: StandbyOf;
}

export interface StandbyOf {
    /** libpq conninfo to the primary: the replication role, TLS verify-full, a passfile, application_name. */
    readonly primaryConninfo: string;
    /** The physical replication slot on the primary, so it keeps the WAL this standby has not received. */
    readonly slotName: string;
}

/** Pure: the settings that exist only because we run the server: addresses, files, logging collector, archiving. */
export function serverSettings(server: SelfManagedServer): Setting[] {
    const own = (name: string, value: SettingValue, apply: Setting["apply"], reason: string): Setting => ({
        name,
        value,
        apply,
        platform: "self-managed",
        group: "security",
        reason,
        source: "https://www.postgresql.org/docs/15/runtime-config-file-locations.html",
    });
    const settings = [
        own("listen_addresses", server.listenAddresses, "static", "only the interfaces clients use"),
        own("port", server.port, "static", "the port clients use"),
        own(
            "unix_socket_directories",
            server.unixSocketDirectories,
            "static",
            "socket in a directory only the server's user can enter",
        ),
        own("hba_file", server.hbaFile, "static", "the rendered pg_hba.conf"),
        own("ssl_cert_file", server.sslCertFile, "dynamic", "server certificate signed by the target's CA"),
        own("ssl_key_file", server.sslKeyFile, "dynamic", "its private key, 0600"),
        own("ssl_ca_file", server.sslCaFile, "dynamic", "CA that clients verify the server against (verify-full)"),
        own("logging_collector", true, "static", "log files clients and tests can read, as RDS keeps them"),
        own("log_directory", server.logDirectory, "dynamic", "where the collector writes"),
        own("log_filename", "postgresql-%Y-%m-%d.log", "dynamic", "one file a day"),
    ];
    if (server.archiveCommand !== undefined) {
        settings.push(own("archive_mode", true, "static", "archive every WAL segment for PITR"));
        settings.push(
            own(
                "archive_command",
                server.archiveCommand,
                "dynamic",
                "pgBackRest archive-push to the encrypted repository",
            ),
        );
        settings.push(
            own("archive_timeout", 60, "dynamic", "switch WAL at least every minute so the RPO stays under one"),
        );
    }
    if (server.standby) settings.push(...standbyConnectionSettings(server.standby));
    return settings;
}

/**
 * Pure: how a standby we run reaches its primary (a `standby.signal` file in the data directory makes it a standby;
 * the rows every standby gets are catalog.ts's standbySettings()).
 */
export function standbyConnectionSettings(standby: StandbyOf): Setting[] {
    const source =
        "https://www.postgresql.org/docs/15/runtime-config-replication.html#RUNTIME-CONFIG-REPLICATION-STANDBY";
    const own = (name: string, value: SettingValue, reason: string): Setting => ({
        name,
        value,
        apply: "dynamic",
        platform: "self-managed",
        group: "replication",
        reason,
        source,
    });
    return [
        own(
            "primary_conninfo",
            standby.primaryConninfo,
            "stream from the primary as the replication role, verify-full",
        ),
        own("primary_slot_name", standby.slotName, "the primary keeps WAL until this standby has it"),
    ];
}

/** Pure: postgresql.conf for a self-managed server; rds.* parameters are never written to a real server. */
export function renderPostgresqlConf(
    settings: readonly Setting[],
    server: SelfManagedServer,
    header = "MetaCortex PostgreSQL 15",
): string {
    const all = [...settings.filter((s) => s.platform !== "rds"), ...serverSettings(server)];
    const names = new Set<string>();
    for (const s of all) {
        if (names.has(s.name)) throw new Error(`postgresql.conf would set ${s.name} twice`);
        names.add(s.name);
    }
    const lines = [
        `# ${header}`,
        "# Rendered from postgres/settings; do not edit. Reasons and sources: docs/settings.md.",
        "",
        ...all.map((s) => `${s.name} = ${confValue(s.value)}${s.apply === "static" ? "  # restart" : ""}`),
        "",
    ];
    return lines.join("\n");
}

export interface HbaInput {
    /** Client ranges allowed over TLS, e.g. `127.0.0.1/32` locally or the container network's subnet. */
    readonly allowedCidrs: readonly string[];
    /** Allow the Unix socket, with SCRAM. Default true. */
    readonly localSocket?: boolean;
    /** Standbys: the one role that may open replication connections, over TLS with SCRAM, from these ranges. */
    readonly replication?: { readonly role: string; readonly cidrs: readonly string[] };
}

/**
 * Pure: the replication line's input for a primary whose standbys connect from `cidrs`: the replication role only,
 * over TLS with SCRAM (the local cluster's loopback, the dev container network's subnet).
 */
export function standbyReplication(cidrs: readonly string[]): NonNullable<HbaInput["replication"]> {
    return { role: ROLE.replicator, cidrs };
}

/** Pure: pg_hba.conf with hostssl + scram-sha-256 only. Refuses a /0 range: the database is never open to all. */
export function renderPgHba(input: HbaInput): string {
    for (const cidr of [...input.allowedCidrs, ...(input.replication?.cidrs ?? [])]) {
        if (/\/0$/.test(cidr))
            throw new Error(`pg_hba.conf: refusing ${cidr}, the database must not be open to every address`);
    }
    const rows: string[][] = [["# TYPE", "DATABASE", "USER", "ADDRESS", "METHOD"]];
    if (input.localSocket ?? true) rows.push(["local", "all", "all", "", "scram-sha-256"]);
    for (const cidr of input.allowedCidrs) rows.push(["hostssl", "all", "all", cidr, "scram-sha-256"]);
    // `all` does not match replication connections: only this line admits them, for one role.
    for (const cidr of input.replication?.cidrs ?? [])
        rows.push(["hostssl", "replication", input.replication!.role, cidr, "scram-sha-256"]);
    // Explicit, so a reader sees plain-text TCP is refused rather than merely unmatched.
    rows.push(["hostnossl", "all", "all", "all", "reject"]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return [
        "# Rendered from postgres/settings/render.ts; do not edit.",
        "# TLS and SCRAM only: no trust, no md5, no password in clear text.",
        ...rows.map((r) =>
            r
                .map((cell, i) => cell.padEnd(widths[i]))
                .join("  ")
                .trimEnd(),
        ),
        "",
    ].join("\n");
}
