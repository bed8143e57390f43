/**
 * Read-replica policies: what the RDS instance rules (rds.ts) cannot see from one instance alone. A replica is judged
 * by those rules too, so its encryption with a customer-managed key, its Performance Insights and its monitoring are
 * theirs; here are the key's region, the DR replica's region, the lag alarm every replica needs, and the credentials
 * a promoted DR replica needs in its region.
 */
import * as aws from "@pulumi/aws";
import {
    type PolicyResource,
    type ResourceValidationPolicy,
    type StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { arnRegion, isKeyArn, isReadReplica } from "./lib";

export const replicaKeyOfItsRegion: ResourceValidationPolicy = {
    name: "replica-key-of-its-region",
    description:
        "A read replica's storage and Performance Insights are encrypted with a key of the replica's own region, never its source's from another.",
    severity: "critical",
    validateResource: validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        if (!isReadReplica(db)) args.notApplicable("not a read replica");
        // Whether the keys are customer-managed ARNs at all is rds-encrypted-with-cmk's and rds-performance-insights'.
        const keys = { kmsKeyId: db.kmsKeyId, performanceInsightsKmsKeyId: db.performanceInsightsKmsKeyId };
        const regions = Object.entries(keys).filter(([, key]) => isKeyArn(key));
        const home = db.region ?? arnRegion(db.kmsKeyId);
        if (home === undefined) return;
        for (const [field, key] of regions) {
            const region = arnRegion(key);
            if (region !== home)
                report(`${field} is a key of ${region}; a replica in ${home} needs a key of its own region.`);
        }
    }),
};

/** The read replicas that say they run in a region of their own. */
const crossRegion = (resources: PolicyResource[]) =>
    resources.filter((r) => r.isType(aws.rds.Instance) && isReadReplica(r.props) && r.props.region !== undefined);

export const drReplicaOtherRegion: StackValidationPolicy = {
    name: "dr-replica-other-region",
    description:
        "A cross-region read replica names its source by ARN in another region, and where required the stack has one, so the database survives the loss of its region.",
    severity: "high",
    configSchema: { properties: { required: { type: "boolean", default: false } } },
    validateStack: (args, report) => {
        const primaries = args.resources.filter((r) => r.isType(aws.rds.Instance) && !isReadReplica(r.props));
        if (primaries.length === 0) args.notApplicable("no RDS instance in this stack");
        const dr = crossRegion(args.resources);
        if (dr.length === 0 && args.getConfig<{ required: boolean }>().required)
            report("No read replica in another region: the database would not survive the loss of its region.");
        for (const replica of dr) {
            const source = arnRegion(replica.props.replicateSourceDb);
            const id = replica.props.identifier ?? replica.name;
            if (source === undefined)
                report(
                    `Read replica ${id} in ${replica.props.region} names its source as ${replica.props.replicateSourceDb}; a cross-region replica names it by ARN.`,
                    replica.urn,
                );
            else if (source === replica.props.region)
                report(
                    `Read replica ${id} is in its source's region ${source}: it would not survive the loss of that region.`,
                    replica.urn,
                );
        }
    },
};

export const replicaLagAlarm: StackValidationPolicy = {
    name: "replica-lag-alarm",
    description:
        "Every read replica has a ReplicaLag alarm that fires at most the configured number of seconds behind.",
    severity: "high",
    configSchema: { properties: { maxSeconds: { type: "integer", minimum: 1, default: 300 } } },
    validateStack: (args, report) => {
        const replicas = args.resources.filter((r) => r.isType(aws.rds.Instance) && isReadReplica(r.props));
        if (replicas.length === 0) args.notApplicable("no read replica in this stack");
        const { maxSeconds } = args.getConfig<{ maxSeconds: number }>();
        const lagAlarms = args.resources.filter(
            (a) =>
                a.isType(aws.cloudwatch.MetricAlarm) &&
                a.props.metricName === "ReplicaLag" &&
                a.props.namespace === "AWS/RDS",
        );
        for (const replica of replicas) {
            const id = replica.props.identifier;
            const own = lagAlarms.filter((a) => a.props.dimensions?.DBInstanceIdentifier === id);
            if (own.length === 0) report(`Read replica ${id} has no ReplicaLag alarm.`, replica.urn);
            else if (!own.some((a) => Number(a.props.threshold) <= maxSeconds))
                report(
                    `Read replica ${id}'s ReplicaLag alarm fires above ${Math.min(...own.map((a) => Number(a.props.threshold)))} s; at most ${maxSeconds} s required.`,
                    replica.urn,
                );
        }
    },
};

export const drReplicaSecrets: StackValidationPolicy = {
    name: "dr-replica-secrets",
    description:
        "With a cross-region read replica, every Secrets Manager secret of the stack is replicated to that replica's region under a customer-managed key of that region, so a promoted replica has its credentials beside it.",
    severity: "high",
    validateStack: (args, report) => {
        // A "cross-region" replica in its source's own region is dr-replica-other-region's to report, not a DR region.
        const dr = crossRegion(args.resources).filter((r) => arnRegion(r.props.replicateSourceDb) !== r.props.region);
        const regions = [...new Set(dr.map((r) => String(r.props.region)))];
        if (regions.length === 0) args.notApplicable("no cross-region read replica in this stack");
        for (const secret of args.resources.filter((r) => r.isType(aws.secretsmanager.Secret))) {
            const name = secret.props.name ?? secret.name;
            const replicas: { region?: string; kmsKeyId?: string }[] = Array.isArray(secret.props.replicas)
                ? secret.props.replicas
                : [];
            for (const region of regions) {
                const there = replicas.find((r) => r?.region === region);
                if (!there)
                    report(
                        `Secret ${name} is not replicated to ${region}, where the DR replica runs: it would be lost with its own region.`,
                        secret.urn,
                    );
                else if (!isKeyArn(there.kmsKeyId) || arnRegion(there.kmsKeyId) !== region)
                    report(
                        `Secret ${name}'s replica in ${region} is encrypted with ${there.kmsKeyId ?? "the AWS-managed key aws/secretsmanager"}; a customer-managed key of ${region} is required.`,
                        secret.urn,
                    );
            }
        }
    },
};

export const replicaPolicies = [replicaKeyOfItsRegion, drReplicaOtherRegion, replicaLagAlarm, drReplicaSecrets];
