/** A standby's settings: the standby rows, and the parameters it keeps at least at the primary's values. */
import { strict as assert } from "assert";
import {
    HOT_STANDBY_FLOOR_SOURCE,
    MAX_STANDBY_DELAY_MS,
    postgresSettings,
    renderPostgresqlConf,
    renderRdsParameters,
    replicaSettings,
    type Setting,
    standbySettings,
} from "../../postgres/settings";

const value = (settings: Setting[], name: string) => settings.find((s) => s.name === name)?.value;
const primary = { environment: "prod" as const, instanceClass: "db.r6g.large", databaseName: "metacortex" };

describe("standby settings", () => {
    it("turns hot_standby_feedback on and bounds how long replay waits for a conflicting query to 30 s", () => {
        const rows = standbySettings();
        assert.deepEqual(
            rows.map((s) => [s.name, s.value, s.apply, s.platform, s.group]),
            [
                ["hot_standby_feedback", true, "dynamic", "all", "replication"],
                ["max_standby_streaming_delay", 30_000, "dynamic", "all", "replication"],
                ["max_standby_archive_delay", 30_000, "dynamic", "all", "replication"],
            ],
        );
        assert.equal(MAX_STANDBY_DELAY_MS, 30_000);
        for (const s of rows) {
            assert.ok(s.reason.length > 40, s.name);
            assert.match(s.source, /^https:\/\/www\.postgresql\.org\/docs\/15\//, s.name);
        }
    });

    it("are not in a primary's settings: a primary ignores them, and its parameter group stays as it was", () => {
        const names = new Set(postgresSettings(primary).map((s) => s.name));
        for (const s of standbySettings()) assert.ok(!names.has(s.name), s.name);
    });

    it("render to RDS (1, 30000, immediate) and to postgresql.conf (on, 30000) like any other row", () => {
        const rds = renderRdsParameters(standbySettings());
        assert.deepEqual(rds[0], { name: "hot_standby_feedback", value: "1", applyMethod: "immediate" });
        assert.deepEqual(rds[1], { name: "max_standby_streaming_delay", value: "30000", applyMethod: "immediate" });
        const conf = renderPostgresqlConf(standbySettings(), {
            listenAddresses: "127.0.0.1",
            port: 5433,
            hbaFile: "/x/pg_hba.conf",
            sslCertFile: "/x/s.crt",
            sslKeyFile: "/x/s.key",
            sslCaFile: "/x/ca.crt",
            unixSocketDirectories: "/x/run",
            logDirectory: "log",
        });
        assert.match(conf, /^hot_standby_feedback = on$/m);
        assert.match(conf, /^max_standby_streaming_delay = 30000$/m);
    });
});

describe("a replica's settings", () => {
    it("are the primary's when the replica has the primary's class, plus the standby rows", () => {
        const replica = replicaSettings({ ...primary, standbyInstanceClass: "db.r6g.large" });
        assert.deepEqual(replica, [...postgresSettings(primary), ...standbySettings()]);
    });

    it("are sized for a smaller replica's class, but keep the primary's max_connections and max_worker_processes", () => {
        const small = replicaSettings({
            ...primary,
            instanceClass: "db.r6g.2xlarge",
            standbyInstanceClass: "db.r6g.large",
        });
        // db.r6g.2xlarge: 64 GiB, 8 vCPU -> 1600 connections, 12 workers; db.r6g.large alone: 400 and 8.
        assert.equal(value(small, "max_connections"), 1600);
        assert.equal(value(small, "max_worker_processes"), 12);
        const raised = small.find((s) => s.name === "max_connections")!;
        assert.match(raised.reason, /this class alone would give 400/);
        assert.equal(raised.source, HOT_STANDBY_FLOOR_SOURCE);
        // Memory follows the replica's own class.
        assert.equal(value(small, "shared_buffers"), (4 * 1024 * 1024) / 8, "a quarter of 16 GiB, in 8 kB pages");
        assert.equal(value(small, "autovacuum_max_workers"), 3);
    });

    it("keep a larger replica's own, higher values: a floor never lowers", () => {
        const big = replicaSettings({ ...primary, standbyInstanceClass: "db.r6g.4xlarge" });
        assert.equal(value(big, "max_connections"), 3200);
        assert.equal(value(big, "max_worker_processes"), 20);
    });

    it("render to an RDS parameter group without a parameter RDS refuses", () => {
        const rds = renderRdsParameters(replicaSettings({ ...primary, standbyInstanceClass: "db.t4g.medium" }));
        assert.equal(rds.find((p) => p.name === "max_connections")?.value, "400");
        assert.equal(rds.find((p) => p.name === "hot_standby_feedback")?.value, "1");
        assert.equal(new Set(rds.map((p) => p.name)).size, rds.length, "each parameter once");
    });
});
