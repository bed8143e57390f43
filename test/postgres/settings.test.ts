/**
 * The settings source, proven on a real PostgreSQL 15: the rendered configuration boots, every parameter is accepted
 * and reads back as rendered, static/dynamic matches pg_settings.context, TLS and SCRAM are enforced, and slow
 * statements reach the log (with a plan) and pg_stat_statements.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import { Client } from "pg";
import { postgresSettings, renderRdsParameters, settingText } from "../../postgres/settings";
import type { PgCluster } from "../../scripts/lib/local/cluster";
import { committedStack, throwawayCluster, waitFor } from "../harness/pg";

const STATIC_CONTEXTS = new Set(["postmaster", "internal"]);

describe("settings on a real PostgreSQL 15", function () {
    this.timeout(180_000);
    for (const environment of ["dev", "prod"] as const) {
        describe(`${environment} rendering (${committedStack(environment).instanceClass})`, () => {
            let cluster: PgCluster;
            before(async () => {
                cluster = await throwawayCluster({ environment });
            });
            after(async () => cluster?.destroy());

            it("boots, and every rendered parameter exists, is accepted and reads back as rendered", async () => {
                const stack = committedStack(environment);
                const settings = postgresSettings({
                    environment,
                    instanceClass: stack.instanceClass,
                    databaseName: stack.databaseName,
                }).filter((s) => s.platform !== "rds");
                const rows = await cluster.query<{
                    name: string;
                    setting: string;
                    source: string;
                    pending_restart: boolean;
                }>(
                    "SELECT lower(name) AS name, setting, source, pending_restart FROM pg_settings WHERE lower(name) = ANY($1)",
                    [settings.map((s) => s.name.toLowerCase())],
                );
                const byName = new Map(rows.map((r) => [r.name, r]));
                const problems: string[] = [];
                for (const s of settings) {
                    const row = byName.get(s.name.toLowerCase()); // GUC names are case-insensitive (TimeZone)
                    if (!row) problems.push(`${s.name}: unknown to PostgreSQL 15 (typo, or its library is not loaded)`);
                    else if (row.setting !== settingText(s.value))
                        problems.push(`${s.name}: rendered ${settingText(s.value)}, server has ${row.setting}`);
                    else if (row.source !== "configuration file") problems.push(`${s.name}: source ${row.source}`);
                }
                assert.deepEqual(problems, []);
                const errors = await cluster.query("SELECT name, error FROM pg_file_settings WHERE error IS NOT NULL");
                assert.deepEqual(errors, []);
            });

            it("classifies static and dynamic as pg_settings.context does, for every parameter RDS gets too", async () => {
                const stack = committedStack(environment);
                const settings = postgresSettings({
                    environment,
                    instanceClass: stack.instanceClass,
                    databaseName: stack.databaseName,
                });
                const rows = await cluster.query<{ name: string; context: string }>(
                    "SELECT lower(name) AS name, context FROM pg_settings",
                );
                const context = new Map(rows.map((r) => [r.name, r.context]));
                const wrong = settings
                    .filter((s) => s.platform !== "rds")
                    .filter(
                        (s) =>
                            (STATIC_CONTEXTS.has(context.get(s.name.toLowerCase())!) ? "static" : "dynamic") !==
                            s.apply,
                    )
                    .map((s) => `${s.name}: declared ${s.apply}, context ${context.get(s.name.toLowerCase())}`);
                assert.deepEqual(wrong, []);
                // RDS-only names cannot be checked here; they must be exactly the rds.* ones.
                assert.deepEqual(
                    settings
                        .filter((s) => s.platform === "rds")
                        .map((s) => s.name)
                        .filter((n) => !n.startsWith("rds.")),
                    [],
                );
                assert.ok(renderRdsParameters(settings).length > 40);
            });
        });
    }

    describe("connections (dev rendering)", () => {
        let cluster: PgCluster;
        before(async () => {
            cluster = await throwawayCluster({
                environment: "dev",
                overrides: { "pg_stat_statements.track_utility": false },
            });
            await cluster.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await cluster.query("CREATE ROLE legacy_md5 LOGIN");
            // A role whose stored verifier is md5, as an old client library would have created it.
            await cluster.query("SET password_encryption = 'md5'; ALTER ROLE legacy_md5 PASSWORD 'md5-era-secret'");
        });
        after(async () => cluster?.destroy());

        it("accepts verify-full TLS with the local CA, using TLS 1.2 or newer", async () => {
            const c = cluster.client();
            await c.connect();
            try {
                const { rows } = await c.query("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
                assert.equal(rows[0].ssl, true);
                assert.match(rows[0].version, /^TLSv1\.[23]$/);
            } finally {
                await c.end();
            }
        });

        it("refuses a certificate that does not match the host name (verify-full, not just verify-ca)", async () => {
            const config = cluster.connection();
            const c = new Client({
                ...config,
                ssl: { ...(config.ssl as object), servername: "db.example.invalid" },
            });
            await assert.rejects(c.connect(), /Hostname\/IP does not match certificate's altnames|does not match/);
        });

        it("refuses connections without TLS", async () => {
            const c = new Client({ ...cluster.connection(), ssl: false });
            await assert.rejects(c.connect(), /pg_hba\.conf rejects connection .* no encryption/);
        });

        it("refuses a connection without a password and one with a wrong password", async () => {
            await assert.rejects(cluster.client({ password: "" }).connect(), /password|SASL/i);
            await assert.rejects(cluster.client({ password: "wrong" }).connect(), /password authentication failed/);
        });

        it("refuses a role whose password is stored as md5", async () => {
            const [row] = await cluster.query(
                "SELECT rolpassword LIKE 'md5%' AS md5 FROM pg_authid WHERE rolname = 'legacy_md5'",
            );
            assert.equal(row.md5, true, "fixture: the verifier really is md5");
            await assert.rejects(
                cluster.client({ user: "legacy_md5", password: "md5-era-secret" }).connect(),
                /password authentication failed/,
            );
        });

        it("logs a statement slower than log_min_duration_statement with its auto_explain plan, and counts it in pg_stat_statements", async () => {
            const [{ threshold }] = await cluster.query<{ threshold: string }>(
                "SELECT setting AS threshold FROM pg_settings WHERE name = 'log_min_duration_statement'",
            );
            const sleep = (Number(threshold) + 150) / 1000;
            const marker = `slow_probe_${Date.now()}`;
            await cluster.query(`SELECT pg_sleep(${sleep}) AS ${marker}`);
            const logFile = await cluster.currentLogFile();
            const log = await waitFor("the slow statement and its plan in the log", () => {
                const text = fs.readFileSync(logFile, "utf8");
                return text.includes(`statement: SELECT pg_sleep(${sleep}) AS ${marker}`) &&
                    /duration: [\d.]+ ms\s+plan:\s*\{/.test(text) &&
                    text.includes(marker)
                    ? text
                    : undefined;
            });
            const statementLine = log
                .split("\n")
                .find((l) => l.includes(`statement: SELECT pg_sleep(${sleep}) AS ${marker}`))!;
            assert.match(
                statementLine,
                /metacortex_admin@metacortex app=\S* client=127\.0\.0\.1 /,
                "prefix carries user, database, application, client",
            );
            assert.match(
                log,
                /"Query Text": "SELECT pg_sleep\([\d.]+\) AS slow_probe_\d+"/,
                "auto_explain JSON plan of the same statement",
            );
            const stats = await cluster.query(
                "SELECT calls, mean_exec_time FROM pg_stat_statements WHERE query LIKE $1",
                [`%AS ${marker}%`],
            );
            assert.equal(stats.length, 1);
            assert.ok(Number(stats[0].mean_exec_time) >= Number(threshold), `mean ${stats[0].mean_exec_time} ms`);
        });

        it("keeps bind values out of the log: a slow statement's and a failed statement's parameters are absent", async () => {
            const [{ threshold }] = await cluster.query<{ threshold: string }>(
                "SELECT setting AS threshold FROM pg_settings WHERE name = 'log_min_duration_statement'",
            );
            const secret = `private note text ${Date.now()}`;
            const c = cluster.client();
            await c.connect();
            try {
                // Extended protocol with bind values, as every driver sends them.
                await c.query("SELECT pg_sleep($1::float8) AS slow_bind_probe, $2::text AS note", [
                    (Number(threshold) + 150) / 1000,
                    secret,
                ]);
                await assert.rejects(
                    c.query("SELECT $1::text AS failed_bind_probe, 1 / 0 AS boom", [secret]),
                    /division by zero/,
                );
            } finally {
                await c.end();
            }
            const logFile = await cluster.currentLogFile();
            const log = await waitFor("both statements in the log", () => {
                const text = fs.readFileSync(logFile, "utf8");
                return /execute <unnamed>: SELECT pg_sleep\(\$1::float8\) AS slow_bind_probe/.test(text) &&
                    /STATEMENT: {2}SELECT \$1::text AS failed_bind_probe/.test(text)
                    ? text
                    : undefined;
            });
            assert.ok(!log.includes(secret), "a bind value reached the log");
            assert.doesNotMatch(log, /parameters: \$1 = /);
        });
    });
});
