import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Threshold } from "../../postgres/monitoring/thresholds";
import type { RdsParameter } from "../../postgres/settings/render";
import { DatabaseNetwork } from "./databaseNetwork";
import { KmsKey } from "./kmsKey";
import { ParameterGroup } from "./parameterGroup";
import { ReadReplica, type ReadReplicaArgs } from "./readReplica";
import { ReplicaMonitoring } from "./replicaMonitoring";

export interface DrReplicaArgs
    extends Pick<
        ReadReplicaArgs,
        | "identifier"
        | "instanceClass"
        | "port"
        | "maxAllocatedStorageGiB"
        | "monitoringRoleArn"
        | "deletionProtection"
        | "maintenanceWindow"
        | "tags"
    > {
    /** The region the replica runs in; never the source's (config refuses it). */
    readonly region: string;
    /** The source instance's ARN (RDS names a cross-region source by ARN). */
    readonly sourceArn: pulumi.Input<string>;
    /** The replica's VPC, in `region`. */
    readonly vpcId: string;
    /** Private subnets of its DB subnet group, in `region`: at least two, in different AZs. */
    readonly subnetIds: readonly string[];
    /** Its parameter group's contents: the standby settings (postgres/settings/standby.ts). */
    readonly parameters: readonly RdsParameter[];
    /** Alias of its region's key, without `alias/`, e.g. `metacortex-prod/dr-replica`. */
    readonly keyAlias: string;
    /**
     * Alarms and events in its region (CloudWatch alarms and RDS events publish only to a topic of their own region):
     * where they go and the thresholds (postgres/monitoring/replicas.ts). Omit for none.
     */
    readonly alarms?: {
        /** Where the region's topic sends them (an email subscription, confirmed from the inbox). */
        readonly email: string;
        /** Thresholds by key, as for the replicas beside the source. */
        readonly thresholds: Readonly<Record<string, Threshold>>;
    };
}

/**
 * The database's copy in another region, for the loss of a region: a cross-region read replica under that region's
 * own CMK, in its own subnets, behind a security group that admits nobody until the replica is promoted
 * (docs/runbooks/region-loss.md), with its own parameter group, alarm topic, alarms and events there. The role
 * secrets are replicated there under the same key (RoleSecrets' `replica`, wired by MetacortexDatabase).
 */
export class DrReplica extends pulumi.ComponentResource {
    readonly kmsKey: KmsKey;
    readonly network: DatabaseNetwork;
    readonly parameterGroup: ParameterGroup;
    readonly replica: ReadReplica;
    /** The region's alarm topic, when alarms are on. */
    readonly topic?: aws.sns.Topic;
    /** The region it runs in. */
    readonly region: string;

    constructor(name: string, args: DrReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
        super("metacortex:aws:DrReplica", name, {}, opts);
        this.region = args.region;
        const provider = new aws.Provider(`${name}-region`, { region: args.region as aws.Region }, { parent: this });
        const there = { parent: this, providers: [provider] };
        this.kmsKey = new KmsKey(
            `${name}-kms`,
            {
                description: `${args.identifier}: cross-region replica storage, Performance Insights, logs, alarms, replicated role secrets (${args.region})`,
                alias: args.keyAlias,
                // Secrets Manager needs no entry: it uses the key with its caller's IAM permissions (kms:ViaService),
                // which the policy's account statement lets IAM grant, for the replicated role secrets too.
                servicePrincipals: [
                    `logs.${args.region}.amazonaws.com`,
                    "cloudwatch.amazonaws.com",
                    "events.rds.amazonaws.com",
                ],
                tags: args.tags,
            },
            there,
        );
        this.network = new DatabaseNetwork(
            `${name}-net`,
            {
                vpcId: args.vpcId,
                subnetIds: args.subnetIds,
                port: args.port,
                allowedCidrs: [],
                allowedSecurityGroupIds: [],
                tags: args.tags,
            },
            there,
        );
        this.parameterGroup = new ParameterGroup(
            `${name}-params`,
            { family: "postgres15", parameters: args.parameters, tags: args.tags },
            there,
        );
        this.replica = new ReadReplica(
            `${name}-replica`,
            {
                ...pickReplicaArgs(args),
                source: args.sourceArn,
                region: args.region,
                kmsKeyArn: this.kmsKey.arn,
                parameterGroupName: this.parameterGroup.name,
                securityGroupIds: [this.network.securityGroup.id],
                subnetGroupName: this.network.subnetGroup.name,
            },
            there,
        );
        this.topic = args.alarms && regionAlarms(name, args, args.alarms, this.kmsKey, this.replica, provider, this);
        this.registerOutputs({ arn: this.replica.arn, kmsKeyArn: this.kmsKey.arn });
    }
}

/** Pure: the replica settings DrReplica passes through unchanged. */
function pickReplicaArgs(args: DrReplicaArgs) {
    const { identifier, instanceClass, port, maxAllocatedStorageGiB, monitoringRoleArn, tags } = args;
    const { deletionProtection, maintenanceWindow } = args;
    return {
        identifier,
        instanceClass,
        port,
        maxAllocatedStorageGiB,
        monitoringRoleArn,
        deletionProtection,
        maintenanceWindow,
        tags,
    };
}

/** The region's alarm topic (encrypted with the region's key), its email subscription, and the replica's alarms. */
function regionAlarms(
    name: string,
    args: DrReplicaArgs,
    alarms: NonNullable<DrReplicaArgs["alarms"]>,
    key: KmsKey,
    replica: ReadReplica,
    provider: aws.Provider,
    parent: pulumi.Resource,
): aws.sns.Topic {
    const topic = new aws.sns.Topic(
        `${name}-alarms`,
        { kmsMasterKeyId: key.arn, tags: args.tags },
        { parent, provider },
    );
    new aws.sns.TopicSubscription(
        `${name}-alarms-email`,
        { topic: topic.arn, protocol: "email", endpoint: alarms.email },
        { parent, provider },
    );
    new ReplicaMonitoring(
        `${name}-monitoring`,
        {
            replicaIds: [args.identifier],
            sources: [replica.instance],
            thresholds: alarms.thresholds,
            topicArn: topic.arn,
            tags: args.tags,
        },
        { parent, providers: [provider] },
    );
    return topic;
}
