/** The small misreports: policy counts that add up, plan's changed or unchanged, and no temporary files left. */
import { strict as assert } from "assert";
import { planChange } from "../../scripts/lib/stack/planRender";
import { type Finding, policyCounts, policyCountsLine } from "../../scripts/lib/stack/policyRun";

const finding = (policy: string): Finding => ({
    policy,
    enforcementLevel: "mandatory",
    resource: "r",
    type: "t",
    result: "pass",
    message: "",
});

describe("npm run policy's counts", () => {
    it("says how many policies applied, were not applicable and were disabled, adding up to the total", () => {
        const effective = new Map([
            ["a", { enforcementLevel: "mandatory" as const, config: {} }],
            ["b", { enforcementLevel: "mandatory" as const, config: {} }],
            ["c", { enforcementLevel: "disabled" as const, config: {} }],
        ]);
        const counts = policyCounts(["a", "b", "c"], effective, [finding("a"), finding("a")]);
        assert.deepEqual(counts, { applied: 1, notApplicable: ["b"], disabled: ["c"] });
        assert.equal(
            policyCountsLine("dev", counts),
            "policy: 3 policies: 1 applied to stack dev's resources, 1 not applicable (no resource of theirs in this stack), 1 disabled by the stack's policy config",
        );
    });
});

describe("npm run plan's last line", () => {
    it("says whether the inventory changed", () => {
        assert.deepEqual(
            [planChange(undefined, "x"), planChange("x", "x"), planChange("x", "y")],
            ["new file", "unchanged", "changed: review its diff"],
        );
    });
});
