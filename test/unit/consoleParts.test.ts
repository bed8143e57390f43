/** Confirmation, redaction, the backup report and PgBouncer's pools: the console's pure parts, no server. */
import { strict as assert } from "assert";
import { UsageError } from "../../scripts/lib/cli";
import { confirmDestructive, confirms, describeTarget } from "../../scripts/lib/confirm";
import { backupTable, madeLine } from "../../scripts/lib/local/backupReport";
import { localStatusLines } from "../../scripts/lib/local/localStatus";
import { adminConsoleUrl, pgbouncerCheck, poolRows } from "../../scripts/lib/local/pgbouncerAdmin";
import { readme } from "../../scripts/lib/report/bundle";
import { tsv } from "../../scripts/lib/report/collect";
import { redact } from "../../scripts/lib/report/redact";

const target = { host: "localhost", port: 5433, database: "metacortex", rows: { tasks: 19_934, users: 200 } };

describe("destructive commands ask first", () => {
    it("prints the target with its rows", () =>
        assert.equal(describeTarget(target), "localhost:5433/metacortex, rows: tasks 19,934, users 200"));

    it("goes on at a terminal only on yes, and asks nothing with --yes", async () => {
        const printed: string[] = [];
        const asked: string[] = [];
        const o = (answer: string, yes = false) => ({
            yes,
            interactive: true,
            print: (l: string) => printed.push(l),
            ask: async (q: string) => {
                asked.push(q);
                return answer;
            },
        });
        await confirmDestructive("roll back all 29 migrations", target, o("yes"));
        await confirmDestructive("roll back all 29 migrations", target, o("Y\n"));
        await assert.rejects(
            confirmDestructive("roll back all 29 migrations", target, o("no")),
            (e: Error) => e instanceof UsageError && e.message === 'not confirmed (answer "no"): nothing changed',
        );
        await confirmDestructive("roll back all 29 migrations", target, o("", true));
        assert.equal(asked.length, 3, "--yes asks nothing");
        assert.deepEqual(asked[0], "Type yes to roll back all 29 migrations: ");
        assert.equal(
            printed[0],
            "roll back all 29 migrations on localhost:5433/metacortex, rows: tasks 19,934, users 200",
        );
        assert.deepEqual(["yes", "y", "YES", " y ", "no", "", "yess"].map(confirms), [
            true,
            true,
            true,
            true,
            false,
            false,
            false,
        ]);
    });

    it("refuses with no terminal and no --yes, without asking", async () => {
        let asked = false;
        await assert.rejects(
            confirmDestructive("delete the local environment", target, {
                yes: false,
                interactive: false,
                print: () => undefined,
                ask: async () => {
                    asked = true;
                    return "yes";
                },
            }),
            /refusing to delete the local environment without confirmation: no terminal to ask on; add --yes to confirm/,
        );
        assert.equal(asked, false);
    });
});

describe("support bundle redaction", () => {
    const secret = "k9_Zq-3vT8pLwX2mRb7YcN4d";
    it("takes out every known secret, URL-encoded too, and whatever is shaped like one", () => {
        const text = [
            `ERROR: invalid input syntax for type integer: "${secret}"`,
            `url postgres://metacortex_app:${encodeURIComponent("p@ss/w:rd!x")}@localhost:5433/metacortex`,
            "repo1-cipher-pass=abcdefabcdef",
            "ALTER ROLE x PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy'",
            "rolpassword SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy and md5d41d8cd98f00b204e9800998ecf8427e",
            "host=db password=hunter22 sslmode=verify-full",
        ].join("\n");
        const { text: out, replaced } = redact(text, [secret, "p@ss/w:rd!x"]);
        for (const s of [secret, "p@ss", "abcdefabcdef", "c3RvcmVk", "d41d8cd98f00b204e9800998ecf8427e", "hunter22"])
            assert.ok(!out.includes(s), `${s} left in:\n${out}`);
        assert.match(out, /postgres:\/\/metacortex_app:\[redacted\]@localhost:5433\/metacortex/);
        assert.match(out, /ALTER ROLE x PASSWORD '\[redacted\]'/);
        assert.equal(replaced, 7);
    });

    it("leaves text without secrets alone, and lists each file's redactions in the README", () => {
        assert.deepEqual(redact("shared_buffers\t1GB\n", ["k9_Zq-3vT8pLwX2mRb7YcN4d"]), {
            text: "shared_buffers\t1GB\n",
            replaced: 0,
        });
        assert.match(
            readme("t", [{ name: "postgresql.log", bytes: 10, replaced: 2 }]),
            /^postgresql\.log +10 bytes, 2 redacted$/m,
        );
        assert.equal(tsv([{ a: 1, b: "x\ty" }], ["a", "b"]), "a\tb\n1\tx y\n");
    });
});

