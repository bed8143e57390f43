/** npm run plan's rendering rules: secrets masked, long values digested, only security-relevant settings kept. */
import * as assert from "assert";
import { cell, settings } from "../../scripts/lib/stack/planRender";

describe("plan rendering", () => {
    it("masks secret inputs, shortens long values to a digest, keeps security-relevant settings only", () => {
        const rows = settings({
            inputs: {
                password: "hunter2",
                storageEncrypted: true,
                tags: { team: "x" },
                dashboardBody: "x".repeat(200),
                port: 5432,
                name: "irrelevant",
                policy: '{"a":1}',
            },
            secretPaths: ["password"],
        });
        assert.deepEqual(rows, [
            ["password", "[secret]"],
            ["policy", '{"a":1}'],
            ["port", "5432"],
            ["storageEncrypted", "true"],
        ]);
        assert.match(cell("x".repeat(200), false), /^200 chars, sha256 [0-9a-f]{12}$/);
        assert.equal(cell("a|b", false), "a\\|b");
        assert.equal(cell("/tmp/metacortex-mock-123-dev-ca.pem", false), "<tmp>/dev-ca.pem");
    });
});
