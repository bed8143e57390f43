/** The settings catalog's rows: the preloaded extensions' own settings. */
import { preloadLibraries } from "../../extensions";
import { PGAUDIT_OBJECT_ROLE, doc, s, type RowContext, type Setting } from "../settingRow";

export function extensionsRows(c: RowContext): Setting[] {
    return [
        // Extensions.
        s(
            "shared_preload_libraries",
            preloadLibraries(c.input.existingPreloadLibraries ?? []).join(","),
            "static",
            "extensions",
            "computed from the declared extensions (postgres/extensions.ts), merged",
            doc.resource,
        ),
        s(
            "cron.database_name",
            c.input.databaseName,
            "static",
            "extensions",
            "pg_cron runs partition maintenance in the app database",
            doc.pgCron,
        ),
        s(
            "cron.use_background_workers",
            true,
            "static",
            "extensions",
            "jobs run in background workers, not over a libpq connection that would need a password and TLS; RDS runs pg_cron its own way",
            doc.pgCron,
            "self-managed",
        ),
        s(
            "pgaudit.log",
            "ddl,role",
            "dynamic",
            "security",
            "every schema and role change, whoever makes it",
            doc.pgaudit,
        ),
        s("pgaudit.log_catalog", false, "dynamic", "security", "skip catalog queries from psql and tools", doc.pgaudit),
        s(
            "pgaudit.log_parameter",
            false,
            "dynamic",
            "security",
            "never log bind parameters: they may hold personal data",
            doc.pgaudit,
        ),
        s("pgaudit.log_relation", true, "dynamic", "security", "one record per relation touched", doc.pgaudit),
        s(
            "pgaudit.role",
            PGAUDIT_OBJECT_ROLE,
            "dynamic",
            "security",
            "object audit of the users table through this role's grants",
            doc.pgaudit,
        ),
    ];
}
