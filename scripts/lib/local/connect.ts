/**
 * node-postgres settings from a libpq URL, honouring sslmode and sslrootcert the way libpq does for verify-full
 * (node-postgres' own URL parser treats sslmode=verify-full as "no CA check" in some versions; this does not).
 */
import * as fs from "fs";
import type { ClientConfig } from "pg";

export function clientConfig(url: string): ClientConfig {
    const u = new URL(url);
    const mode = u.searchParams.get("sslmode") ?? "verify-full";
    const rootCert = u.searchParams.get("sslrootcert");
    let ssl: ClientConfig["ssl"];
    if (mode === "disable") ssl = false;
    else if (mode === "verify-full" || mode === "verify-ca") {
        ssl = { rejectUnauthorized: true, ...(rootCert ? { ca: fs.readFileSync(rootCert, "utf8") } : {}) };
        if (mode === "verify-ca")
            (ssl as { checkServerIdentity?: () => undefined }).checkServerIdentity = () => undefined;
    } else ssl = { rejectUnauthorized: false };
    return {
        host: decodeURIComponent(u.hostname),
        port: Number(u.port || 5432),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: decodeURIComponent(u.pathname.slice(1)),
        ssl,
        application_name: "metacortex-tools",
    };
}
