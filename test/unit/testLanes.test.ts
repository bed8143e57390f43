import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { LANES, laneProblems, mochaArgs, mochaCounts, NOT_TESTS } from "../../scripts/lib/testRun/lanes";

const TEST = path.join(__dirname, "..");
const folders = fs
    .readdirSync(TEST, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_TESTS.includes(d.name))
    .map((d) => d.name);

describe("npm test's lanes", () => {
    it("put every test folder in exactly one lane, and every folder of a lane holds tests", () => {
        assert.ok(folders.length >= 10, folders.join(","));
        for (const f of folders)
            assert.ok(
                fs.readdirSync(path.join(TEST, f), { recursive: true }).some((n) => String(n).endsWith(".test.ts")),
                `test/${f} has no *.test.ts`,
            );
        assert.deepEqual(laneProblems(LANES, folders), []);
    });

    it("names a folder left out, a folder in two lanes and a lane naming a folder without tests", () => {
        const lanes = [
            { name: "a", folders: ["unit", "stack"] },
            { name: "b", folders: ["stack", "gone"] },
        ];
        assert.deepEqual(laneProblems(lanes, ["unit", "stack", "schema"]), [
            "test/stack is in lanes a and b",
            "lane b names test/gone, which has no tests",
            "test/schema is in no lane: add it to LANES (scripts/lib/testRun/lanes.ts)",
        ]);
    });

    it("keeps the tiers without PostgreSQL (npm run test:fast's folders) in one lane, so a stack run is made once", () => {
        const fast = ["unit", "architecture", "stack", "policies"];
        const holding = LANES.filter((l) => fast.some((f) => l.folders.includes(f)));
        assert.equal(holding.length, 1);
        const pkg = JSON.parse(fs.readFileSync(path.join(TEST, "..", "package.json"), "utf8"));
        for (const f of fast) assert.ok(pkg.scripts["test:fast"].includes(`'test/${f}/**/*.test.ts'`), f);
        assert.deepEqual(mochaArgs(holding[0]).slice(0, 2), [
            "test/unit/**/*.test.ts",
            "test/architecture/**/*.test.ts",
        ]);
    });

    it("reads mocha's counts from the end of a spec report, zero for what it does not print", () => {
        assert.deepEqual(mochaCounts("  ✔ one\n\n  1084 passing (5m)\n  2 pending\n  1 failing\n\n  1) x"), {
            passing: 1084,
            failing: 1,
            pending: 2,
        });
        assert.deepEqual(mochaCounts("  12 passing (3s)\n"), { passing: 12, failing: 0, pending: 0 });
    });
});
