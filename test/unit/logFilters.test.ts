/** CloudWatch filter-pattern matching, as the log-filter tests use it on real PostgreSQL logs. */
import { strict as assert } from "assert";
import { matchesFilter } from "../../components/aws/databaseMonitoring";

describe("log metric filter patterns", () => {
    it("matchesFilter needs every quoted term", () => {
        assert.equal(matchesFilter('"duration:" "statement:"', "LOG:  duration: 300.1 ms  plan:"), false);
        assert.equal(matchesFilter('"duration:" "statement:"', "LOG:  duration: 300.1 ms  statement: SELECT 1"), true);
    });
});
