/** A run of the program under mocks (npm run plan, npm run policy, the stack tests) leaves no temporary file behind. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import { runStack } from "../harness/stack";

describe("temporary files of runs under mocks", function () {
    this.timeout(120_000);
    it("removes this process's metacortex-mock-<pid>-*.pem after each run of either stack", async () => {
        const mine = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`metacortex-mock-${process.pid}-`));
        for (const stack of ["prod", "dev"]) {
            const run = await runStack(stack);
            assert.ok(run.resources.length > 50, `${stack} ran`);
            assert.deepEqual(mine(), [], `after ${stack}`);
        }
    });
});
