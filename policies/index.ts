/**
 * The CrossGuard pack entry: constructs the PolicyPack and nothing else. The policies live in ./policies.ts.
 * `pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json`.
 * Every policy is mandatory unless a stack's config file lowers it; prod's may not (npm run policy checks).
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
    policies,
    enforcementLevel: "mandatory",
    description:
        "MetaCortex database platform: RDS and Aurora, parameters, backups, monitoring, network, PgBouncer, Docker and credentials.",
});
