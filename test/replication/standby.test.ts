/**
 * Streaming standbys on real servers: a throwaway primary with two standbys built by pg_basebackup over TLS as the
 * replication role. Writes reach them, row-level security holds on them, PgBouncer's read pool lands on them, and a
 * standby that falls behind (replay paused) or a slot left behind shows in the health checks and in the status.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { Client, type ClientConfig } from "pg";
import { runHealth } from "../../postgres/health/checks";
import { slotRetention, standbyLag, standbyReplay } from "../../postgres/health/replication";
import { DEBIAN_PGBOUNCER } from "../../postgres/pooling/pgbouncerIni";
import { poolDatabases, readPoolName } from "../../postgres/pooling/readPool";
import { ROLE } from "../../postgres/roles/names";
import { freePort, type PgCluster } from "../../scripts/lib/local/cluster";
import { PG_BIN, runAsServer } from "../../scripts/lib/exec";
import { dbmate } from "../../scripts/lib/local/migrations";
import { LocalPgbouncer } from "../../scripts/lib/local/pgbouncerProcess";
import { replication } from "../../scripts/lib/status/collectServer";
import {
    standbyAddress,
    startStandby,
    upstreamConninfo,
    waitStreaming,
    writePassfile,
} from "../../scripts/lib/local/standby";
import { databaseWithRoles, type TestDatabase, waitFor } from "../harness/pg";

describe("streaming standbys", function () {
    this.timeout(120_000);
    let db: TestDatabase;
    const standbys: PgCluster[] = [];
    let bouncer: LocalPgbouncer;
    let alice: string;
    let bob: string;
    /** A cluster as the admin, in the shape the health queries take. */
    const admin = (cluster: PgCluster) => ({
        query: async (sql: string, params?: unknown[]) => ({ rows: await cluster.query(sql, params ?? []) }),
    });
    const on = (cluster: PgCluster, role: string, database?: string): ClientConfig => ({
        ...cluster.connection({ user: `metacortex_${role}`, password: db.passwords[role], database }),
    });
    async function one<T = Record<string, unknown>>(config: ClientConfig, sql: string, params: unknown[] = []) {
        const c = new Client(config);
        await c.connect();
        try {
            return (await c.query(sql, params)).rows[0] as T;
        } finally {
            await c.end();
        }
    }

    before(async () => {
        // No fsync: this machine's disk makes each base backup and standby start take seconds, and nothing here crashes.
        db = await databaseWithRoles({ overrides: { fsync: false } });
        await dbmate(db.url("migrator"), "migrate");
        [alice, bob] = (
            await db.cluster.query(
                "INSERT INTO app.users (email, display_name) VALUES ('alice@example.test', 'Alice'), ('bob@example.test', 'Bob') RETURNING id",
            )
        ).map((r) => r.id);
        await db.cluster.query(
            "INSERT INTO app.tasks (user_id, title) SELECT $1::uuid, 'alice ' || g FROM generate_series(1, 3) g UNION ALL SELECT $2::uuid, 'bob 1'",
            [alice, bob],
        );
        const root = db.cluster.options.root;
        for (const i of [0, 1]) {
            const spec = {
                name: `standby${i + 1}`,
                address: standbyAddress(i),
                root: path.join(root, `standby${i + 1}`),
            };
            standbys.push(await startStandby(db.cluster, spec, db.passwords.replicator));
        }
        for (const s of ["standby1", "standby2"]) await waitStreaming(db.cluster, s);
        bouncer = await LocalPgbouncer.start({
            cluster: db.cluster,
            port: await freePort(),
            defaultPoolSize: 4,
            maxDbConnections: 8,
            maxClientConn: 50,
            users: [ROLE.app, ROLE.readonly],
            databases: poolDatabases(
                db.cluster.options.databaseName,
                db.cluster,
                standbys.map((s, i) => ({ name: `standby${i + 1}`, host: s.host, port: s.port })),
                DEBIAN_PGBOUNCER,
            ),
        });
    });
    after(async () => {
        await bouncer?.stop();
        for (const s of standbys) await s.stop().catch(() => undefined);
        await db?.cluster.destroy();
    });

    it("builds each standby with pg_basebackup over TLS as the replication role, streaming through its own slot", async () => {
        const lag = await standbyLag(admin(db.cluster));
        assert.deepEqual(
            lag.map((s) => [s.name, s.address, s.state, s.syncState]),
            [
                ["standby1", "127.0.0.1", "streaming", "async"],
                ["standby2", "127.0.0.1", "streaming", "async"],
            ],
        );
        const rows = await db.cluster.query(
            `SELECT r.application_name, r.usename, s.ssl, s.version, sl.slot_name FROM pg_stat_replication r
             JOIN pg_stat_ssl s ON s.pid = r.pid JOIN pg_replication_slots sl ON sl.active_pid = r.pid ORDER BY 1`,
        );
        assert.deepEqual(
            rows.map((r) => [r.application_name, r.usename, r.ssl, r.slot_name]),
            [
                ["standby1", ROLE.replicator, true, "standby1"],
                ["standby2", ROLE.replicator, true, "standby2"],
            ],
        );
        const settings =
            "SELECT current_setting('data_checksums') AS checksums, current_setting('hot_standby_feedback') AS feedback, current_setting('max_standby_streaming_delay') AS delay";
        // pg_rewind needs checksums; the standby rows (standbySettings) are rendered for standbys only.
        assert.deepEqual(await standbys[0].query(settings), [{ checksums: "on", feedback: "on", delay: "30s" }]);
        assert.deepEqual(await db.cluster.query(settings), [{ checksums: "on", feedback: "off", delay: "30s" }]);
    });

    it("admits replication for the replication role only, and lets it into no database", async () => {
        const passfile = writePassfile(path.join(db.cluster.options.root, "app.pgpass"), ROLE.app, db.passwords.app);
        const target = path.join(db.cluster.options.root, "refused-backup");
        const conninfo = upstreamConninfo(db.cluster, { user: ROLE.app, passfile, caCert: db.cluster.tls.caCert });
        await assert.rejects(
            runAsServer(path.join(PG_BIN, "pg_basebackup"), ["-D", target, "-d", conninfo, "-w"]),
            /no pg_hba\.conf entry for replication connection .* user "metacortex_app"/,
        );
        const replicator = db.cluster.connection({ user: ROLE.replicator, password: db.passwords.replicator });
        await assert.rejects(one(replicator, "SELECT 1"), /permission denied for database "metacortex"/);
        assert.equal(fs.existsSync(path.join(target, "PG_VERSION")), false);
    });

    it("shows a write on the primary on every standby", async () => {
        const [{ id }] = await db.cluster.query(
            "INSERT INTO app.tasks (user_id, title) VALUES ($1, 'written on the primary') RETURNING id",
            [alice],
        );
        for (const s of standbys)
            await waitFor(`the task on ${s.host}`, async () =>
                (await s.query("SELECT 1 FROM app.tasks WHERE id = $1", [id])).length === 1 ? true : undefined,
            );
    });

    it("keeps row-level security on a standby: the readonly role with a tenant sees only that tenant's rows", async () => {
        const c = new Client(on(standbys[0], "readonly"));
        await c.connect();
        try {
            await c.query("BEGIN");
            await c.query("SELECT app.set_tenant($1)", [bob]);
            const { rows } = await c.query("SELECT user_id, title FROM app.tasks ORDER BY title");
            await c.query("COMMIT");
            assert.deepEqual(rows, [{ user_id: bob, title: "bob 1" }]);
            const { rows: none } = await c.query("SELECT count(*)::int AS n FROM app.tasks");
            assert.equal(none[0].n, 0, "no tenant, no rows");
            await assert.rejects(c.query("INSERT INTO app.tags (user_id, name) VALUES ($1, 'x')", [bob]), /read-only/);
        } finally {
            await c.end();
        }
    });

    it("sends the readonly pool to a standby, each standby's pool to it, and the database's own pool to the primary", async () => {
        const via = (database: string) =>
            one<{ recovery: boolean; addr: string }>(
                { ...on(db.cluster, "readonly", database), host: "127.0.0.1", port: bouncer.port },
                "SELECT pg_is_in_recovery() AS recovery, host(inet_server_addr()) AS addr",
            );
        // Debian's PgBouncer 1.18 cannot verify a host list (fixed in 1.25): its read pool is the first standby's.
        assert.deepEqual(await via(readPoolName("metacortex")), { recovery: true, addr: "127.0.0.2" });
        assert.deepEqual(await via("metacortex_standby2"), { recovery: true, addr: "127.0.0.3" });
        assert.deepEqual(await via("metacortex"), { recovery: false, addr: "127.0.0.1" });
    });

    it("fails the standbys check when replay falls behind, and passes again once it catches up", async () => {
        const monitor = new Client(on(db.cluster, "monitor"));
        await monitor.connect();
        const tls = { verified: true, mode: "verify-full" };
        const tight = { replicaLagBytes: 1024 * 1024, replicaLagSeconds: 5 };
        try {
            await standbys[0].query("SELECT pg_wal_replay_pause()");
            await db.cluster.query(
                "CREATE TABLE public.filler AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 20000) g",
            );
            const behind = await waitFor("standby1 over the lag threshold", async () => {
                const r = await runHealth(monitor, tls, tight);
                const c = r.checks.find((x) => x.check === "standbys")!;
                return c.status === "fail" ? c : undefined;
            });
            assert.match(
                behind.value,
                /^standby1 streaming async: ([1-9]\d*\.\d|0\.[1-9]) MiB, [\d.]+ s behind; standby2 streaming async: /,
            );
            assert.equal((await standbyReplay(admin(standbys[0]))).pauseState, "paused");
            // npm run status shows the same, as the monitor role: each standby with its lag, each slot.
            const status = await replication(monitor);
            assert.deepEqual(
                status.standbys.map((s) => [s.name, s.state]),
                [
                    ["standby1", "streaming"],
                    ["standby2", "streaming"],
                ],
            );
            assert.ok((status.standbys[0].lagBytes ?? 0) > 0, "standby1's lag in bytes");
            assert.deepEqual(
                status.slots.map((s) => [s.name, s.active]),
                [
                    ["standby1", true],
                    ["standby2", true],
                ],
            );
            await standbys[0].query("SELECT pg_wal_replay_resume()");
            await waitFor("standby1 caught up", async () => {
                const r = await runHealth(monitor, tls, tight);
                return r.checks.find((x) => x.check === "standbys")!.status === "ok" ? true : undefined;
            });
        } finally {
            await standbys[0].query("SELECT pg_wal_replay_resume()").catch(() => undefined);
            await monitor.end();
        }
    });

    it("warns on an inactive slot that keeps WAL for a stopped standby", async () => {
        await standbys[1].stop();
        await db.cluster.query("INSERT INTO public.filler SELECT g, repeat('y', 200) FROM generate_series(1, 20000) g");
        await db.cluster.query("SELECT pg_switch_wal()");
        const slot = (await slotRetention(admin(db.cluster))).find((s) => s.name === "standby2")!;
        assert.equal(slot.active, false);
        assert.ok(slot.retainedBytes > 1024 * 1024, `${slot.retainedBytes} bytes kept`);
        const monitor = new Client(on(db.cluster, "monitor"));
        await monitor.connect();
        try {
            const r = await runHealth(
                monitor,
                { verified: true, mode: "verify-full" },
                { idleSlotRetainedBytes: 1024 * 1024 },
            );
            const c = r.checks.find((x) => x.check === "replication slots")!;
            assert.equal(c.status, "warn");
            assert.match(c.value, /standby1 active [\d.]+ MiB; standby2 inactive [\d.]+ MiB/);
        } finally {
            await monitor.end();
        }
    });
});
