/**
 * Sizes a reader can hold in mind: no source file over 300 lines and no function over 60, apart from data tables
 * listed below with their reason. Test files get the file limit; mocha's describe/it callbacks are specifications,
 * not functions, and are exempt from the function limit.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { projectFiles } from "../../scripts/lib/architecture/importGraph";
import { type Allowance, functionLengths, lengthViolations, lineCount } from "../../scripts/lib/architecture/lengths";
import { ROOT } from "../harness/stack";

const LIMITS = { fileLines: 300, functionLines: 60 };

/** Data tables: long because they list facts, one entry each; splitting them would scatter what belongs together. */
const DATA_TABLES: readonly Allowance[] = [
    {
        file: "postgres/settings/rows/resources.ts",
        fn: "resourcesRows",
        reason: "settings catalog rows (memory and connections): one entry per parameter with its value, reason and source",
    },
    {
        file: "postgres/settings/rows/autovacuum.ts",
        fn: "autovacuumRows",
        reason: "settings catalog rows (autovacuum): one entry per parameter with its value, reason and source",
    },
    {
        file: "postgres/settings/rows/logging.ts",
        fn: "loggingRows",
        reason: "settings catalog rows (slow queries and monitoring): one entry per parameter with its value, reason and source",
    },
    {
        file: "postgres/settings/rows/safety.ts",
        fn: "safetyRows",
        reason: "settings catalog rows (security, limits, WAL, planner): one entry per parameter with its value, reason and source",
    },
    {
        file: "postgres/monitoring/thresholds.ts",
        fn: "alarmThresholds",
        reason: "one row per alarm (metric, statistic, threshold, periods, label, description), a few scaled by class",
    },
];

const isTest = (file: string) => file.startsWith("test/");

describe("file and function lengths", () => {
    const files = projectFiles(ROOT).map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), "utf8") }));
    const { violations, unused } = lengthViolations(files, LIMITS, DATA_TABLES, isTest);

    it("keeps every file within 300 lines and every function within 60, data tables apart", () => {
        assert.ok(files.length > 100, `read ${files.length} files`);
        assert.deepEqual(violations, []);
    });

    it("lists only data tables that are still over the limit", () => {
        assert.deepEqual(unused, []);
    });
});

describe("the length checker", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `    const v${i} = ${i};`).join("\n");

    it("counts a function from its signature to its closing brace, naming it as a reader would", () => {
        const text = [
            "export function a() {",
            body(3),
            "}",
            "class K {",
            "    m() {",
            "        return 1;",
            "    }",
            "}",
            "const f = () => {",
            "    return 2;",
            "};",
            "",
        ].join("\n");
        assert.equal(lineCount(text), 13);
        assert.deepEqual(
            functionLengths("x.ts", text, false).map((f) => [f.name, f.line, f.lines]),
            [
                ["a", 1, 5],
                ["K.m", 7, 3],
                ["f", 11, 3],
            ],
        );
    });

    it("fails on a function over the limit and a file over the limit, naming each", () => {
        const text = `export function long() {\n${body(60)}\n}\n`;
        const { violations } = lengthViolations(
            [{ file: "p/x.ts", text }],
            { fileLines: 50, functionLines: 60 },
            [],
            () => false,
        );
        assert.deepEqual(violations, ["p/x.ts: 62 lines (limit 50)", "p/x.ts:1 long: 62 lines (limit 60)"]);
    });

    it("exempts mocha callbacks in test files only, and an allowed data table, and flags an allowance nobody needs", () => {
        const spec = `describe("d", () => {\n    it("t", async () => {\n${body(70)}\n    });\n});\n`;
        const limits = { fileLines: 300, functionLines: 60 };
        assert.deepEqual(lengthViolations([{ file: "t.ts", text: spec }], limits, [], () => true).violations, []);
        assert.equal(lengthViolations([{ file: "t.ts", text: spec }], limits, [], () => false).violations.length, 2);
        const table = `export function rows() {\n${body(70)}\n}\n`;
        const allow = [
            { file: "d.ts", fn: "rows", reason: "a table" },
            { file: "d.ts", reason: "not long" },
        ];
        const result = lengthViolations([{ file: "d.ts", text: table }], limits, allow, () => false);
        assert.deepEqual(result, { violations: [], unused: ["d.ts"] });
    });
});
