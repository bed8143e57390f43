/**
 * The names the role model gives: roles and schemas. Their own module, so that what the model itself depends on
 * (pool sizing, the settings catalog) can name roles without importing the model.
 */
import { PGAUDIT_OBJECT_ROLE } from "../settings/catalog";

/**
 * The admin: the RDS master user, or the container's superuser in dev. RDS and initdb create it, not the model; it
 * creates the model's roles and is never used by the app.
 */
export const ADMIN_ROLE = "metacortex_admin";

export const ROLE = {
    owner: "metacortex_owner",
    migrator: "metacortex_migrator",
    app: "metacortex_app",
    readonly: "metacortex_readonly",
    auditor: "metacortex_auditor",
    monitor: "metacortex_monitor",
    pgaudit: PGAUDIT_OBJECT_ROLE,
    /** Streams WAL to standbys on servers we run ourselves (RDS replicates by itself). */
    replicator: "metacortex_replicator",
} as const;

/** Schemas: the app's tables, the audit log, and extensions (kept out of `public`, which PUBLIC cannot use). */
export const SCHEMA = { app: "app", audit: "audit", ext: "ext", partman: "partman" } as const;
