import * as assert from "assert";
import * as params from "../../policies/parameters";
import { check } from "./harness";
import { parameterGroup, TYPES } from "./fixtures";

type Change = Record<string, [string, string?] | undefined>;

function cases(policy: (typeof params.parameterPolicies)[number], list: [string, Change, string[]][]) {
    describe(policy.name, () => {
        it("passes the prod parameter group", async () =>
            assert.deepEqual(await check(policy, TYPES.parameterGroup, parameterGroup()), []));
        for (const [title, change, expected] of list) {
            it(`fails on ${title}`, async () =>
                assert.deepEqual(await check(policy, TYPES.parameterGroup, parameterGroup(change)), expected));
        }
    });
}

describe("policies: parameter group", () => {
    cases(params.paramsForceSsl, [
        ["force_ssl 0", { "rds.force_ssl": ["0"] }, ["rds.force_ssl is 0; 1 required."]],
        ["force_ssl unset", { "rds.force_ssl": undefined }, ["rds.force_ssl is unset; 1 required."]],
    ]);
    cases(params.paramsTlsMinimum, [
        [
            "TLS 1.0",
            { ssl_min_protocol_version: ["TLSv1"] },
            ["ssl_min_protocol_version is TLSv1; TLSv1.2 or TLSv1.3 required."],
        ],
    ]);
    cases(params.paramsScramOnly, [
        ["md5 hashes", { password_encryption: ["md5"] }, ["password_encryption is md5; scram-sha-256 required."]],
        [
            "md5 accepted",
            { "rds.accepted_password_auth_method": undefined },
            ["rds.accepted_password_auth_method is unset (md5+scram); scram required."],
        ],
    ]);
    cases(params.paramsPreloadLibraries, [
        [
            "no pgaudit",
            { shared_preload_libraries: ["pg_stat_statements", "pending-reboot"] },
            ["shared_preload_libraries lacks pgaudit."],
        ],
        [
            "applied immediately",
            { shared_preload_libraries: ["pg_stat_statements,pgaudit", "immediate"] },
            ["shared_preload_libraries has applyMethod immediate; pending-reboot required (a static parameter)."],
        ],
    ]);
    cases(params.paramsSlowQueryLogging, [
        [
            "every statement (0)",
            { log_min_duration_statement: ["0"] },
            ["log_min_duration_statement is 0; between 100 and 5000 ms required."],
        ],
        [
            "off (-1)",
            { log_min_duration_statement: ["-1"] },
            ["log_min_duration_statement is -1; between 100 and 5000 ms required."],
        ],
        [
            "unset",
            { log_min_duration_statement: undefined },
            ["log_min_duration_statement is unset; between 100 and 5000 ms required."],
        ],
    ]);
    cases(params.paramsAutovacuum, [
        ["autovacuum off", { autovacuum: ["0"] }, ["autovacuum must not be off."]],
        [
            "autovacuum runs not logged (-1)",
            { log_autovacuum_min_duration: ["-1"] },
            ["log_autovacuum_min_duration is -1; between 0 and 10000 ms required."],
        ],
        [
            "the 20% default scale factor",
            { autovacuum_vacuum_scale_factor: ["0.2"] },
            ["autovacuum_vacuum_scale_factor is 0.2; between 0.001 and 0.1 (fraction of rows) required."],
        ],
    ]);
    cases(params.paramsAuditLogging, [["no role audit", { "pgaudit.log": ["ddl"] }, ["pgaudit.log lacks role."]]]);
    cases(params.paramsTimeouts, [
        [
            "idle-in-transaction off",
            { idle_in_transaction_session_timeout: ["0"] },
            ["idle_in_transaction_session_timeout is 0; between 1 and 300000 ms required."],
        ],
        [
            "no statement timeout",
            { statement_timeout: undefined },
            ["statement_timeout is unset; between 1 and 300000 ms required."],
        ],
    ]);
});

describe("policies: parameter groups of an Aurora cluster", () => {
    const cluster = (change: Change = {}) => ({ ...parameterGroup(change), family: "aurora-postgresql15" });
    for (const policy of params.parameterPolicies) {
        it(`${policy.name} reads the cluster parameter group, not an instance's`, async () => {
            assert.deepEqual(await check(policy, TYPES.clusterParameterGroup, cluster()), []);
            assert.equal(await check(policy, TYPES.parameterGroup, cluster()), "n/a");
        });
    }
    it("fails an Aurora cluster group as it fails an RDS group", async () => {
        assert.deepEqual(
            await check(params.paramsForceSsl, TYPES.clusterParameterGroup, cluster({ "rds.force_ssl": ["0"] })),
            ["rds.force_ssl is 0; 1 required."],
        );
    });
});
