/**
 * prod's read replicas: the ones beside the primary, which serve reads, and the DR replica in another region, which
 * waits to be promoted. Each gets a parameter group rendered from the settings source for its class (the standby
 * rows, the hot-standby floors at the primary's values), and the in-region ones become the read route's targets.
 */
import type * as pulumi from "@pulumi/pulumi";
import { instanceClass } from "../../postgres/instanceClasses";
import { replicaThresholds } from "../../postgres/monitoring/replicas";
import type { ReadTarget } from "../../postgres/pooling/readRouting";
import { renderRdsParameters, replicaSettings } from "../../postgres/settings";
import { sizeFor } from "../../postgres/settings/sizing";
import type { AwsPostgres } from "../aws/awsPostgres";
import { DrReplica } from "../aws/drReplica";
import { ReadReplicas } from "../aws/readReplicas";
import { withResource } from "../support/resourceError";
import type { MetacortexDatabaseArgs } from "./args";

/** The replicas of an RDS primary, and the targets reads go to. */
export interface Replicas {
    /** The replicas beside the primary; undefined when `replicas.count` is 0. */
    readonly inRegion?: ReadReplicas;
    /** The cross-region replica; undefined without `replicas.dr`. */
    readonly dr?: DrReplica;
    /** Each in-region replica's endpoint with its class's connection budget (an empty list: the primary serves). */
    readonly targets: ReadTarget<pulumi.Output<string>>[];
}

/** The standby settings for a replica of class `standbyClass`, rendered for RDS. */
function standbyParameters(args: MetacortexDatabaseArgs, standbyClass: string) {
    return renderRdsParameters(
        replicaSettings({
            environment: args.environment,
            instanceClass: args.instanceClass,
            databaseName: args.databaseName,
            standbyInstanceClass: standbyClass,
        }),
    );
}

/** The replicas beside the primary and the DR replica, as the args ask for them. */
export function awsReplicas(
    name: string,
    args: MetacortexDatabaseArgs,
    aws: AwsPostgres,
    parent: pulumi.Resource,
): Replicas {
    const r = args.replicas;
    const inRegion =
        r.count > 0
            ? new ReadReplicas(
                  `${name}-replicas`,
                  {
                      sourceIdentifier: aws.instanceIdentifier,
                      source: aws.rds.instance.identifier,
                      count: r.count,
                      instanceClass: r.instanceClass,
                      parameters: withResource(parent, () => standbyParameters(args, r.instanceClass)),
                      port: aws.port,
                      maxAllocatedStorageGiB: args.maxAllocatedStorageGiB,
                      kmsKeyArn: aws.kmsKey.arn,
                      securityGroupIds: [aws.network.securityGroup.id],
                      monitoringRoleArn: aws.monitoringRole.arn,
                      deletionProtection: args.deletionProtection,
                      maintenanceWindow: args.maintenanceWindow,
                      tags: args.tags,
                  },
                  { parent },
              )
            : undefined;
    const budget = withResource(parent, () => sizeFor(instanceClass(r.instanceClass)).connectionBudget);
    return {
        inRegion,
        dr: r.dr && drReplica(name, args, r.dr, aws, parent),
        targets: (inRegion?.replicas ?? []).map((replica) => ({ host: replica.address, connectionBudget: budget })),
    };
}

/** The DR replica: the primary's class, in its region (no automated backups until promoted), with alarms there when the primary has them. */
function drReplica(
    name: string,
    args: MetacortexDatabaseArgs,
    dr: NonNullable<MetacortexDatabaseArgs["replicas"]["dr"]>,
    aws: AwsPostgres,
    parent: pulumi.Resource,
): DrReplica {
    const thresholds = withResource(parent, () =>
        replicaThresholds(args.instanceClass, args.allocatedStorageGiB, args.replicas.lagAlarmSeconds),
    );
    return new DrReplica(
        `${name}-dr`,
        {
            identifier: `${aws.instanceIdentifier}-dr`,
            region: dr.region,
            sourceArn: aws.rds.instance.arn,
            vpcId: dr.vpcId,
            subnetIds: dr.subnetIds,
            instanceClass: args.instanceClass,
            port: aws.port,
            maxAllocatedStorageGiB: args.maxAllocatedStorageGiB,
            parameters: withResource(parent, () => standbyParameters(args, args.instanceClass)),
            keyAlias: `${args.identifier}/dr-replica`,
            monitoringRoleArn: aws.monitoringRole.arn,
            deletionProtection: args.deletionProtection,
            maintenanceWindow: args.maintenanceWindow,
            alarms: args.alarmEmail ? { email: args.alarmEmail, thresholds } : undefined,
            tags: args.tags,
        },
        { parent },
    );
}
