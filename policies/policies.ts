/**
 * Every policy of the pack, as one list. Importing this module starts nothing: the pack entry (index.ts) hands the
 * list to PolicyPack, `npm run policy` runs it offline under mocks, and the tests call each policy directly.
 */
import { Policies } from "@pulumi/policy";
import { backupPolicies } from "./backup";
import { dockerPolicies } from "./docker";
import { kubernetesPolicies } from "./kubernetes";
import { monitoringPolicies } from "./monitoring";
import { networkPolicies } from "./network";
import { parameterPolicies } from "./parameters";
import { rdsPolicies } from "./rds";
import { secretPolicies } from "./secrets";

export const policies: Policies = [
    ...rdsPolicies, ...parameterPolicies, ...backupPolicies, ...monitoringPolicies, ...networkPolicies, ...kubernetesPolicies, ...dockerPolicies, ...secretPolicies,
];

export const PACK_NAME = "metacortex-db";
