/**
 * The AWS-only steps of the runbooks (```sh aws blocks) name the prod stack's real resources: each command is a known
 * AWS CLI operation with flags it takes, the instance identifier, regions and vaults are the stack's, and every
 * `pulumi stack output` it reads exists. Checked against the program under mocks.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import {
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
    "backup list-recovery-points-by-backup-vault": ["--backup-vault-name", "--region", "--query", "--by-resource-arn"],
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

describe("runbooks: AWS steps against the prod stack", function () {
    this.timeout(60_000);
    const blocks = fs
        .readdirSync(path.join(ROOT, "docs", "runbooks"))
        .filter((f) => f.endsWith(".md"))
        .flatMap((f) =>
            blocksTagged(codeBlocks(fs.readFileSync(path.join(ROOT, "docs", "runbooks", f), "utf8"), f), ["sh", "aws"]),
        );

    it("has AWS steps to check", () => assert.ok(blocks.length >= 4, `${blocks.length} blocks`));

    it("uses known operations and flags, the stack's instance, regions and vaults, and outputs that exist", async () => {
        const run = await sharedStackRun("prod");
        const config = stackConfig("prod");
        const instances = run.ofType("aws:rds/instance:Instance");
        // The primary is the one instance that replicates from nothing; the read and DR replicas are named too.
        const primary = instances.filter((i) => !i.inputs.replicateSourceDb);
        assert.equal(primary.length, 1, `one primary among ${instances.map((i) => i.name).join(", ")}`);
        const instance = primary[0].inputs.identifier;
        const identifiers = instances.map((i) => i.inputs.identifier as string);
        const regions = [
            config["aws:region"],
            config["metacortex-db:backupDrRegion"] ?? "eu-central-1",
            config["metacortex-db:drReplicaRegion"],
        ].filter((r) => r !== undefined);
        const vaults = run.ofType("aws:backup/vault:Vault").map((v) => v.inputs.name);
        const secrets = run.ofType("aws:secretsmanager/secret:Secret").map((s) => s.inputs.name as string);
        const roles = Object.keys(run.outputs.roleSecretArns as object).sort();
        const problems: string[] = [];
        for (const b of blocks)
            for (const line of shellCommands(b.code)) {
                const where = `${b.file}:${b.line}: ${line.slice(0, 60)}`;
                for (const [, output] of line.matchAll(/pulumi stack output (\w+)/g))
                    if (!(output in run.outputs)) problems.push(`${where}: no stack output ${output}`);
                // A loop over the roles names every role the stack keeps a secret for, and no other.
                const loop = /^for role in ([^;]+); do$/.exec(line)?.[1].split(/\s+/).sort();
                if (loop && loop.join(" ") !== roles.join(" "))
                    problems.push(`${where}: loops over ${loop.join(" ")}, the stack's roles are ${roles.join(" ")}`);
                const commands = [
                    ...pipelineCommands(line),
                    ...[...line.matchAll(/\$\((aws [^)]*)\)/g)].map((m) => m[1]),
                ];
                for (const cmd of commands.map(parseAwsCommand).filter((c) => c !== undefined)) {
                    const allowed = OPERATIONS[cmd.operation];
                    if (!allowed) {
                        problems.push(`${where}: unknown operation aws ${cmd.operation}`);
                        continue;
                    }
                    for (const [flag, value] of Object.entries(cmd.flags)) {
                        if (!allowed.includes(flag)) problems.push(`${where}: aws ${cmd.operation} takes no ${flag}`);
                        if (typeof value !== "string" || placeholder(value)) continue;
                        if (
                            ["--db-instance-identifier", "--source-identifier"].includes(flag) &&
                            !identifiers.includes(value)
                        )
                            problems.push(`${where}: ${flag} ${value}, not one of ${identifiers.join(", ")}`);
                        if (flag === "--region" && !regions.includes(value))
                            problems.push(`${where}: --region ${value}, not one of ${regions.join(", ")}`);
                        if (flag === "--backup-vault-name" && !vaults.includes(value))
                            problems.push(`${where}: no vault ${value}`);
                        const named = roles.map((role) => value.replace("$role", role));
                        if (flag === "--secret-id" && !named.every((n) => secrets.includes(n)))
                            problems.push(`${where}: --secret-id ${value}, not one of ${secrets.join(", ")}`);
                    }
                    if (!cmd.flags["--region"]) problems.push(`${where}: names no --region`);
                    // A restore makes a new instance: a name the stack already gives one would collide with it.
                    const restoredAs = /DBInstanceIdentifier=([^,'"]+)/.exec(String(cmd.flags["--metadata"] ?? ""));
                    if (restoredAs && identifiers.includes(restoredAs[1]))
                        problems.push(`${where}: restores into ${restoredAs[1]}, which the stack already names`);
                }
            }
        assert.deepEqual(problems, []);
        assert.equal(instance, "metacortex-prod");
        assert.ok(identifiers.includes("metacortex-prod-dr"), `the DR replica among ${identifiers.join(", ")}`);
    });
});
