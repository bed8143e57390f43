/**
 * The extensions and preloaded modules the platform declares. `shared_preload_libraries` is computed from this list
 * (settings/catalog.ts), the role model creates the extensions, and the provisioning step checks that the packages
 * providing them are installed.
 */
export interface ExtensionSpec {
    /** Name for CREATE EXTENSION, or the module name for preload-only modules. */
    readonly name: string;
    /** Must be in shared_preload_libraries (needs a restart to add). */
    readonly preload: boolean;
    /** Created with CREATE EXTENSION (false for modules like auto_explain that have no SQL objects). */
    readonly create: boolean;
    /** Schema for the extension's objects; undefined for pg_cron, which always makes its own `cron` schema. */
    readonly schema?: string;
    /** Debian package that provides it for PostgreSQL 15 (contrib is in postgresql-15). */
    readonly debianPackage: string;
    readonly why: string;
}

export const EXTENSIONS: readonly ExtensionSpec[] = [
    {
        name: "pg_stat_statements",
        preload: true,
        create: true,
        schema: "ext",
        debianPackage: "postgresql-15",
        why: "per-statement latency and I/O for the slow-query dashboard and `npm run health`",
    },
    {
        name: "pgaudit",
        preload: true,
        create: true,
        schema: "ext",
        debianPackage: "postgresql-15-pgaudit",
        why: "DDL, ROLE and users-table object audit records in the server log",
    },
    {
        name: "auto_explain",
        preload: true,
        create: false,
        debianPackage: "postgresql-15",
        why: "plans of slow statements in the log, with buffers",
    },
    {
        name: "pg_cron",
        preload: true,
        create: true,
        debianPackage: "postgresql-15-cron",
        why: "schedules partition maintenance and purges inside the database",
    },
    {
        name: "pg_partman",
        preload: false,
        create: true,
        schema: "partman",
        debianPackage: "postgresql-15-partman",
        why: "monthly partitions for habit check-ins and the audit log",
    },
    {
        name: "pgcrypto",
        preload: false,
        create: true,
        schema: "ext",
        debianPackage: "postgresql-15",
        why: "digest() for the audit hash chain",
    },
    {
        name: "citext",
        preload: false,
        create: true,
        schema: "ext",
        debianPackage: "postgresql-15",
        why: "case-insensitive email",
    },
    {
        name: "btree_gin",
        preload: false,
        create: true,
        schema: "ext",
        debianPackage: "postgresql-15",
        why: "one GIN index over (user_id, search vector) for per-user text search",
    },
    {
        name: "pg_trgm",
        preload: false,
        create: true,
        schema: "ext",
        debianPackage: "postgresql-15",
        why: "trigram operators for substring search (candidate indexes in npm run bench -- writes; available on RDS)",
    },
];

/** Pure: libraries to preload, the declared ones merged after any the platform already loads; never dropped. */
export function preloadLibraries(
    existing: readonly string[],
    extensions: readonly ExtensionSpec[] = EXTENSIONS,
): string[] {
    const merged: string[] = [];
    for (const lib of [...existing, ...extensions.filter((e) => e.preload).map((e) => e.name)]) {
        const name = lib.trim();
        if (name !== "" && !merged.includes(name)) merged.push(name);
    }
    return merged;
}
