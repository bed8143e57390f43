/** The role-management section: how `pulumi up` connects to the database to manage roles, grants and extensions. */
import * as c from "../checks";
import type { Reader } from "../read";
import { boolean, integer, perTarget, row, text } from "../schema";
import type { AdminConnectionConfig } from "../types";

export const ADMIN_KEYS = {
    manageRoles: row({
        doc: "manage roles, grants and extensions with @pulumi/postgresql in this run (it connects to the database)",
        type: boolean(),
        default: true,
    }),
    adminHost: row({
        doc: "where `pulumi up` connects to manage roles (docs/security.md describes the SSM tunnel)",
        type: text(c.HOST_NAME),
        default: { unset: "the database endpoint" },
    }),
    adminPort: row({
        doc: "with an SSM tunnel, its local port",
        type: integer(1, 65535, { note: "(TCP port)" }),
        default: { unset: "the database port" },
    }),
    adminCaPath: row({
        doc: "CA bundle for `sslmode=verify-full`; dev writes its generated CA there",
        type: text(c.FILE_PATH),
        default: perTarget(".local/dev-ca.pem", ".local/rds-global-bundle.pem"),
    }),
};

export function readAdmin(r: Reader<typeof ADMIN_KEYS>): AdminConnectionConfig {
    return {
        manageRoles: r.read("manageRoles"),
        host: r.read("adminHost"),
        port: r.read("adminPort"),
        caPath: r.read("adminCaPath"),
    };
}
