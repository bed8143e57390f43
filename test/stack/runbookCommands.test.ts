/**
 * The AWS-only steps of the runbooks (```sh aws blocks) name the prod stack's real resources: each command is a known
 * AWS CLI operation with flags it takes, the instance identifier, regions and vaults are the stack's, and every
 * `pulumi stack output` it reads exists. Checked against the program under mocks.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    type AwsCommand,
    blocksTagged,
    codeBlocks,
    parseAwsCommand,
    pipelineCommands,
    shellCommands,
} from "../../scripts/lib/docs/runbookBlocks";
import { ROOT, sharedStackRun, stackConfig } from "../harness/stack";

/** The AWS CLI operations the runbooks use, with the flags each takes (AWS CLI v2 reference). */
const OPERATIONS: Record<string, readonly string[]> = {
    "rds describe-db-instances": ["--db-instance-identifier", "--region", "--query", "--output"],
    "rds create-db-snapshot": ["--db-instance-identifier", "--db-snapshot-identifier", "--region", "--tags"],
    "rds reboot-db-instance": ["--db-instance-identifier", "--force-failover", "--no-force-failover", "--region"],
    "rds promote-read-replica": [
        "--db-instance-identifier",
        "--backup-retention-period",
        "--preferred-backup-window",
        "--region",
    ],
    "rds modify-db-instance": [
        "--db-instance-identifier",
        "--multi-az",
        "--vpc-security-group-ids",
        "--apply-immediately",
        "--manage-master-user-password",
        "--master-user-secret-kms-key-id",
        "--region",
    ],
    "rds describe-events": ["--source-identifier", "--source-type", "--duration", "--event-categories", "--region"],
    "rds create-blue-green-deployment": [
        "--blue-green-deployment-name",
        "--source",
        "--target-engine-version",
        "--target-db-parameter-group-name",
        "--region",
    ],
    "rds describe-engine-default-parameters": ["--db-parameter-group-family", "--region", "--query", "--output"],
    "rds describe-db-clusters": ["--db-cluster-identifier", "--region", "--query", "--output"],
    "rds failover-db-cluster": ["--db-cluster-identifier", "--target-db-instance-identifier", "--region"],
    "rds describe-db-subnet-groups": ["--db-subnet-group-name", "--region", "--query", "--output"],
    "rds create-db-subnet-group": [
        "--db-subnet-group-name",
        "--db-subnet-group-description",
        "--subnet-ids",
        "--tags",
        "--region",
    ],
    "rds restore-db-cluster-from-snapshot": [
        "--db-cluster-identifier",
        "--snapshot-identifier",
        "--engine",
        "--engine-version",
        "--db-subnet-group-name",
        "--vpc-security-group-ids",
        "--kms-key-id",
        "--region",
    ],
    "rds create-db-instance": [
        "--db-instance-identifier",
        "--db-cluster-identifier",
        "--engine",
        "--db-instance-class",
        "--availability-zone",
        "--region",
    ],
    "ec2 describe-security-groups": ["--group-ids", "--filters", "--region", "--query", "--output"],
    "ec2 create-security-group": ["--group-name", "--description", "--vpc-id", "--region", "--query", "--output"],
    "ec2 authorize-security-group-ingress": ["--group-id", "--protocol", "--port", "--source-group", "--region"],
    "iam list-roles": ["--path-prefix", "--region", "--query", "--output"],
    "backup list-backup-vaults": ["--region", "--query", "--output"],
    "backup get-recovery-point-restore-metadata": [
        "--backup-vault-name",
        "--recovery-point-arn",
        "--region",
        "--query",
        "--output",
    ],
    "backup list-recovery-points-by-backup-vault": [
        "--backup-vault-name",
        "--region",
        "--query",
        "--output",
        "--by-resource-arn",
    ],
    "backup start-restore-job": ["--recovery-point-arn", "--iam-role-arn", "--metadata", "--resource-type", "--region"],
    "secretsmanager describe-secret": ["--secret-id", "--region", "--query", "--output"],
    "secretsmanager stop-replication-to-replica": ["--secret-id", "--region"],
    "secretsmanager get-secret-value": [
        "--secret-id",
        "--version-id",
        "--version-stage",
        "--region",
        "--query",
        "--output",
    ],
    "secretsmanager put-secret-value": ["--secret-id", "--secret-string", "--version-stages", "--region"],
};

