/** The role model's passwords: SCRAM verifiers only, set apart from the audited role script, under no logging. */
import { strict as assert } from "assert";
import { roleModel } from "../../postgres/roles/model";
import { rolePasswordSql, UNLOGGED_SESSION, unloggedSessionSql } from "../../postgres/roles/passwords";
import { scramVerifier } from "../../postgres/roles/scram";
import { renderRoleSql } from "../../postgres/roles/sql";

const model = roleModel("metacortex", "db.t4g.medium");
const salt = Buffer.alloc(16, 7);

describe("role passwords", () => {
    it("renders one ALTER ROLE ... PASSWORD per role given a verifier, the replication role included", () => {
        const app = scramVerifier("app-secret-1", salt);
        const replicator = scramVerifier("repl-secret-1", salt);
        assert.deepEqual(rolePasswordSql(model, { metacortex_replicator: replicator, metacortex_app: app }), [
            `ALTER ROLE metacortex_app PASSWORD '${app}';`,
            `ALTER ROLE metacortex_replicator PASSWORD '${replicator}';`,
        ]);
    });

    it("refuses a clear-text or md5 password, and a role that does not log in", () => {
        assert.throws(
            () => rolePasswordSql(model, { metacortex_app: "hunter2" }),
            /^Error: password for metacortex_app: a SCRAM-SHA-256 verifier is required, got another form$/,
        );
        assert.throws(
            () => rolePasswordSql(model, { metacortex_app: "md5a3556571e93b0d20722ba62be61e8c2d" }),
            /SCRAM-SHA-256 verifier is required/,
        );
        assert.throws(
            () => rolePasswordSql(model, { metacortex_owner: scramVerifier("x-1", salt) }),
            /^Error: password for metacortex_owner: not a login role of the model \(metacortex_migrator, /,
        );
    });

    it("leaves every password out of the role script, which the server logs and audits", () => {
        const sql = renderRoleSql(model);
        assert.doesNotMatch(sql, /SCRAM-SHA-256/);
        // Only the roles that never log in get a password clause, and it is NULL.
        const clauses = [...sql.matchAll(/ALTER ROLE (\w+) WITH [^;]* PASSWORD (\w+);/g)].map((m) => [m[1], m[2]]);
        assert.deepEqual(clauses, [
            ["metacortex_owner", "NULL"],
            ["metacortex_pgaudit", "NULL"],
        ]);
    });

    it("turns off each place a statement's text can land: pgaudit, the statement, duration and error logs, pg_stat_statements", () => {
        assert.deepEqual(
            UNLOGGED_SESSION.map(([name]) => name),
            [
                "pgaudit.log",
                "log_statement",
                "log_min_duration_statement",
                "log_min_duration_sample",
                "log_transaction_sample_rate",
                "log_min_error_statement",
                "pg_stat_statements.track_utility",
            ],
        );
        assert.match(unloggedSessionSql(), /^SET pgaudit\.log = 'none';\nSET log_statement = 'none';\n/);
    });
});
