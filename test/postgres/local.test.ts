/** `npm run local` end to end, in a temp .local/: start, connect with verify-full, re-run, stop, bad flags. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { clientConfig } from "../../scripts/lib/local/connect";
import { runScript } from "../harness/cli";

describe("npm run local", function () {
    this.timeout(180_000);
    let dir: string;
    const env = () => ({ METACORTEX_LOCAL_DIR: dir });
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-local-test-"));
    });
    after(async () => {
        await runScript("local.ts", ["--reset", "--yes"], env());
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("starts an SSL-only PostgreSQL 15 and writes connections.json with a verify-full URL", async () => {
        const result = await runScript("local.ts", [], env());
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /starting PostgreSQL on 127\.0\.0\.1:\d+ \.\.\. done/);
        const file = path.join(dir, "connections.json");
        assert.equal(fs.statSync(file).mode & 0o777, 0o600, "connections.json holds passwords: owner-only");
        const connections = JSON.parse(fs.readFileSync(file, "utf8"));
        const url = new URL(connections.urls.admin);
        assert.equal(url.searchParams.get("sslmode"), "verify-full");
        assert.equal(url.searchParams.get("sslrootcert"), connections.server.caCert, "the URL names the local CA");
        // Connect with exactly what the URL says, as a user's tool would.
        const client = new Client(clientConfig(connections.urls.admin));
        await client.connect();
        try {
            const { rows } = await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            assert.equal(rows[0].ssl, true);
            const {
                rows: [v],
            } = await client.query("SHOW server_version_num");
            assert.match(v.server_version_num, /^15\d{4}$/);
        } finally {
            await client.end();
        }
        // The pooled URL reaches the same database through PgBouncer, over TLS, as the app role.
        const pooled = new URL(connections.urls.app_pooled);
        assert.notEqual(pooled.port, url.port);
        const viaBouncer = new Client(clientConfig(connections.urls.app_pooled));
        await viaBouncer.connect();
        try {
            const { rows } = await viaBouncer.query("SELECT current_user AS u");
            assert.equal(rows[0].u, "metacortex_app");
        } finally {
            await viaBouncer.end();
        }
    });

    it("is idempotent: a second run keeps the port and applies configuration to the running server", async () => {
        const before = JSON.parse(fs.readFileSync(path.join(dir, "connections.json"), "utf8"));
        // With a standby this time, which the next test uses.
        const result = await runScript("local.ts", ["--replicas", "1"], env());
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /applying configuration to the running server on port \d+ \.\.\. done/);
        assert.match(
            result.stdout,
            /1 standby\(s\) streaming on 127\.0\.0\.2:\d+ \(pg_basebackup over TLS, one slot each\) \.\.\. done/,
        );
        const after = JSON.parse(fs.readFileSync(path.join(dir, "connections.json"), "utf8"));
        assert.equal(after.server.port, before.server.port);
        assert.equal(after.urls.admin, before.urls.admin, "the generated password is kept");
    });

    it("leaves no password and no SCRAM verifier in the server's log after two bootstraps", () => {
        const connections = JSON.parse(fs.readFileSync(path.join(dir, "connections.json"), "utf8"));
        const logDir = connections.server.logDir;
        const log = fs
            .readdirSync(logDir)
            .map((f) => fs.readFileSync(path.join(logDir, f), "utf8"))
            .join("\n");
        assert.ok(/AUDIT: SESSION,\d+,\d+,ROLE,ALTER ROLE,/.test(log), "pgaudit logged the role script");
        const verifiers = log.split("\n").filter((l) => l.includes("SCRAM-SHA-256$")).length;
        assert.equal(verifiers, 0, `${verifiers} log lines hold a SCRAM verifier`);
        const passwords = Object.values(connections.urls as Record<string, string>).map((u) =>
            decodeURIComponent(new URL(u).password),
        );
        assert.ok(passwords.length >= 5 && passwords.every((p) => p.length > 0 && !log.includes(p)), "a password");
    });

    it("archives WAL to pgBackRest: npm run backup takes full and incremental backups, and --verify is clean", async () => {
        const full = await runScript("backup.ts", ["--type", "full"], env());
        assert.equal(full.code, 0, full.stderr);
        assert.match(full.stdout, /^\d{8}-\d{6}F\s+full\s/m);
        const incr = await runScript("backup.ts", [], env());
        assert.equal(incr.code, 0, incr.stderr);
        assert.match(incr.stdout, /^\d{8}-\d{6}F_\d{8}-\d{6}I\s+incr\s/m);
        const verify = await runScript("backup.ts", ["--verify"], env());
        assert.equal(verify.code, 0, verify.stderr);
        assert.match(verify.stdout, /repository verified clean/);
        const bad = await runScript("backup.ts", ["--type", "weekly"], env());
        assert.deepEqual([bad.code, bad.stderr.trim()], [2, "backup: --type must be full, diff or incr, got weekly"]);
    });

    it("--replicas 1 adds a streaming standby that readonly_pooled reads from; --replicas 0 removes it", async () => {
        const connections = JSON.parse(fs.readFileSync(path.join(dir, "connections.json"), "utf8"));
        assert.equal(new URL(connections.urls.readonly_pooled).pathname, "/metacortex_ro");
        assert.deepEqual(
            connections.standbys.map((s: { name: string; host: string }) => [s.name, s.host]),
            [["standby1", "127.0.0.2"]],
        );
        const reader = new Client(clientConfig(connections.urls.readonly_pooled));
        await reader.connect();
        try {
            const { rows } = await reader.query("SELECT pg_is_in_recovery() AS r, host(inet_server_addr()) AS a");
            assert.deepEqual(rows[0], { r: true, a: "127.0.0.2" });
        } finally {
            await reader.end();
        }
        const admin = new Client(clientConfig(connections.urls.admin));
        await admin.connect();
        try {
            const { rows } = await admin.query("SELECT application_name, state FROM pg_stat_replication");
            assert.deepEqual(rows, [{ application_name: "standby1", state: "streaming" }]);
        } finally {
            await admin.end();
        }
        const again = await runScript("local.ts", ["--replicas", "0"], env());
        assert.equal(again.code, 0, again.stderr);
        assert.equal(fs.existsSync(path.dirname(connections.standbys[0].dataDir)), false, "its directory is gone");
        const after = JSON.parse(fs.readFileSync(path.join(dir, "connections.json"), "utf8"));
        assert.deepEqual(after.standbys, []);
        const bad = await runScript("local.ts", ["--replicas", "9"], env());
        assert.deepEqual(
            [bad.code, bad.stderr.trim()],
            [2, "local: --replicas must be a whole number from 0 to 5, got 9"],
        );
    });

    it("stops with --stop and reports it with --status", async () => {
        assert.equal((await runScript("local.ts", ["--stop"], env())).code, 0);
        const status = await runScript("local.ts", ["--status"], env());
        assert.match(status.stdout, /local: stopped/);
    });

    it("refuses an unknown flag with one line and exit code 2", async () => {
        const result = await runScript("local.ts", ["--bogus"], env());
        assert.equal(result.code, 2);
        assert.deepEqual(result.stderr.trim().split("\n"), [
            "local: Unknown option '--bogus'. Usage: npm run local [-- --replicas N | --stop | --status | --reset [--yes]]",
        ]);
    });
});