const placeholder = (v: string) => /^<.*>$|^\$/.test(v);

/** What the runbooks' commands may name: the prod stack's resources, and the prod-aurora stack's cluster. */
interface Names {
    /** DB instance identifiers of both stacks, and the cluster identifiers of prod-aurora. */
    readonly existing: readonly string[];
    /** Names the runbooks create (a restored instance or cluster): never one of `existing`. */
    readonly created: readonly string[];
    readonly regions: readonly string[];
    readonly vaults: readonly string[];
    readonly secrets: readonly string[];
    readonly roles: readonly string[];
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** Flags that name an instance or cluster which must exist (in a stack, or made by an earlier step). */
const NAMED = [
    "--db-instance-identifier",
    "--source-identifier",
    "--db-cluster-identifier",
    "--target-db-instance-identifier",
];
/** Operations whose identifier flag names a new resource. */
const CREATES: Record<string, string> = {
    "rds create-db-instance": "--db-instance-identifier",
    "rds restore-db-cluster-from-snapshot": "--db-cluster-identifier",
};

/** Pure: the names a line creates: a create operation's identifier, or a restore's metadata (`key=v` or JSON). */
function createdNames(line: string): string[] {
    const fromMetadata = [
        ...line.matchAll(/DB(?:Instance|Cluster)Identifier["']?\s*[=:]\s*\\?["']?([a-z][a-z0-9-]*)/g),
    ];
    const fromOperations = pipelineCommands(line)
        .map(parseAwsCommand)
        .flatMap((c) => (c && CREATES[c.operation] ? [String(c.flags[CREATES[c.operation]])] : []));
    return [...fromMetadata.map((m) => m[1]), ...fromOperations];
}

/** The problems of one AWS CLI command against the names. */
function commandProblems(where: string, cmd: AwsCommand, names: Names): string[] {
    const allowed = OPERATIONS[cmd.operation];
    if (!allowed) return [`${where}: unknown operation aws ${cmd.operation}`];
    const problems: string[] = [];
    for (const [flag, value] of Object.entries(cmd.flags)) {
        if (!allowed.includes(flag)) problems.push(`${where}: aws ${cmd.operation} takes no ${flag}`);
        if (typeof value !== "string" || placeholder(value)) continue;
        const known = [...names.existing, ...names.created];
        if (NAMED.includes(flag) && !known.includes(value))
            problems.push(`${where}: ${flag} ${value}, not one of ${known.join(", ")}`);
        if (flag === "--region" && !names.regions.includes(value))
            problems.push(`${where}: --region ${value}, not one of ${names.regions.join(", ")}`);
        if (flag === "--backup-vault-name" && !names.vaults.includes(value))
            problems.push(`${where}: no vault ${value}`);
        const named = names.roles.map((role) => value.replace("$role", role));
        if (flag === "--secret-id" && !named.every((n) => names.secrets.includes(n)))
            problems.push(`${where}: --secret-id ${value}, not one of ${names.secrets.join(", ")}`);
    }
    if (!cmd.flags["--region"]) problems.push(`${where}: names no --region`);
    return problems;
}

/** The problems of one command line: outputs it reads, the roles it loops over, and each AWS CLI command in it. */
function lineProblems(where: string, line: string, names: Names): string[] {
    const problems: string[] = [];
    for (const [, output] of line.matchAll(/pulumi stack output (\w+)/g))
        if (!(output in names.outputs)) problems.push(`${where}: no stack output ${output}`);
    // A loop over the roles names every role the stack keeps a secret for, and no other.
    const loop = /^for role in ([^;]+); do$/.exec(line)?.[1].split(/\s+/).sort();
    if (loop && loop.join(" ") !== names.roles.join(" "))
        problems.push(`${where}: loops over ${loop.join(" ")}, the stack's roles are ${names.roles.join(" ")}`);
    const commands = [...pipelineCommands(line), ...[...line.matchAll(/\$\((aws [^)]*)\)/g)].map((m) => m[1])];
    for (const cmd of commands.map(parseAwsCommand).filter((c) => c !== undefined))
        problems.push(...commandProblems(where, cmd, names));
    return problems;
}

describe("runbooks: AWS steps against the prod stack", function () {
    this.timeout(60_000);
    const blocks = fs
        .readdirSync(path.join(ROOT, "docs", "runbooks"))
        .filter((f) => f.endsWith(".md"))
        .flatMap((f) =>
            blocksTagged(codeBlocks(fs.readFileSync(path.join(ROOT, "docs", "runbooks", f), "utf8"), f), ["sh", "aws"]),
        );
    const lines = blocks.flatMap((b) =>
        shellCommands(b.code).map((line) => ({ where: `${b.file}:${b.line}: ${line.slice(0, 60)}`, line })),
    );

    it("has AWS steps to check", () => assert.ok(blocks.length >= 4, `${blocks.length} blocks`));

    it("uses known operations and flags, the stacks' instances and cluster, regions and vaults, and outputs that exist", async () => {
        const run = await sharedStackRun("prod");
        const aurora = await sharedStackRun("prod-aurora");
        const config = stackConfig("prod");
        const instances = run.ofType("aws:rds/instance:Instance");
        // The primary is the one instance that replicates from nothing; the read and DR replicas are named too.
        const primary = instances.filter((i) => !i.inputs.replicateSourceDb);
        assert.equal(primary.length, 1, `one primary among ${instances.map((i) => i.name).join(", ")}`);
        const clusters = aurora.ofType("aws:rds/cluster:Cluster").map((c) => c.inputs.clusterIdentifier as string);
        const clusterInstances = aurora
            .ofType("aws:rds/clusterInstance:ClusterInstance")
            .map((i) => i.inputs.identifier as string);
        const existing = [...instances.map((i) => i.inputs.identifier as string), ...clusters, ...clusterInstances];
        const created = lines.flatMap((l) => createdNames(l.line));
        const names: Names = {
            existing,
            created,
            regions: [
                config["aws:region"],
                config["metacortex-db:backupDrRegion"] ?? "eu-central-1",
                config["metacortex-db:drReplicaRegion"],
            ].filter((r) => r !== undefined),
            vaults: run.ofType("aws:backup/vault:Vault").map((v) => v.inputs.name),
            secrets: run.ofType("aws:secretsmanager/secret:Secret").map((s) => s.inputs.name as string),
            roles: Object.keys(run.outputs.roleSecretArns as object).sort(),
            outputs: run.outputs,
        };
        const problems = lines.flatMap((l) => lineProblems(l.where, l.line, names));
        // A restore or a new instance makes a new name: one the stacks already give would collide with it.
        for (const name of created.filter((n) => existing.includes(n)))
            problems.push(`creates ${name}, which a stack already names`);
        assert.deepEqual(problems, []);
        assert.equal(primary[0].inputs.identifier, "metacortex-prod");
        assert.ok(existing.includes("metacortex-prod-dr"), `the DR replica among ${existing.join(", ")}`);
        assert.deepEqual(clusters, ["metacortex-prod"]);
        assert.deepEqual(clusterInstances.sort(), ["metacortex-prod-1", "metacortex-prod-2"]);
        assert.ok(created.includes("metacortex-prod-restored"), `the runbooks' restores: ${created.join(", ")}`);
    });

    it("refuses a restore into a name a stack already gives, in either metadata form", () => {
        assert.deepEqual(
            createdNames(`aws backup start-restore-job --metadata 'DBInstanceIdentifier=metacortex-prod,MultiAZ=true'`),
            ["metacortex-prod"],
        );
        assert.deepEqual(createdNames(`M=$(jq -nc '{DBClusterIdentifier: "metacortex-prod-x", MultiAZ: "true"}')`), [
            "metacortex-prod-x",
        ]);
        assert.deepEqual(createdNames("aws rds create-db-instance --db-instance-identifier a-1 --region r"), ["a-1"]);
        assert.deepEqual(createdNames("aws rds describe-db-instances --db-instance-identifier a-1 --region r"), []);
    });
});
