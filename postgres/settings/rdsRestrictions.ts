/**
 * Parameters that RDS for PostgreSQL 15 does not let a custom DB parameter group set. Emitting any of them makes
 * `ModifyDBParameterGroup` fail at `pulumi up`, long after review; the RDS renderer refuses them instead, and a test
 * checks the renderer against this list.
 *
 * Kept as data, with its sources. To refresh it against the live API (needs AWS credentials):
 *   aws rds describe-engine-default-parameters --db-parameter-group-family postgres15 \
 *     --query 'EngineDefaults.Parameters[?IsModifiable==`false`].ParameterName' --output text
 * and add every name from that output that this file lacks.
 */
export const RDS_RESTRICTION_SOURCES = [
    // "You can't change log_line_prefix"; RDS writes '%t:%r:%u@%d:[%p]:' and manages log files and rotation itself.
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Concepts.PostgreSQL.html",
    // No shell or file access: pg_hba.conf, data and socket paths, certificates and WAL archiving belong to RDS.
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.html",
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Parameters.html",
    // SSL is always available; rds.force_ssl decides whether it is required.
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
] as const;

/** Why RDS refuses each parameter. */
export const RDS_NOT_MODIFIABLE: Readonly<Record<string, string>> = {
    // Files and paths on a host RDS does not expose.
    config_file: "file path on the RDS host",
    data_directory: "file path on the RDS host",
    hba_file: "RDS manages pg_hba.conf; rds.force_ssl and rds.accepted_password_auth_method shape it",
    ident_file: "file path on the RDS host",
    external_pid_file: "file path on the RDS host",
    ssl_cert_file: "RDS installs the certificate chosen by caCertIdentifier",
    ssl_key_file: "RDS installs the certificate chosen by caCertIdentifier",
    ssl_ca_file: "RDS installs the certificate chosen by caCertIdentifier",
    ssl_crl_file: "RDS installs the certificate chosen by caCertIdentifier",
    ssl: "always on in RDS; enforcement is rds.force_ssl",
    // Network: the endpoint and port are instance attributes.
    listen_addresses: "RDS listens on the instance endpoint",
    port: "set on the instance (port argument), not in the parameter group",
    unix_socket_directories: "no socket access on RDS",
    unix_socket_group: "no socket access on RDS",
    unix_socket_permissions: "no socket access on RDS",
    // Logging: RDS runs the collector and ships files to CloudWatch Logs.
    logging_collector: "RDS runs the log collector",
    log_directory: "RDS manages log files",
    log_file_mode: "RDS manages log files",
    log_line_prefix: "fixed by RDS to '%t:%r:%u@%d:[%p]:'",
    // WAL and recovery: RDS owns archiving, PITR and replication plumbing.
    archive_mode: "RDS archives WAL for automated backups and PITR",
    archive_command: "RDS archives WAL for automated backups and PITR",
    archive_cleanup_command: "RDS owns recovery",
    restore_command: "RDS owns recovery",
    recovery_end_command: "RDS owns recovery",
    primary_conninfo: "RDS owns replication",
    wal_level: "set through rds.logical_replication",
    full_page_writes: "crash safety is not negotiable on RDS",
    fsync: "crash safety is not negotiable on RDS",
    dynamic_shared_memory_type: "RDS host setting",
    shared_memory_type: "RDS host setting",
};

/** True when a parameter group may not carry `name`. */
export function rdsRefuses(name: string): boolean {
    return Object.hasOwn(RDS_NOT_MODIFIABLE, name);
}
