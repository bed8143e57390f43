/**
 * Every policy of the pack, by area and as one list. Importing this module starts nothing: the pack entry
 * (index.ts) hands the list to PolicyPack, `npm run policy` runs it offline under mocks, docs/policies.md is rendered
 * from the areas, and the tests call each policy directly.
 */
import type { Policies } from "@pulumi/policy";
import { auroraPolicies } from "./aurora";
import { auroraStackPolicies } from "./auroraStack";
import { backupPolicies } from "./backup";
import { dockerPolicies } from "./docker";
import { kubernetesPolicies } from "./kubernetes";
import { monitoringPolicies } from "./monitoring";
import { networkPolicies } from "./network";
import { parameterPolicies } from "./parameters";
import { rdsPolicies } from "./rds";
import { replicaPolicies } from "./replicas";
import { secretPolicies } from "./secrets";

export interface PolicyArea {
    readonly title: string;
    /** The file that defines them, from the repository root. */
    readonly file: string;
    readonly policies: Policies;
}

export const POLICY_AREAS: readonly PolicyArea[] = [
    { title: "RDS instance", file: "policies/rds.ts", policies: rdsPolicies },
    { title: "Aurora cluster and instances", file: "policies/aurora.ts", policies: auroraPolicies },
    { title: "Aurora across the stack", file: "policies/auroraStack.ts", policies: auroraStackPolicies },
    { title: "Read replicas", file: "policies/replicas.ts", policies: replicaPolicies },
    { title: "Parameter group", file: "policies/parameters.ts", policies: parameterPolicies },
    { title: "Backup", file: "policies/backup.ts", policies: backupPolicies },
    { title: "Monitoring", file: "policies/monitoring.ts", policies: monitoringPolicies },
    { title: "Network", file: "policies/network.ts", policies: networkPolicies },
    { title: "PgBouncer (Kubernetes and Docker)", file: "policies/kubernetes.ts", policies: kubernetesPolicies },
    { title: "Docker", file: "policies/docker.ts", policies: dockerPolicies },
    { title: "Credentials", file: "policies/secrets.ts", policies: secretPolicies },
];

export const policies: Policies = POLICY_AREAS.flatMap((a) => a.policies);

export const PACK_NAME = "metacortex-db";
