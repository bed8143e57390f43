/** The restore-validation Lambda's archive: what gets transpiled and which packages go with it. */
import { strict as assert } from "assert";
import * as path from "path";
import { RESTORE_VALIDATION_SOURCES } from "../../components/aws/restoreTesting";
import { transpile } from "../../components/aws/support/lambdaArchive";
import { dependencyClosure, readLambdaCode } from "../../programFiles";

describe("restore validation function archive", () => {
    it("packages the validation function with the drill's own validation module and node-postgres", () => {
        const files = transpile(readLambdaCode(RESTORE_VALIDATION_SOURCES).sources);
        assert.deepEqual(Object.keys(files).sort(), [
            "components/aws/lambda/restoreValidationHandler.js",
            "postgres/health/restoreValidation.js",
        ]);
        assert.match(
            files["components/aws/lambda/restoreValidationHandler.js"],
            /require\("\.\.\/\.\.\/\.\.\/postgres\/health\/restoreValidation"\)/,
        );
        assert.match(files["postgres/health/restoreValidation.js"], /exports\.judge = judge/);
        const closure = dependencyClosure(["pg"], path.resolve(__dirname, "..", "..", "node_modules"));
        for (const pkg of ["pg", "pg-protocol", "pg-types", "pg-connection-string"])
            assert.ok(closure.includes(pkg), pkg);
        assert.ok(!closure.some((p) => p.startsWith("@pulumi")), "nothing of the deploy tooling in the function");
    });
});
