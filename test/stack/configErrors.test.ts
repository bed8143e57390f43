/** A bad config value stops the real program under mocks before it registers any resource. */
import { strict as assert } from "assert";
import { failStack } from "../harness/stack";

describe("config errors through the program", () => {
    it("fails the real program before any resource is registered", async () => {
        for (const overrides of [
            { backupRetentionDays: "0" },
            { allowedCidrs: `["0.0.0.0/0"]` },
            { engineVersion: "14" },
        ]) {
            const { error, registered } = await failStack("prod", overrides);
            assert.ok(error instanceof Error && error.name === "ConfigError", String(error));
            assert.equal(registered, 0, `${JSON.stringify(overrides)} registered ${registered} resources first`);
        }
    });
});
