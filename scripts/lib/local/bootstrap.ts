/**
 * Applies the role model (roles, schemas, extensions, grants, default privileges) to a database as its superuser,
 * with SCRAM verifiers computed here, so no clear-text password reaches the server.
 */
import { Client, type ClientConfig } from "pg";
import { loginRoles, roleModel, type RoleModel } from "../../../postgres/roles/model";
import { renderRoleSql } from "../../../postgres/roles/sql";
import { scramVerifier } from "../../../postgres/roles/scram";

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
    const client = new Client({ ...admin, database });
    await client.connect();
    try {
        await client.query(renderRoleSql(model, verifiers));
    } finally {
        await client.end();
    }
    return model;
}
