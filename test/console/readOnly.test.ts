/**
 * The operator's read-only commands on a real local environment: `npm run status` with every section from live state
 * and the failure states an operator meets (PgBouncer killed, WAL archiving failing, a failed pg_cron run),
 * `npm run backup -- --list`, and `npm run report`, whose bundle holds no secret of the environment.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { readMigrations } from "../../scripts/lib/migrations/files";
import type { Finding } from "../../scripts/lib/status/judge";
import { type LocalEnvironment, sharedLocalEnvironment } from "../harness/localEnv";
import { waitFor } from "../harness/pg";
import { run } from "../../scripts/lib/exec";

const listening = (port: number) =>
    new Promise<boolean>((resolve) => {
        const s = net.connect(port, "127.0.0.1");
        s.once("connect", () => resolve(!s.destroy()));
        s.once("error", () => resolve(false));
    });

describe("npm run status, backup -- --list and report, on a real local environment", function () {
    this.timeout(180_000);
    let env: LocalEnvironment;
    const status = async () => {
        const r = await env.run("status.ts", ["--json"]);
        return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr };
    };
    const finding = (json: { judgement: { findings: Finding[] } }, section: string) =>
        json.judgement.findings.find((f) => f.section === section);

    before(async () => {
        env = await sharedLocalEnvironment();
    });

    it("reports the full backup pgBackRest made when the first one asked for was incremental; --list only lists", async () => {
        const first = await env.run("backup.ts");
        assert.equal(first.code, 0, first.stderr);
        const label = /backup: made a full backup (\d{8}-\d{6}F), not the incr asked for/.exec(first.stdout)?.[1];
        assert.ok(label, first.stdout);
        assert.doesNotMatch(first.stdout, /incr backup \.\.\. done/);
        const list = await env.run("backup.ts", ["--list"]);
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, new RegExp(`^${label}\\s+full\\s`, "m"));
        assert.equal(list.stdout, (await env.run("backup.ts", ["--list"])).stdout, "listing twice changes nothing");
    });

    it("is healthy from live state: every section filled, as text (exit 0) and as JSON", async () => {
        const text = await env.run("status.ts");
        assert.equal(text.code, 0, text.stdout + text.stderr);
        assert.match(text.stdout.split("\n")[1], /^HEALTHY \(exit 0\): 0 failing, 0 warning, 0 unknown, 10 ok$/);
        const { json } = await status();
        const files = readMigrations().map((m) => m.file);
        assert.match(json.server.version, /^15\./);
        assert.equal(json.server.inRecovery, false);
        const app = json.connections.roles.find((r: { role: string }) => r.role === "metacortex_app");
        assert.deepEqual([app.limit, json.connections.maxConnections], [70, 100]);
        assert.deepEqual([json.pgbouncer.state, json.pgbouncer.where], ["up", `127.0.0.1:${env.state.pgbouncerPort}`]);
        assert.match(json.archiving.lastArchivedWal, /^[0-9A-F]{24}(\.[0-9A-F]{8}\.backup)?$/);
        assert.equal(json.backups.backups[0].type, "full");
        assert.ok(Date.parse(json.judgement.recoverable.to) >= Date.parse(json.judgement.recoverable.from));
        assert.deepEqual([json.migrations.applied.length, json.migrations.pending], [files.length, []]);
        assert.ok(json.cron.jobs.some((j: { name: string }) => j.name === "metacortex-partman-app.habit_checkins"));
        assert.deepEqual(
            json.partitions.tables.map((t: { parent: string; defaultRows: number }) => [t.parent, t.defaultRows]),
            [
                ["app.habit_checkins", 0],
                ["audit.row_changes", 0],
            ],
        );
        assert.deepEqual([json.replication.standbys, json.replication.slots], [[], []]);
        assert.equal(json.health.fail, 0);
    });

    it("fails (exit 2) with PgBouncer killed, naming it; npm run health fails on it too", async () => {
        const pid = Number(fs.readFileSync(path.join(env.state.clusterRoot, "pgbouncer", "pgbouncer.pid"), "utf8"));
        process.kill(pid, "SIGKILL");
        await waitFor("PgBouncer gone", async () => !(await listening(env.state.pgbouncerPort)) || undefined);
        const text = await env.run("status.ts");
        assert.equal(text.code, 2, text.stdout);
        assert.match(
            text.stdout,
            /^ {2}fail {4}PgBouncer {4}not answering on 127\.0\.0\.1:\d+: connection refused; npm run local restarts it$/m,
        );
        const health = await env.run("health.ts");
        assert.equal(health.code, 1);
        assert.match(health.stderr, /^health: 1 check\(s\) failed: pgbouncer \(not answering on 127\.0\.0\.1:\d+/);
        assert.equal((await env.run("local.ts")).code, 0, "npm run local brings it back");
        assert.equal((await status()).json.pgbouncer.state, "up");
    });

    it("fails while WAL archiving fails, naming the segment, and is healthy again once it archives", async () => {
        const archiver = async () =>
            (
                await env.query<{ failed: number; ok: boolean }>(
                    "SELECT failed_count::int AS failed, coalesce(last_archived_time > last_failed_time, true) AS ok FROM pg_stat_archiver",
                )
            )[0];
        const switchWal = () => env.query("SELECT pg_logical_emit_message(false, 'status-test', 'x'), pg_switch_wal()");
        await env.query("ALTER SYSTEM SET archive_command = 'false'");
        await env.query("SELECT pg_reload_conf()");
        try {
            await switchWal();
            await waitFor("an archive failure", async () => ((await archiver()).failed > 0 ? true : undefined));
            const failing = await status();
            assert.equal(failing.code, 2);
            assert.equal(finding(failing.json, "archiving")?.verdict, "fail");
            assert.match(
                finding(failing.json, "archiving")?.notes[0] ?? "",
                /^archiving is failing \(last failure [0-9A-F]{24}\)/,
            );
        } finally {
            await env.query("ALTER SYSTEM RESET archive_command");
            await env.query("SELECT pg_reload_conf()");
        }
        await switchWal();
        await waitFor("archiving again", async () => ((await archiver()).ok ? true : undefined), 60_000);
        assert.equal(finding((await status()).json, "archiving")?.verdict, "ok");
    });

    it("fails on a failed pg_cron run, quoting its error, until the job next succeeds", async () => {
        const [{ jobid }] = await env.query<{ jobid: number }>(
            "SELECT jobid FROM cron.job WHERE jobname = 'metacortex-purge-soft-deleted'",
        );
        // A run as pg_cron records it (the job itself runs daily).
        const run = (state: string, message: string) =>
            env.query(
                `INSERT INTO cron.job_run_details (jobid, runid, job_pid, database, username, command, status, return_message, start_time, end_time)
                 VALUES ($1, nextval('cron.runid_seq'), 0, 'metacortex', 'metacortex_migrator', 'purge', $2, $3, clock_timestamp(), clock_timestamp())`,
                [jobid, state, message],
            );
        await run("failed", "ERROR:  canceling statement due to lock timeout");
        const failing = await status();
        assert.equal(failing.code, 2);
        assert.deepEqual(finding(failing.json, "cron")?.notes, [
            "metacortex-purge-soft-deleted failed: ERROR:  canceling statement due to lock timeout",
        ]);
        await run("succeeded", "DELETE 0");
        const again = await status();
        assert.deepEqual([again.code, finding(again.json, "cron")?.verdict], [0, "ok"]);
    });

    it("bundles settings, role settings, the log tail, top statements, health, status and versions, with no secret of .local/ in it", async () => {
        // Put every password in the server log first, as an operator's typo would (the statement is logged on error).
        const secrets = Object.values(env.secrets);
        for (const s of secrets) await env.query(`SELECT '${s}'::int`).catch(() => undefined);
        const [{ log }] = await env.query<{ log: string }>(
            "SELECT pg_read_file('log/' || (SELECT name FROM pg_ls_logdir() ORDER BY modification DESC LIMIT 1)) AS log",
        );
        assert.ok(
            secrets.every((s) => log.includes(s)),
            "the raw log holds every secret",
        );
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-report-test-")), "bundle.tar.gz");
        const r = await env.run("report.ts", ["--out", out, "--lines", "200"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /^report: .*bundle\.tar\.gz \(12 files, [\d.]+ KiB\); \d+ secrets redacted$/m);
        await run("tar", ["-xzf", out, "-C", path.dirname(out)]);
        const dir = path.join(
            path.dirname(out),
            fs.readdirSync(path.dirname(out)).find((f) => f.startsWith("metacortex-report-"))!,
        );
        const read = (f: string) => fs.readFileSync(path.join(dir, f), "utf8");
        assert.match(read("settings.tsv"), /^shared_buffers\t131072\t8kB\tconfiguration file\t/m);
        assert.match(read("role-settings.tsv"), /^metacortex_app\t\(every database\)\tstatement_timeout=5000$/m);
        assert.equal(read("postgresql.log").split("\n").length, 202, "a header, 200 lines and the last newline");
        assert.match(read("pg_stat_statements-top20.tsv"), /^calls\ttotal_ms\tmean_ms\t/);
        assert.ok(JSON.parse(read("health.json")).checks.length >= 17);
        assert.equal(JSON.parse(read("status.json")).judgement.overall, "healthy");
        assert.match(JSON.parse(read("versions.json")).server, /^PostgreSQL 15\./);
        assert.match(read("config/pgbackrest.conf"), /^repo1-cipher-pass=\[redacted\]$/m);
        // Every secret of the environment, as is and URL-encoded, plus the SCRAM verifiers: none in any file.
        const verifiers = (
            await env.query<{ v: string }>("SELECT rolpassword AS v FROM pg_authid WHERE rolpassword IS NOT NULL")
        ).map((x) => x.v);
        const urlPasswords = Object.values(env.connections.urls).map((u) => decodeURIComponent(new URL(u).password));
        const needles = [...secrets, ...secrets.map(encodeURIComponent), ...urlPasswords, ...verifiers];
        const files = fs
            .readdirSync(dir, { recursive: true })
            .map(String)
            .filter((f) => fs.statSync(path.join(dir, f)).isFile());
        assert.equal(files.length, 12);
        for (const f of files)
            for (const n of needles) assert.ok(!read(f).includes(n), `${f} holds a secret (${n.slice(0, 4)}...)`);
        assert.ok(read("postgresql.log").includes("[redacted]"), "the planted secrets were replaced");
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
    });
});
