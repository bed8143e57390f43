/**
 * The dev standby container's entrypoint script, run for real against a throwaway primary with the PostgreSQL 15
 * binaries: the script the Docker stack uploads, rendered with this machine's paths in place of the container's, the
 * server user's tools called directly in place of gosu, and pg_ctl in place of the image's entrypoint. It takes the
 * base backup through its own slot over TLS as the replication role, streams, starts again without a new backup, and
 * takes the backup again when the last one never completed.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { BASE_BACKUP_MARKER, renderStandbyEntrypoint } from "../../components/docker/support/standbyEntrypoint";
import { passfileLine, upstreamConninfo } from "../../postgres/network/conninfo";
import { ROLE } from "../../postgres/roles/names";
import { renderPgHba, renderPostgresqlConf, replicaSettings } from "../../postgres/settings";
import { chownToServer, PG_BIN, runAsServer, runAsServerWithOutput, serverUser } from "../../scripts/lib/exec";
import { freePort } from "../../scripts/lib/local/cluster";
import { waitStreaming } from "../../scripts/lib/local/standby";
import { committedStack, databaseWithRoles, type TestDatabase } from "../harness/pg";

const SLOT = "docker_standby";

describe("the dev standby's entrypoint script on real servers", function () {
    this.timeout(180_000);
    let db: TestDatabase;
    let root: string;
    let port: number;
    const at = (...parts: string[]) => path.join(root, ...parts);
    const dataDir = () => at("data");

    /** Writes a file the server user owns. */
    const own = (file: string, content: string | Buffer, mode: number) => {
        fs.writeFileSync(file, content, { mode });
        chownToServer(file);
    };

    /** Runs the script as the server user would in the container (PGDATA set, the image's arguments). */
    const runScript = () =>
        runAsServerWithOutput("/bin/sh", [at("standby.sh"), "-c", `config_file=${at("postgresql.conf")}`], {
            env: { ...process.env, PGDATA: dataDir() },
        });
    const stop = () => runAsServer(path.join(PG_BIN, "pg_ctl"), ["-D", dataDir(), "-m", "fast", "-w", "stop"]);

    async function onStandby<T>(sql: string): Promise<T> {
        const c = new Client({ ...db.cluster.connection(), port });
        await c.connect();
        try {
            return (await c.query(sql)).rows[0] as T;
        } finally {
            await c.end();
        }
    }

    before(async () => {
        db = await databaseWithRoles({ overrides: { fsync: false } });
        root = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-standby-script-"));
        fs.chmodSync(root, 0o700);
        chownToServer(root);
        port = await freePort();
        fs.mkdirSync(at("upload"), { mode: 0o700 });
        chownToServer(at("upload"));
        own(at("upload", "server.key"), fs.readFileSync(db.cluster.tls.serverKey), 0o600);
        own(at("upload", "server.crt"), fs.readFileSync(db.cluster.tls.serverCert), 0o644);
        own(at("upload", "ca.crt"), fs.readFileSync(db.cluster.tls.caCert), 0o644);
        own(at("upload", "replication.pgpass"), passfileLine(ROLE.replicator, db.passwords.replicator), 0o600);
        const conninfo = (applicationName: string) =>
            upstreamConninfo(db.cluster, {
                user: ROLE.replicator,
                passfile: at("replication.pgpass"),
                caCert: at("tls", "ca.crt"),
                applicationName,
            });
        // What the dev stack renders for a standby of its class, with this machine's paths.
        const stack = committedStack("dev");
        const settings = replicaSettings({
            environment: "dev",
            instanceClass: stack.instanceClass,
            databaseName: stack.databaseName,
            standbyInstanceClass: stack.instanceClass,
        });
        const conf = renderPostgresqlConf(settings, {
            listenAddresses: "127.0.0.1",
            port,
            hbaFile: at("pg_hba.conf"),
            sslCertFile: at("tls", "server.crt"),
            sslKeyFile: at("tls", "server.key"),
            sslCaFile: at("tls", "ca.crt"),
            unixSocketDirectories: at("run"),
            logDirectory: "log",
            standby: { primaryConninfo: conninfo(SLOT), slotName: SLOT },
        });
        own(at("postgresql.conf"), `${conf}fsync = off\n`, 0o644);
        own(at("pg_hba.conf"), renderPgHba({ allowedCidrs: ["127.0.0.1/32"] }), 0o644);
        const tls = (file: string, mode: string) => ({ from: at("upload", file), to: at("tls", file), mode });
        const script = renderStandbyEntrypoint({
            slot: SLOT,
            conninfo: conninfo(`${SLOT}_basebackup`),
            directories: [at("tls"), at("run")],
            installs: [
                tls("server.key", "0600"),
                tls("server.crt", "0644"),
                tls("ca.crt", "0644"),
                { from: at("upload", "replication.pgpass"), to: at("replication.pgpass"), mode: "0600" },
            ],
            serverUser: serverUser().name,
            asServer: "",
            binDir: PG_BIN,
            handOver: `exec ${PG_BIN}/pg_ctl -D "$PGDATA" -l ${at("server.log")} -w -t 120 -o "$*" start`,
        });
        own(at("standby.sh"), script, 0o755);
    });

    after(async () => {
        await stop().catch(() => undefined);
        await db?.cluster
            .query(
                "SELECT pg_drop_replication_slot($1) FROM pg_replication_slots WHERE slot_name = $1",
                [SLOT],
                "postgres",
            )
            .catch(() => undefined);
        await db?.cluster.destroy();
        if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it("takes the base backup through its own slot over TLS as the replication role, then streams as a hot standby", async () => {
        const out = await runScript();
        const said = out.stdout + out.stderr;
        assert.match(said, /standby docker_standby: no complete base backup in .*, taking one from the primary/);
        assert.match(said, /standby docker_standby: base backup complete/);
        assert.ok(!said.includes(db.passwords.replicator), "the password never reaches the output");
        await waitStreaming(db.cluster, SLOT);
        const [slot] = await db.cluster.query(
            "SELECT slot_type, active FROM pg_replication_slots WHERE slot_name = $1",
            [SLOT],
            "postgres",
        );
        assert.deepEqual(slot, { slot_type: "physical", active: true });
        const [sender] = await db.cluster.query(
            "SELECT usename, ssl FROM pg_stat_replication JOIN pg_stat_ssl USING (pid) WHERE application_name = $1",
            [SLOT],
            "postgres",
        );
        assert.deepEqual(sender, { usename: ROLE.replicator, ssl: true });
        await db.cluster.query(
            "CREATE TABLE public.standby_probe (n int); INSERT INTO public.standby_probe VALUES (1)",
        );
        await waitStreaming(db.cluster, SLOT);
        assert.deepEqual(
            await onStandby(
                "SELECT pg_is_in_recovery() AS recovery, (SELECT count(*)::int FROM public.standby_probe) AS n",
            ),
            { recovery: true, n: 1 },
        );
        const settings = await onStandby<{ feedback: string }>(
            "SELECT current_setting('hot_standby_feedback') AS feedback",
        );
        assert.equal(settings.feedback, "on");
    });

    it("starts again on its data directory without a new base backup", async () => {
        await stop();
        own(path.join(dataDir(), "kept.probe"), "", 0o600);
        const out = await runScript();
        assert.doesNotMatch(out.stdout + out.stderr, /taking one/);
        assert.ok(fs.existsSync(path.join(dataDir(), "kept.probe")), "the data directory was not rebuilt");
        await db.cluster.query("INSERT INTO public.standby_probe VALUES (2)");
        await waitStreaming(db.cluster, SLOT);
        assert.deepEqual(await onStandby("SELECT count(*)::int AS n FROM public.standby_probe"), { n: 2 });
    });

    it("takes the base backup again, reusing its slot, when the last one never completed", async () => {
        await stop();
        fs.rmSync(path.join(dataDir(), BASE_BACKUP_MARKER));
        const out = await runScript();
        assert.match(out.stdout + out.stderr, /taking one from the primary/);
        assert.ok(!fs.existsSync(path.join(dataDir(), "kept.probe")), "rebuilt from scratch");
        await waitStreaming(db.cluster, SLOT);
        const slots = await db.cluster.query("SELECT slot_name FROM pg_replication_slots", [], "postgres");
        assert.deepEqual(slots, [{ slot_name: SLOT }]);
        assert.deepEqual(await onStandby("SELECT count(*)::int AS n FROM public.standby_probe"), { n: 2 });
    });
});
