import { strict as assert } from "assert";
import { type CheckResult, summarize } from "../../postgres/health/checks";
import { roleSettingDrift } from "../../postgres/health/schemaChecks";
import { INSTANCE_CLASSES } from "../../postgres/instanceClasses";
import { roleModel } from "../../postgres/roles/model";

const result = (check: string, status: CheckResult["status"]): CheckResult => ({
    check,
    status,
    value: "v",
    threshold: "t",
});

describe("health summary", () => {
    it("counts and names warnings instead of calling them passes", () => {
        assert.equal(
            summarize({ checks: [result("ssl", "ok"), result("index bloat (estimate)", "warn")] }),
            "1 of 2 checks passed, 1 warned: index bloat (estimate)",
        );
        assert.equal(summarize({ checks: [result("ssl", "ok"), result("x", "ok")] }), "all 2 checks passed");
        assert.equal(
            summarize({ checks: [result("ssl", "fail"), result("x", "warn")] }),
            "1 check(s) failed: ssl (v; threshold t)",
        );
    });
});

describe("role setting drift", () => {
    const declared = { r: { search_path: "app, ext", statement_timeout: "5000" } };
    const all = (setting: string) => ({ role: "r", scope: "all databases", setting });

    it("accepts the catalog's forms of the declared settings, quoted or not", () => {
        assert.deepEqual(
            roleSettingDrift(declared, [all('search_path="app", "ext"'), all("statement_timeout=5000")]),
            [],
        );
    });

    it("names a changed, an extra, a per-database and a missing setting", () => {
        assert.deepEqual(
            roleSettingDrift(declared, [
                all("statement_timeout=0"),
                all("lock_timeout=0"),
                { role: "r", scope: "metacortex", setting: "search_path=app, ext" },
            ]),
            [
                "r: lock_timeout=0",
                "r: search_path unset (declared app, ext)",
                "r: search_path=app, ext (in metacortex)",
                "r: statement_timeout=0",
            ],
        );
    });

    it("role settings are the same for every instance class (the health check reads them without one)", () => {
        const settings = (cls: string) => JSON.stringify(roleModel("metacortex", cls).roles.map((r) => r.settings));
        const first = settings([...INSTANCE_CLASSES.keys()][0]);
        for (const cls of INSTANCE_CLASSES.keys()) assert.equal(settings(cls), first, cls);
    });
});
