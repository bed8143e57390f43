/** CloudWatch filter-pattern matching, as the log-filter tests use it on real PostgreSQL logs. */
import { strict as assert } from "assert";
import { LOG_METRIC_FILTERS, matchesFilter } from "../../components/aws/databaseMonitoring";

describe("log metric filter patterns", () => {
    it("matchesFilter needs every quoted term", () => {
        assert.equal(matchesFilter('"duration:" "statement:"', "LOG:  duration: 300.1 ms  plan:"), false);
        assert.equal(matchesFilter('"duration:" "statement:"', "LOG:  duration: 300.1 ms  statement: SELECT 1"), true);
    });

    it("RoleChangedByApp matches RDS's line prefix too, and not an admin's statement that names the app role", () => {
        const rds = (user: string, statement: string) =>
            `2026-11-26 12:01:00 UTC:10.0.1.5(53422):${user}@metacortex:[21477]:LOG:  AUDIT: SESSION,1,1,ROLE,ALTER ROLE,,,${statement},<not logged>`;
        const pattern = LOG_METRIC_FILTERS.RoleChangedByApp;
        assert.equal(
            matchesFilter(pattern, rds("metacortex_app", "ALTER ROLE metacortex_app SET lock_timeout = 0")),
            true,
        );
        assert.equal(
            matchesFilter(pattern, rds("metacortex_admin", "ALTER ROLE metacortex_app SET lock_timeout = 0")),
            false,
        );
    });
});
