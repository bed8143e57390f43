/**
 * Setting the model's passwords without writing them anywhere. A SCRAM verifier is not the password, but whoever has
 * it can test guesses against it offline at leisure, so it must stay in pg_authid. Every place a statement's text can
 * land is closed for the session that sends `ALTER ROLE ... PASSWORD`: pgaudit's ROLE class, log_statement, the
 * duration and sampling logs, the statement echoed with an error, and pg_stat_statements' utility tracking. Each of
 * these is a superuser-only setting, so the session must be a superuser's; a session that cannot turn them off fails
 * at the first SET, before any password is sent.
 *
 * The roles' other attributes (LOGIN, limits, settings, memberships) stay in the audited script (roles/sql.ts): only
 * the password statements go unlogged.
 */
import { loginRoles, type RoleModel } from "./model";

const ident = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** The session settings under which a statement reaches no log, no audit record and no statistics view. */
export const UNLOGGED_SESSION: ReadonlyArray<readonly [string, string]> = [
    ["pgaudit.log", "none"],
    ["log_statement", "none"],
    ["log_min_duration_statement", "-1"],
    ["log_min_duration_sample", "-1"],
    ["log_transaction_sample_rate", "0"],
    // An ERROR would otherwise log the statement beside it (log_min_error_statement defaults to error).
    ["log_min_error_statement", "panic"],
    ["pg_stat_statements.track_utility", "off"],
];

/** Pure: the SET statements for UNLOGGED_SESSION, to send alone, before the statements they must hide. */
export function unloggedSessionSql(): string {
    return UNLOGGED_SESSION.map(([name, value]) => `SET ${name} = '${value}';`).join("\n");
}

/** A verifier as PostgreSQL stores it: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. */
const VERIFIER = /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;

/**
 * Pure: one `ALTER ROLE ... PASSWORD` per role given a verifier: the login roles and the replication role. A role
 * without one keeps its password. Refuses anything that is not a SCRAM verifier (a clear-text password would be
 * hashed by the server, and md5 cannot log in here).
 *
 * @param verifiers SCRAM verifiers (roles/scram.ts) by role name.
 */
export function rolePasswordSql(model: RoleModel, verifiers: Readonly<Record<string, string>>): string[] {
    const known = [...loginRoles(model).map((r) => r.name), model.replication.name];
    for (const [role, verifier] of Object.entries(verifiers)) {
        if (!known.includes(role))
            throw new Error(`password for ${role}: not a login role of the model (${known.join(", ")})`);
        if (!VERIFIER.test(verifier))
            throw new Error(`password for ${role}: a SCRAM-SHA-256 verifier is required, got another form`);
    }
    return known
        .filter((role) => verifiers[role] !== undefined)
        .map((role) => `ALTER ROLE ${ident(role)} PASSWORD '${verifiers[role]}';`);
}
