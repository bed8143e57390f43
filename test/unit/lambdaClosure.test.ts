/** Each Lambda's archive holds every module its handler requires, transitively: none is found missing in AWS. */
import { strict as assert } from "assert";
import * as path from "path";
import { HEALTH_CHECK_SOURCES } from "../../components/aws/healthCheck";
import { RESTORE_VALIDATION_SOURCES } from "../../components/aws/restoreTesting";
import { transpile } from "../../components/aws/support/lambdaArchive";
import { readLambdaCode } from "../../programFiles";

describe("Lambda archives are closed over their imports", () => {
    for (const [name, sources] of [
        ["health check", HEALTH_CHECK_SOURCES],
        ["restore validation", RESTORE_VALIDATION_SOURCES],
    ] as const)
        it(`the ${name} function: every relative require resolves inside the archive`, () => {
            const files = transpile(readLambdaCode(sources).sources);
            const missing: string[] = [];
            for (const [file, js] of Object.entries(files))
                for (const [, spec] of js.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
                    const target = path.posix.join(path.posix.dirname(file), `${spec}.js`);
                    if (!(target in files)) missing.push(`${file} -> ${target}`);
                }
            assert.deepEqual(missing, []);
            assert.ok(Object.keys(files).length >= sources.length);
        });

    it("the health check packages its checks and the metrics they become", () => {
        const files = Object.keys(transpile(readLambdaCode(HEALTH_CHECK_SOURCES).sources));
        for (const f of [
            "postgres/health/serverChecks.js",
            "postgres/health/schemaChecks.js",
            "postgres/monitoring/healthMetrics.js",
        ])
            assert.ok(files.includes(f), f);
        assert.ok(
            !files.some((f) => f.startsWith("components/") && !f.startsWith("components/aws/lambda/")),
            files.join(", "),
        );
    });
});
