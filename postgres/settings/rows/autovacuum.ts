/** The settings catalog's rows: autovacuum for an OLTP workload with hot task tables and an append-only check-in table. */
import { doc, s, type RowContext, type Setting } from "../settingRow";

export function autovacuumRows(c: RowContext): Setting[] {
    return [
        // Autovacuum for an OLTP workload with hot task tables and an append-only check-in table.
        s(
            "autovacuum_max_workers",
            c.size.autovacuumMaxWorkers,
            "static",
            "autovacuum",
            "vCPUs/2, at least 3: many partitions and hot tables need parallel workers",
            doc.autovacuum,
        ),
        s(
            "autovacuum_naptime",
            15,
            "dynamic",
            "autovacuum",
            "check every 15 s (default 60): tasks are updated constantly",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_scale_factor",
            0.05,
            "dynamic",
            "autovacuum",
            "vacuum at 5% dead rows (default 20%): keeps hot tables and their indexes small",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_threshold",
            50,
            "dynamic",
            "autovacuum",
            "PostgreSQL default; small tables are vacuumed on the threshold",
            doc.autovacuum,
        ),
        s(
            "autovacuum_analyze_scale_factor",
            0.02,
            "dynamic",
            "autovacuum",
            "re-analyze at 2% change so status/due-date statistics stay current",
            doc.autovacuum,
        ),
        s("autovacuum_analyze_threshold", 50, "dynamic", "autovacuum", "PostgreSQL default", doc.autovacuum),
        s(
            "autovacuum_vacuum_insert_scale_factor",
            0.05,
            "dynamic",
            "autovacuum",
            "append-only check-ins and audit rows get vacuumed (visibility map, freezing) at 5% new rows",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_insert_threshold",
            1000,
            "dynamic",
            "autovacuum",
            "PostgreSQL default floor for the insert trigger",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_cost_limit",
            2000,
            "dynamic",
            "autovacuum",
            "10x the default budget: gp3's 3000 baseline IOPS can take it, and lagging vacuum costs more",
            doc.autovacuum,
        ),
        s(
            "autovacuum_vacuum_cost_delay",
            2,
            "dynamic",
            "autovacuum",
            "PostgreSQL 12+ default of 2 ms, stated so that it cannot drift",
            doc.autovacuum,
        ),
        s(
            "log_autovacuum_min_duration",
            1000,
            "dynamic",
            "autovacuum",
            "log autovacuum runs over 1 s: feeds the hot-table autovacuum metric",
            doc.logging,
        ),
    ];
}
