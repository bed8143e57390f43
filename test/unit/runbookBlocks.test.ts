/** Reading a runbook's code blocks as the tests run them: info strings, list indentation, AWS commands. */
import { strict as assert } from "assert";
import {
    blocksTagged,
    codeBlocks,
    parseAwsCommand,
    pipelineCommands,
    shellCommands,
    shellWords,
} from "../../scripts/lib/docs/runbookBlocks";

const doc = [
    "1. **Step**:",
    "   ```sh local",
    "   psql <<SQL",
    "   SELECT 1;",
    "   SQL",
    "   ```",
    "```sql",
    "SELECT 2;",
    "```",
    "   ```sh aws",
    "   aws rds reboot-db-instance --region eu-west-1 \\",
    "     --db-instance-identifier metacortex-prod   # a comment",
    "   ```",
].join("\n");

describe("runbook code blocks", () => {
    const blocks = codeBlocks(doc, "x.md");

    it("finds each fenced block with its info string and line, dedented by the fence's indentation", () => {
        assert.deepEqual(
            blocks.map((b) => [b.line, b.info.join(" "), b.code]),
            [
                [2, "sh local", "psql <<SQL\nSELECT 1;\nSQL"],
                [7, "sql", "SELECT 2;"],
                [
                    10,
                    "sh aws",
                    "aws rds reboot-db-instance --region eu-west-1 \\\n  --db-instance-identifier metacortex-prod   # a comment",
                ],
            ],
        );
        assert.deepEqual(
            blocksTagged(blocks, ["sh", "local"]).map((b) => b.line),
            [2],
        );
    });

    it("reads AWS commands across continuations, keeping quoted values and substitutions whole", () => {
        const [line] = shellCommands(blocks[2].code);
        assert.deepEqual(parseAwsCommand(line), {
            operation: "rds reboot-db-instance",
            flags: { "--region": "eu-west-1", "--db-instance-identifier": "metacortex-prod" },
        });
        assert.deepEqual(shellWords(`aws x y --a "b c" --d "$(npx pulumi stack output v --stack prod | tr a b)" --e`), [
            "aws",
            "x",
            "y",
            "--a",
            "b c",
            "--d",
            "$(npx pulumi stack output v --stack prod | tr a b)",
            "--e",
        ]);
        assert.equal(parseAwsCommand("psql -c 'x'"), undefined);
    });

    it("splits a pipeline into its commands, but not on a pipe quoted or inside a substitution", () => {
        assert.deepEqual(
            pipelineCommands(
                `aws s get --id "a|b" | jq -c '.x | .y' | aws s put --v "$(tr a b | tr c d)" --w file:///dev/stdin`,
            ),
            ['aws s get --id "a|b"', "jq -c '.x | .y'", 'aws s put --v "$(tr a b | tr c d)" --w file:///dev/stdin'],
        );
        assert.deepEqual(pipelineCommands("aws rds describe-db-instances --region eu-west-1"), [
            "aws rds describe-db-instances --region eu-west-1",
        ]);
    });
});