describe("npm run backup reports what it made", () => {
    const full = {
        label: "20261126-100000F",
        type: "full",
        startedAt: "2026-11-26T10:00:00.000Z",
        stoppedAt: "2026-11-26T10:00:06.000Z",
        sizeBytes: 2 ** 20,
        repoDeltaBytes: 2 ** 19,
    };
    it("says when pgBackRest made a full instead of the incremental asked for", () => {
        assert.equal(
            madeLine("incr", full),
            "backup: made a full backup 20261126-100000F, not the incr asked for: pgBackRest found no full backup to base it on",
        );
        assert.equal(madeLine("full", full), "backup: made full backup 20261126-100000F");
    });
    it("lists the backups, or says there are none", () => {
        assert.match(
            backupTable([full]),
            /^20261126-100000F {2}full {2}2026-11-26T10:00:06\.000Z {2}6 +1\.0 MiB +0\.5 MiB$/m,
        );
        assert.equal(backupTable([]), "no backups yet: npm run backup -- --type full");
    });
});

describe("PgBouncer's admin console", () => {
    it("reads SHOW POOLS, leaving out the admin console's own pool", () => {
        const rows = poolRows([
            { database: "pgbouncer", user: "pgbouncer", cl_active: 1 },
            {
                database: "metacortex",
                user: "metacortex_app",
                cl_active: "4",
                cl_waiting: "2",
                sv_active: "3",
                sv_idle: "1",
                maxwait: "1",
                maxwait_us: "500000",
                pool_mode: "transaction",
            },
        ]);
        assert.deepEqual(rows, [
            {
                database: "metacortex",
                user: "metacortex_app",
                clientsActive: 4,
                clientsWaiting: 2,
                serversActive: 3,
                serversIdle: 1,
                maxWaitSeconds: 1.5,
                mode: "transaction",
            },
        ]);
        assert.equal(
            adminConsoleUrl("postgres://m:p@localhost:5433/metacortex?sslmode=verify-full", 6432),
            "postgres://m:p@localhost:6432/pgbouncer?sslmode=verify-full",
        );
    });
    it("is a health failure when the environment has one and it does not answer; nothing when it has none", () => {
        const down = pgbouncerCheck({ state: "down", where: "127.0.0.1:6432", pools: [], error: "connection refused" });
        assert.deepEqual([down?.status, down?.value], ["fail", "not answering on 127.0.0.1:6432: connection refused"]);
        assert.equal(pgbouncerCheck({ state: "up", where: "127.0.0.1:6432", pools: [] })?.status, "ok");
        assert.equal(pgbouncerCheck({ state: "absent", pools: [] }), undefined);
    });
});

describe("npm run local -- --status", () => {
    it("says PostgreSQL and PgBouncer each from its own process, naming the mismatch", () => {
        const state = { clusterRoot: "/x/cluster", port: 5433 };
        assert.deepEqual(localStatusLines(state, true, { state: "down", where: "127.0.0.1:6432" }), [
            "local: running on localhost:5433 (/x/cluster)",
            "local: PgBouncer not answering on 127.0.0.1:6432; npm run local restarts it",
        ]);
        assert.deepEqual(localStatusLines(state, false, { state: "up", where: "127.0.0.1:6432" }), [
            "local: stopped (/x/cluster)",
            "local: PgBouncer answering on 127.0.0.1:6432; npm run local starts both",
        ]);
        assert.deepEqual(localStatusLines({}, false, { state: "absent" }), [
            "local: stopped (no local environment: npm run local starts one)",
        ]);
    });
});
