/** npm run plan: the committed reviewer's inventory of each stack is current, deterministic, and masks secrets. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderPlan } from "../../scripts/lib/stack/planRender";
import { MOCK_PASSWORD, ROOT, runStack, sharedStackRun } from "../harness/stack";

describe("npm run plan (docs/stacks)", function () {
    this.timeout(60_000);
    for (const stack of ["dev", "dev-replicas", "prod", "prod-aurora"]) {
        it(`docs/stacks/${stack}.md is current (run \`npm run plan -- --stack ${stack}\` after changing infrastructure)`, async () => {
            const rendered = renderPlan(stack, (await sharedStackRun(stack)).resources);
            const committed = fs.readFileSync(path.join(ROOT, "docs", "stacks", `${stack}.md`), "utf8");
            assert.ok(
                rendered === committed,
                `docs/stacks/${stack}.md is stale: run npm run plan -- --stack ${stack} and commit the diff`,
            );
            assert.ok(!committed.includes(MOCK_PASSWORD), "no generated password appears");
            assert.ok(!/\/tmp\/metacortex-mock-\d+/.test(committed), "temporary paths are normalized");
        });
    }

    it("is deterministic across runs, whatever order the engine registered resources in", async () => {
        const [first, second] = [await sharedStackRun("prod"), await runStack("prod")];
        assert.equal(renderPlan("prod", [...second.resources].reverse()), renderPlan("prod", first.resources));
    });
});
