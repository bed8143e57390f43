import { strict as assert } from "assert";
import { DEFAULT_POOL_USERS } from "../../postgres/pooling/poolSizing";
import {
    DEBIAN_PGBOUNCER,
    deployedPgbouncerIni,
    POOLER_LIMITS,
    type PgbouncerVersion,
} from "../../postgres/pooling/pgbouncerIni";
import { roleModel } from "../../postgres/roles/model";
import { DEFAULT_STATEMENT_TIMEOUT_MS, IDLE_IN_TRANSACTION_TIMEOUT_MS } from "../../postgres/settings/catalog";

const ini = (version: PgbouncerVersion) =>
    deployedPgbouncerIni({
        version,
        sizing: { perReplica: 87, poolSize: { metacortex_app: 69, metacortex_readonly: 17 } },
        database: { name: "metacortex", host: "db", port: 5432, dbname: "metacortex" },
        files: { userlist: "/u", serverCa: "/ca", cert: "/c", key: "/k" },
    }).split("\n");

describe("pgbouncer.ini: session reset and limits", () => {
    for (const version of [DEBIAN_PGBOUNCER, { major: 1, minor: 23 }]) {
        it(`PgBouncer ${version.major}.${version.minor}: DISCARD ALL after every transaction, query and idle-transaction timeouts`, () => {
            const lines = ini(version);
            for (const line of [
                "server_reset_query = DISCARD ALL",
                "server_reset_query_always = 1",
                `query_timeout = ${POOLER_LIMITS.queryTimeoutSeconds}`,
                `idle_transaction_timeout = ${POOLER_LIMITS.idleTransactionTimeoutSeconds}`,
            ])
                assert.ok(lines.includes(line), line);
        });
    }

    it("keeps protocol-level prepared statements off before 1.22, which loses track of them at DISCARD ALL", () => {
        const has = (v: PgbouncerVersion) => ini(v).some((l) => l.startsWith("max_prepared_statements"));
        assert.deepEqual(
            [has(DEBIAN_PGBOUNCER), has({ major: 1, minor: 21 }), has({ major: 1, minor: 22 })],
            [false, false, true],
        );
    });

    it("sets its limits just above every pooled role's server-side limits, so they only catch a client that lifted its own", () => {
        const pooled = new Set(DEFAULT_POOL_USERS.map((u) => u.role));
        const roles = roleModel("metacortex", "db.t4g.medium").roles.filter((r) => pooled.has(r.name));
        assert.equal(roles.length, 2);
        for (const r of roles) {
            const statement = r.settings.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
            const idle = r.settings.idleInTransactionTimeoutMs ?? IDLE_IN_TRANSACTION_TIMEOUT_MS;
            assert.ok(POOLER_LIMITS.queryTimeoutSeconds * 1000 > statement, `${r.name}: query_timeout`);
            assert.ok(POOLER_LIMITS.idleTransactionTimeoutSeconds * 1000 > idle, `${r.name}: idle_transaction_timeout`);
            assert.ok(POOLER_LIMITS.queryTimeoutSeconds * 1000 - statement <= 60_000, `${r.name}: not far above`);
        }
    });
});
