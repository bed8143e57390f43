/** Roles, grants and extensions from the role model, and (aws) each login role's credentials in Secrets Manager. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ADMIN_ROLE, roleModel } from "../../postgres/roles/model";
import { RoleSecrets, type RoleSecretsArgs } from "../aws/roleSecrets";
import { DatabaseAccess } from "../postgresql/databaseAccess";
import type { MetacortexDatabaseArgs } from "./args";
import type { Primary } from "./primary";

/** The managed roles, and where their credentials are kept. */
export interface Access {
    /** Roles, grants and extensions (their credentials and SCRAM verifiers). */
    readonly access: DatabaseAccess;
    /** aws: Secrets Manager ARN of each login role's credentials, by role key. docker: undefined. */
    readonly roleSecretArns?: Record<string, pulumi.Output<string>>;
    /** With a DR replica: each role secret's replica ARN in the DR region, by role key. Otherwise undefined. */
    readonly drRoleSecretArns?: Record<string, pulumi.Output<string>>;
}

/**
 * The role model over a verify-full connection as the admin; aws also stores each role's credentials, replicated to
 * `replica`'s region when there is a DR replica there (so a promoted replica has its credentials beside it).
 */
export function manageAccess(
    name: string,
    args: MetacortexDatabaseArgs,
    primary: Primary,
    parent: pulumi.Resource,
    replica?: RoleSecretsArgs["replica"],
): Access {
    const access = new DatabaseAccess(
        `${name}-access`,
        {
            model: roleModel(args.databaseName, args.instanceClass),
            admin: {
                host: args.admin.host ?? primary.host,
                port: args.admin.port ?? primary.port,
                username: ADMIN_ROLE,
                ...adminCredentials(args, primary, parent),
                superuser: primary.docker !== undefined,
            },
            // Standbys we run ourselves stream as the replication role; RDS replicates on its own.
            replicationRole: primary.docker !== undefined && args.replicas.count > 0,
        },
        { parent },
    );
    // RDS and Aurora alike: the credentials go to Secrets Manager under the database's CMK, with its writer's host.
    const cloud = primary.aws ?? primary.aurora;
    if (!cloud) return { access };
    const secrets = new RoleSecrets(
        `${name}-role-secrets`,
        {
            namePrefix: `${args.identifier}/db`,
            credentials: access.credentials,
            host: primary.host,
            port: primary.port,
            database: args.databaseName,
            kmsKeyArn: cloud.kmsKey.arn,
            replica,
            tags: args.tags,
        },
        { parent },
    );
    return { access, roleSecretArns: secrets.arns, drRoleSecretArns: secrets.replicaArns };
}

/** The admin's password and the CA file its connection verifies the server with. */
function adminCredentials(
    args: MetacortexDatabaseArgs,
    primary: Primary,
    parent: pulumi.Resource,
): { password: pulumi.Output<string>; caPath: pulumi.Output<string> } {
    if (primary.adminSecret.kind === "aws-secretsmanager") {
        // The RDS-managed master secret (the instance's or the cluster's): read at deploy time, never stored in config.
        const secret = aws.secretsmanager.getSecretVersionOutput({ secretId: primary.adminSecret.ref }, { parent });
        return {
            password: pulumi.secret(secret.secretString.apply((s) => JSON.parse(s).password as string)),
            caPath: pulumi.output(args.admin.caPath),
        };
    }
    if (!primary.docker)
        throw new pulumi.ResourceError("a database without a managed secret must be the dev container", parent);
    // The dev CA exists only once the tls provider has made it; index.ts writes it where the provider reads it.
    return { password: primary.adminPassword, caPath: args.files.writeCaFile(primary.caBundle) };
}
