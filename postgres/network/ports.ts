/**
 * PostgreSQL's port, written once. It is the default wherever a port can be configured (the RDS instance, the admin
 * connection, the dev host port) and the fixed port where it cannot (inside the dev containers, PgBouncer's
 * listener, RDS Proxy's listener), so clients always connect with PostgreSQL's default.
 */
export const POSTGRES_PORT = 5432;
