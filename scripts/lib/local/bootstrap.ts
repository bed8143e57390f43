/**
 * Applies the role model (roles, schemas, extensions, grants, default privileges) to a database as its superuser,
 * with SCRAM verifiers computed here, so no clear-text password reaches the server, and set in a session that logs
 * nothing, so no verifier reaches the server's log, the audit trail or pg_stat_statements either.
 */
import { Client, type ClientConfig } from "pg";
import { loginRoles, roleModel, type RoleModel } from "../../../postgres/roles/model";
import { rolePasswordSql, unloggedSessionSql } from "../../../postgres/roles/passwords";
import { scramVerifier } from "../../../postgres/roles/scram";
import { renderRoleSql } from "../../../postgres/roles/sql";

/** Runs `work` on a new session of `config`, then ends it. */
async function inSession(config: ClientConfig, work: (client: Client) => Promise<unknown>): Promise<void> {
    const client = new Client(config);
    await client.connect();
    try {
        await work(client);
    } finally {
        await client.end();
    }
}

/**
 * Sets the passwords in a session of their own: its logging is turned off by one message, and only then are the
 * password statements sent (a statement log judges a message before running any statement in it).
 */
async function setPasswords(config: ClientConfig, statements: readonly string[]): Promise<void> {
    if (statements.length === 0) return;
    await inSession(config, async (client) => {
        try {
            await client.query(unloggedSessionSql());
        } catch (e) {
            throw new Error(
                `setting passwords needs a superuser session that can turn statement logging and pgaudit off: ${(e as Error).message}`,
            );
        }
        await client.query(statements.join("\n"));
    });
}

/** Applies the model; `passwords` maps role key (app, migrator, ..., replicator) to its password. Returns the model. */
export async function applyRoleModel(
    admin: ClientConfig,
    database: string,
    instanceClass: string,
    passwords: Readonly<Record<string, string>>,
): Promise<RoleModel> {
    const model = roleModel(database, instanceClass);
    const verifiers: Record<string, string> = {};
    for (const role of loginRoles(model)) {
        const password = passwords[role.key];
        if (!password) throw new Error(`no password given for role ${role.name} (${role.key})`);
        verifiers[role.name] = scramVerifier(password);
    }
    // The replication role logs in only where a password is given for it (key `replicator`).
    if (passwords.replicator) verifiers[model.replication.name] = scramVerifier(passwords.replicator);
    const config = { ...admin, database };
    // Roles first (a new login role has no password until the next step, so it cannot log in meanwhile).
    await inSession(config, (client) => client.query(renderRoleSql(model)));
    await setPasswords(config, rolePasswordSql(model, verifiers));
    return model;
}
