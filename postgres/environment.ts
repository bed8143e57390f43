/**
 * The environments a stack belongs to. The environment sizes the PostgreSQL settings and decides the defaults and
 * the floors that config enforces (prod: Multi-AZ, deletion protection, locked backups, alarms).
 */
export type Environment = "dev" | "prod";
