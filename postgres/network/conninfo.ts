/**
 * How a standby (or pg_basebackup, pg_rewind, pg_receivewal) reaches its upstream server: a libpq conninfo with TLS
 * verify-full against a CA file and the password in a passfile, so no password is ever written into postgresql.conf,
 * a command line or a log. Used by the local standbys and the dev stack's standby containers alike.
 */

/**
 * Pure: libpq conninfo to `upstream`: TLS verify-full against the CA file, the password from a passfile. Refuses a
 * value with a space, quote or backslash, so the string needs no quoting in postgresql.conf or a shell.
 */
export function upstreamConninfo(
    upstream: { host: string; port: number },
    o: { user: string; passfile: string; caCert: string; applicationName?: string; dbname?: string },
): string {
    const parts = [
        `host=${upstream.host}`,
        `port=${upstream.port}`,
        `user=${o.user}`,
        `passfile=${o.passfile}`,
        "sslmode=verify-full",
        `sslrootcert=${o.caCert}`,
        ...(o.dbname ? [`dbname=${o.dbname}`] : []),
        ...(o.applicationName ? [`application_name=${o.applicationName}`] : []),
    ];
    for (const p of parts)
        if (/[\s'\\]/.test(p.split("=").slice(1).join("=")))
            throw new Error(`conninfo value ${p} has a space, quote or backslash`);
    return parts.join(" ");
}

/** Pure: a passfile line for `user` on any host, port and database, `:` and `\` escaped as libpq reads them. */
export function passfileLine(user: string, password: string): string {
    const escaped = (s: string) => s.replace(/\\/g, "\\\\").replace(/:/g, "\\:");
    return `*:*:*:${escaped(user)}:${escaped(password)}\n`;
}
