/** One line for every failure at the edges, flags npm took, and the target's own refusals: pure, no server. */
import { strict as assert } from "assert";
import { flagTakenByNpm, joinNegativeValues, UsageError } from "../../scripts/lib/cli";
import { explainError, redactUrls } from "../../scripts/lib/errors";
import { CommandError } from "../../scripts/lib/exec";
import { statusLines } from "../../scripts/lib/migrations/status";
import { resolveTarget, where } from "../../scripts/lib/target";

const sysError = (code: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`${code} something`), { code, ...extra });

describe("explainError: one line naming what happened and what to do", () => {
    for (const [name, error, expected] of [
        [
            "a stopped server (connection refused)",
            sysError("ECONNREFUSED", { address: "127.0.0.1", port: 45377 }),
            "cannot connect to 127.0.0.1:45377: connection refused, no server is listening there; for the local environment run npm run local (npm run local -- --status shows its state), else check DATABASE_URL",
        ],
        [
            "a reset environment (its CA file gone)",
            sysError("ENOENT", { path: "/x/.local/cluster/tls/ca.crt" }),
            "the CA file /x/.local/cluster/tls/ca.crt does not exist: the local environment was reset or never started (run npm run local), or sslrootcert in DATABASE_URL names the wrong file",
        ],
        [
            "a killed server (connection terminated)",
            new Error("Connection terminated unexpectedly"),
            "the server went away during the command (stopped, killed or restarting): for the local environment run npm run local (npm run local -- --status shows its state), else check DATABASE_URL, then run the command again",
        ],
        [
            "a server shut down by the administrator",
            Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
            "the server went away during the command (stopped, killed or restarting): for the local environment run npm run local (npm run local -- --status shows its state), else check DATABASE_URL, then run the command again",
        ],
        [
            "an unknown host",
            sysError("ENOTFOUND", { hostname: "db.invalid" }),
            "host db.invalid not found: check the host in DATABASE_URL",
        ],
        [
            "a wrong password",
            Object.assign(new Error('password authentication failed for user "x"'), { code: "28P01" }),
            'password authentication failed for user "x": check the password in DATABASE_URL (the local environment\'s URLs are in .local/connections.json)',
        ],
        [
            "an unverifiable certificate",
            new Error("self-signed certificate in certificate chain"),
            "TLS verification failed (self-signed certificate in certificate chain): connect with sslmode=verify-full and sslrootcert=<the server's CA file>",
        ],
    ] as const)
        it(`explains ${name}`, () => assert.equal(explainError(error), expected));

    it("gives dbmate's refusal as the connection problem it is, never its command line", () => {
        const dbmate = new CommandError(
            "/usr/bin/node /repo/node_modules/dbmate/dist/cli.js --no-dump-schema --migrations-dir /repo/sql/migrations status",
            1,
            "",
            "Error: dial tcp 127.0.0.1:45377: connect: connection refused\n",
        );
        assert.equal(
            explainError(dbmate),
            explainError(sysError("ECONNREFUSED", { address: "127.0.0.1", port: 45377 })),
        );
        const other = new CommandError(
            "/usr/bin/node /repo/node_modules/dbmate/dist/cli.js migrate",
            1,
            "",
            'Error: pq: syntax error at or near "x"\n',
        );
        assert.equal(explainError(other), 'dbmate failed: pq: syntax error at or near "x"');
        const backrest = new CommandError(
            "runuser -u postgres -- pgbackrest --config=/x backup",
            1,
            "",
            "WARN: a\nERROR: [056]: unable to find primary cluster\n",
        );
        assert.equal(explainError(backrest), "pgbackrest failed: ERROR: [056]: unable to find primary cluster");
    });

    it("keeps the commands' own usage messages as they are, and never prints a URL's password", () => {
        assert.equal(
            explainError(new UsageError("use postgres://user:password@host/db")),
            "use postgres://user:password@host/db",
        );
        assert.equal(
            explainError(new Error("bad postgres://app:s3cret@h:5432/db")),
            "bad postgres://app:[redacted]@h:5432/db",
        );
        assert.equal(redactUrls("x postgresql://a:b@c/d y"), "x postgresql://a:[redacted]@c/d y");
    });
});

describe("flags", () => {
    const options = { json: { type: "boolean" }, users: { type: "string" } } as const;

    it("names a flag npm took for itself (npm run status --json without --)", () => {
        const env = { npm_lifecycle_event: "status", npm_config_json: "true", npm_config_yes: "" };
        assert.equal(flagTakenByNpm([], options, env), "json");
        assert.equal(flagTakenByNpm(["--json"], options, env), undefined, "passed on after --: fine");
        assert.equal(flagTakenByNpm([], options, { npm_config_json: "true" }), undefined, "not run by npm");
        assert.equal(flagTakenByNpm([], { yes: { type: "boolean" } }, env), undefined, "npm's own empty defaults");
        assert.equal(
            flagTakenByNpm([], { yes: { type: "boolean" } }, { ...env, npm_config_yes: "true" }),
            undefined,
            "CI's npm_config_yes for npx",
        );
    });

    it("passes a negative value on to the command's own check instead of parseArgs' 'ambiguous'", () => {
        assert.deepEqual(joinNegativeValues(["--users", "-5", "--json"], options), ["--users=-5", "--json"]);
        assert.deepEqual(joinNegativeValues(["--json", "-5"], options), ["--json", "-5"], "booleans take no value");
    });
});

describe("the target", () => {
    it("refuses an empty DATABASE_URL, saying how to use the local environment instead", () => {
        assert.throws(
            () => resolveTarget("migrator", { DATABASE_URL: "" }),
            (e: Error) =>
                e instanceof UsageError &&
                e.message ===
                    "DATABASE_URL is set but empty: unset it to use the local environment (unset DATABASE_URL), or set it to postgres://user:password@host:port/database",
        );
    });

    it("takes DATABASE_URL as given, and refuses one that is not a postgres URL", () => {
        const t = resolveTarget("admin", {
            DATABASE_URL: "postgres://a:b@db.example:6543/metacortex?sslmode=verify-full",
        });
        assert.deepEqual([t.source, t.local, where(t.url)], ["DATABASE_URL", false, "db.example:6543/metacortex"]);
        assert.throws(() => resolveTarget("admin", { DATABASE_URL: "http://x/y" }), /must start with postgres:\/\//);
    });
});

describe("db:status without dbmate", () => {
    it("lists applied and pending migrations as dbmate does, and versions applied with no file", () => {
        assert.deepEqual(statusLines(["1_a.sql", "2_b.sql"], ["1", "7"]), [
            "[X] 1_a.sql",
            "[ ] 2_b.sql",
            "[?] 7 (applied, but no file in sql/migrations)",
            "",
            "Applied: 2",
            "Pending: 1",
        ]);
    });
});
