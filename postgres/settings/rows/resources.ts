/** The settings catalog's rows: memory, sized from the class (sizing.ts), and connections. */
import { doc, s, type RowContext, type Setting } from "../settingRow";

export function resourcesRows(c: RowContext): Setting[] {
    return [
        // Memory, sized from the class (sizing.ts).
        s(
            "shared_buffers",
            c.size.sharedBuffersPages,
            "static",
            "memory",
            "25% of RAM, as RDS's default formula ({DBInstanceClassMemory/32768} pages)",
            doc.resource,
        ),
        s(
            "effective_cache_size",
            c.size.effectiveCacheSizePages,
            "dynamic",
            "memory",
            "75% of RAM: shared buffers plus the OS cache the planner can expect",
            doc.query,
        ),
        s(
            "work_mem",
            c.size.workMemKiB,
            "dynamic",
            "memory",
            "RAM outside shared_buffers over 3 sorts per connection, 4 to 64 MiB",
            doc.resource,
        ),
        s(
            "maintenance_work_mem",
            c.size.maintenanceWorkMemKiB,
            "dynamic",
            "memory",
            "RAM/16 (64 MiB to 2 GiB): faster VACUUM and index builds",
            doc.resource,
        ),

        // Connections.
        s(
            "max_connections",
            c.size.maxConnections,
            "static",
            "connections",
            "25 per GiB (100 to 5000): clients arrive through PgBouncer, so fewer, busier backends",
            doc.connection,
        ),
        s(
            "superuser_reserved_connections",
            c.size.superuserReservedConnections,
            "static",
            "connections",
            "lets an administrator in when the app has used every other slot",
            doc.connection,
        ),
        s(
            "tcp_keepalives_idle",
            60,
            "dynamic",
            "connections",
            "notice dead clients (a killed pod, a NAT timeout) within minutes, not hours",
            doc.connection,
        ),
        s(
            "tcp_keepalives_interval",
            10,
            "dynamic",
            "connections",
            "with tcp_keepalives_count, declares a silent peer dead after about 60 s more",
            doc.connection,
        ),
        s("tcp_keepalives_count", 6, "dynamic", "connections", "see tcp_keepalives_interval", doc.connection),
    ];
}
