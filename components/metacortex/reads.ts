/**
 * Where prod's reads go: the read route over the in-region replicas (or the primary), the host list it lands on, and
 * the backend's read-only URL, through PgBouncer's read database when PgBouncer runs, else straight to the hosts.
 */
import * as pulumi from "@pulumi/pulumi";
import { type ReadRoute, type ReadTarget, readOnlyUrl, readRoute } from "../../postgres/pooling/readRouting";
import { ROLE } from "../../postgres/roles/model";
import type { Pgbouncer } from "../kubernetes/pgbouncer";
import type { MetacortexDatabaseArgs } from "./args";

/** The read route, the hosts it lands on, and the read-only URL once it is known whether PgBouncer fronts it. */
export interface ReadRoutes {
    /** The replicas' endpoints and budget, or the primary's endpoint when there are none (readRouting.ts). */
    readonly route: ReadRoute<pulumi.Output<string>>;
    /** The route's hosts as one libpq/PgBouncer host list (`a,b,c`). */
    readonly endpoint: pulumi.Output<string>;
    /** The backend's read-only URL (the app role, no password): PgBouncer's read database, or the hosts themselves. */
    readonly url: (pgbouncer: Pgbouncer | undefined) => pulumi.Output<string>;
}

/**
 * The route over `targets`, or to the primary's host when there are none. Any engine's readers are targets: each RDS
 * read replica (awsReplicas), or an Aurora cluster's reader endpoint with its readers' budgets together.
 */
export function readRoutes(
    args: MetacortexDatabaseArgs,
    primary: { readonly host: pulumi.Output<string>; readonly port: pulumi.Output<number> },
    targets: readonly ReadTarget<pulumi.Output<string>>[],
): ReadRoutes {
    const route = readRoute(targets, primary.host);
    const endpoint = pulumi.all([...route.hosts]).apply((hosts) => hosts.join(","));
    const url = (pgbouncer: Pgbouncer | undefined) =>
        pgbouncer?.readDatabase
            ? pulumi.output(readOnlyUrl({ user: ROLE.app, hosts: [pgbouncer.host], database: pgbouncer.readDatabase }))
            : pulumi
                  .all([pulumi.all([...route.hosts]), primary.port])
                  .apply(([hosts, port]) => readOnlyUrl({ user: ROLE.app, hosts, database: args.databaseName, port }));
    return { route, endpoint, url };
}
