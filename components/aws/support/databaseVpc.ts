import type * as pulumi from "@pulumi/pulumi";

/**
 * Where something that talks to the database sits in AWS: in the database's VPC and subnets, admitted by the
 * database's security group on the database's port, and reading secrets encrypted with the database's CMK.
 * AwsPostgres gives it (`AwsPostgres.vpc`); the health check, the restore tests and their validator, the function
 * both run as (VpcFunction), AWS Backup and RDS Proxy take it.
 */
export interface DatabaseVpc {
    /** The database's VPC (`vpc-<hex>`). */
    readonly vpcId: pulumi.Input<string>;
    /** The database's private subnets (`subnet-<hex>`, at least two, in different AZs); callers run in them too. */
    readonly subnetIds: readonly string[];
    /** The database's security group. Each caller gets its own group, which this one admits on `port` only. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    /** The database's PostgreSQL port (TCP). AwsPostgres uses POSTGRES_PORT unless told otherwise. */
    readonly port: number;
    /**
     * ARN of the database's customer-managed KMS key: it encrypts the role secrets callers read (they get
     * kms:Decrypt on it and on no other key) and what callers keep themselves (a function's environment, a vault).
     */
    readonly kmsKeyArn: pulumi.Input<string>;
}

/** A function in the database's VPC that logs in as one role, with that role's secret. */
export interface DatabaseVpcFunction extends DatabaseVpc {
    /** Secrets Manager ARN of the role's credentials (RoleSecrets' JSON): the only secret the function may read. */
    readonly secretArn: pulumi.Input<string>;
}

/** Pure: only the DatabaseVpc fields of `args`, to hand a component's placement on to what it creates. */
export function databaseVpc(args: DatabaseVpc): DatabaseVpc {
    const { vpcId, subnetIds, databaseSecurityGroupId, port, kmsKeyArn } = args;
    return { vpcId, subnetIds, databaseSecurityGroupId, port, kmsKeyArn };
}
