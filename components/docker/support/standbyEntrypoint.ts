/**
 * The standby container's entrypoint script, rendered as a pure function so it can be tested without Docker (and run
 * against real PostgreSQL binaries). It runs as root, as the official postgres image's own entrypoint does, and:
 * 1. installs the uploaded TLS files and passfile as the server user, with the modes PostgreSQL and libpq require;
 * 2. on the first start only (no completion marker in the data directory), takes a base backup from the primary:
 *    its physical slot first (pg_receivewal --create-slot --if-not-exists, so a retry reuses it), then pg_basebackup
 *    streaming WAL through that slot over TLS verify-full as the replication role, then `standby.signal`;
 * 3. hands over to the image's entrypoint, which finds a data directory and starts the server as it is.
 * A restart finds the marker and just starts; a base backup cut short leaves no marker and is taken again from
 * scratch. The password is read by libpq from the passfile: it is never in the script, an argument or a log line.
 */

/** A file the script installs from where it was uploaded (as root) to where the server user reads it. */
export interface InstalledFile {
    /** Where it was uploaded. */
    readonly from: string;
    /** Where the server user reads it. */
    readonly to: string;
    /** Octal mode, e.g. `0600` for a private key or a passfile. */
    readonly mode: string;
}

export interface StandbyEntrypointInput {
    /** The standby's name: its slot on the primary (lower case letters, digits, underscores). */
    readonly slot: string;
    /** libpq conninfo to the primary, from upstreamConninfo (no space, quote or backslash in any value). */
    readonly conninfo: string;
    /** Directories the script creates for the server user (0700) before installing the files. */
    readonly directories: readonly string[];
    /** The files it installs on every start (certificates, key, passfile). */
    readonly installs: readonly InstalledFile[];
    /** The OS user that owns the data directory and runs the server. Default `postgres`. */
    readonly serverUser?: string;
    /** The prefix that runs a command as the server user. Default `gosu postgres` (the official image ships gosu). */
    readonly asServer?: string;
    /** Directory of pg_basebackup and pg_receivewal. Default: found on PATH (the image puts them there). */
    readonly binDir?: string;
    /** The line that starts the server. Default `exec docker-entrypoint.sh "$@"` (the image's own entrypoint). */
    readonly handOver?: string;
}

/** The file whose presence in the data directory says the base backup completed. */
export const BASE_BACKUP_MARKER = "metacortex-standby.built";

const SAFE = /^[A-Za-z0-9_./=@:-]+$/;

/** Pure: the entrypoint script. Throws on a value that would need quoting in the shell. */
export function renderStandbyEntrypoint(i: StandbyEntrypointInput): string {
    if (!/^[a-z][a-z0-9_]*$/.test(i.slot))
        throw new Error(`standby slot ${i.slot}: lower case letters, digits and underscores, starting with a letter`);
    if (/['\\\n]/.test(i.conninfo)) throw new Error("the primary's conninfo has a quote, backslash or newline");
    const user = i.serverUser ?? "postgres";
    for (const value of [user, ...i.directories, ...i.installs.flatMap((f) => [f.from, f.to]), i.binDir ?? "/"])
        if (!SAFE.test(value)) throw new Error(`standby entrypoint: ${value} would need quoting in the shell`);
    for (const f of i.installs)
        if (!/^0[0-7]{3}$/.test(f.mode)) throw new Error(`standby entrypoint: mode ${f.mode} of ${f.to} is not octal`);
    const as = i.asServer ?? `gosu ${user}`;
    const bin = (tool: string) => (i.binDir ? `${i.binDir}/${tool}` : tool);
    const owner = `-o ${user} -g ${user}`;
    const marker = `"$PGDATA/${BASE_BACKUP_MARKER}"`;
    return [
        "#!/bin/sh",
        `# Standby ${i.slot}: rendered from components/docker/support/standbyEntrypoint.ts; do not edit.`,
        "set -eu",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
        'PGDATA="${PGDATA:-/var/lib/postgresql/data}"',
        ...i.directories.map((d) => `install -d -m 0700 ${owner} ${d}`),
        ...i.installs.map((f) => `install -m ${f.mode} ${owner} ${f.from} ${f.to}`),
        `if [ ! -f ${marker} ]; then`,
        `    echo "standby ${i.slot}: no complete base backup in $PGDATA, taking one from the primary"`,
        `    install -d -m 0700 ${owner} "$PGDATA"`,
        '    find "$PGDATA" -mindepth 1 -delete',
        `    ${as} ${bin("pg_receivewal")} --create-slot --if-not-exists --slot=${i.slot} --dbname='${i.conninfo}'`,
        `    ${as} ${bin("pg_basebackup")} --pgdata="$PGDATA" --dbname='${i.conninfo}' --wal-method=stream --slot=${i.slot} --checkpoint=fast --no-password`,
        `    ${as} touch "$PGDATA/standby.signal" ${marker}`,
        `    echo "standby ${i.slot}: base backup complete"`,
        "fi",
        i.handOver ?? 'exec docker-entrypoint.sh "$@"',
        "",
    ].join("\n");
}
