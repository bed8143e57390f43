/** Standbys' pure parts: the replication role and its pg_hba line, standby settings, read pools, conninfo. */
import { strict as assert } from "assert";
import { DEBIAN_PGBOUNCER, renderPgbouncerIni } from "../../postgres/pooling/pgbouncerIni";
import { poolDatabases, readPoolName, spreadsOverHosts } from "../../postgres/pooling/readPool";
import { MAX_STANDBYS, roleModel } from "../../postgres/roles/model";
import { ROLE } from "../../postgres/roles/names";
import { renderRoleSql, replicationRoleSql } from "../../postgres/roles/sql";
import { postgresSettings, renderPgHba, renderPostgresqlConf, type SelfManagedServer } from "../../postgres/settings";
import { localStandbySpec, parseReplicaCount } from "../../scripts/lib/local/localStandbys";
import { standbyAddress, upstreamConninfo } from "../../scripts/lib/local/standby";

const SERVER: SelfManagedServer = {
    listenAddresses: "127.0.0.2",
    port: 5432,
    hbaFile: "/d/pg_hba.conf",
    sslCertFile: "/t/server.crt",
    sslKeyFile: "/t/server.key",
    sslCaFile: "/t/ca.crt",
    unixSocketDirectories: "/r",
    logDirectory: "log",
};

describe("the replication role", () => {
    it("is declared in the role model but not among the roles the stacks create (RDS replicates by itself)", () => {
        const model = roleModel("metacortex", "db.t4g.medium");
        assert.equal(model.replication.name, ROLE.replicator);
        assert.equal(model.replication.connectionLimit, MAX_STANDBYS + 2);
        assert.ok(!model.roles.some((r) => r.name === ROLE.replicator));
    });

    it("renders as REPLICATION and LOGIN with nothing else, its password apart (roles/passwords.ts)", () => {
        const spec = roleModel("metacortex", "db.t4g.medium").replication;
        const [, alter, reset] = replicationRoleSql(spec);
        assert.equal(
            alter,
            "ALTER ROLE metacortex_replicator WITH NOSUPERUSER NOCREATEDB NOCREATEROLE REPLICATION NOBYPASSRLS NOINHERIT LOGIN CONNECTION LIMIT 7;",
        );
        assert.equal(reset, "ALTER ROLE metacortex_replicator RESET ALL;");
        const sql = renderRoleSql(roleModel("metacortex", "db.t4g.medium"));
        assert.doesNotMatch(sql, /GRANT [^;]* TO metacortex_replicator/, "no privilege on any database or schema");
    });

    it("gets the only pg_hba line that admits replication connections, over TLS with SCRAM", () => {
        const hba = renderPgHba({
            allowedCidrs: ["127.0.0.1/32"],
            replication: { role: ROLE.replicator, cidrs: ["127.0.0.1/32"] },
        });
        const lines = hba.split("\n").filter((l) => /\breplication\b/.test(l) && !l.startsWith("#"));
        assert.deepEqual(
            lines.map((l) => l.split(/\s+/)),
            [["hostssl", "replication", "metacortex_replicator", "127.0.0.1/32", "scram-sha-256"]],
        );
        assert.doesNotMatch(renderPgHba({ allowedCidrs: ["127.0.0.1/32"] }), /replication/);
        assert.throws(
            () => renderPgHba({ allowedCidrs: [], replication: { role: ROLE.replicator, cidrs: ["0.0.0.0/0"] } }),
            /refusing 0\.0\.0\.0\/0/,
        );
    });
});

describe("standby settings", () => {
    const settings = postgresSettings({
        environment: "dev",
        instanceClass: "db.t4g.medium",
        databaseName: "metacortex",
    });

    it("renders primary_conninfo and primary_slot_name for a standby only", () => {
        const conninfo = "host=127.0.0.1 port=5432 user=metacortex_replicator application_name=standby1";
        const conf = renderPostgresqlConf(settings, {
            ...SERVER,
            standby: { primaryConninfo: conninfo, slotName: "standby1" },
        });
        assert.match(conf, new RegExp(`^primary_conninfo = '${conninfo}'$`, "m"));
        assert.match(conf, /^primary_slot_name = 'standby1'$/m);
        assert.match(conf, /^listen_addresses = '127\.0\.0\.2' {2}# restart$/m);
        assert.doesNotMatch(renderPostgresqlConf(settings, SERVER), /primary_/);
    });

    it("builds the upstream conninfo with verify-full and a passfile, refusing values that would need quoting", () => {
        const o = { user: ROLE.replicator, passfile: "/s/p", caCert: "/s/ca.crt", applicationName: "standby1" };
        assert.equal(
            upstreamConninfo({ host: "127.0.0.1", port: 5432 }, o),
            "host=127.0.0.1 port=5432 user=metacortex_replicator passfile=/s/p sslmode=verify-full sslrootcert=/s/ca.crt application_name=standby1",
        );
        assert.throws(() => upstreamConninfo({ host: "127.0.0.1", port: 5432 }, { ...o, passfile: "/a b" }), /space/);
        assert.deepEqual([0, 1, 4].map(standbyAddress), ["127.0.0.2", "127.0.0.3", "127.0.0.6"]);
    });
});

describe("the local standbys", () => {
    it("takes 0 to 5 standbys from --replicas, and says what is allowed", () => {
        assert.deepEqual(
            ["0", "2", "5"].map((v) => parseReplicaCount(v, "--replicas")),
            [0, 2, 5],
        );
        for (const bad of ["6", "-1", "one", "1.5", ""])
            assert.throws(
                () => parseReplicaCount(bad, "--replicas"),
                new RegExp(
                    `^UsageError: --replicas must be a whole number from 0 to 5, got ${bad.replace(".", "\\.")}$`,
                ),
            );
    });

    it("puts each standby in its own directory under the cluster, on its own loopback address", () => {
        assert.deepEqual(localStandbySpec("/var/tmp/c", 1), {
            name: "standby2",
            address: "127.0.0.3",
            root: "/var/tmp/c/standbys/standby2",
        });
    });
});

describe("PgBouncer's read pool", () => {
    const primary = { host: "127.0.0.1", port: 5432 };
    const standbys = [
        { name: "standby1", host: "127.0.0.2", port: 5432 },
        { name: "standby2", host: "127.0.0.3", port: 5432 },
    ];
    const lines = (dbs: ReturnType<typeof poolDatabases>, version = DEBIAN_PGBOUNCER) =>
        renderPgbouncerIni({
            version,
            listenAddr: "127.0.0.1",
            listenPort: 6432,
            unixSocketDir: "",
            databases: dbs,
            authFile: "/u",
            defaultPoolSize: 5,
            maxDbConnections: 10,
            maxClientConn: 100,
            maxPreparedStatements: 0,
            serverTlsCaFile: "/ca",
            clientTlsCertFile: "/c",
            clientTlsKeyFile: "/k",
            statsUsers: [],
        })
            .split("\n")
            .filter((l) => l.startsWith("metacortex"));

    it("is the primary when there is no standby", () => {
        assert.deepEqual(lines(poolDatabases("metacortex", primary, [], DEBIAN_PGBOUNCER)), [
            "metacortex = host=127.0.0.1 port=5432 dbname=metacortex",
            "metacortex_ro = host=127.0.0.1 port=5432 dbname=metacortex",
        ]);
    });

    it("spreads over every standby from PgBouncer 1.25, and is the first standby's before (a host list fails verify-full)", () => {
        assert.equal(readPoolName("metacortex"), "metacortex_ro");
        assert.deepEqual([DEBIAN_PGBOUNCER, { major: 1, minor: 24 }, { major: 1, minor: 25 }].map(spreadsOverHosts), [
            false,
            false,
            true,
        ]);
        const v125 = { major: 1, minor: 25 };
        assert.deepEqual(lines(poolDatabases("metacortex", primary, standbys, v125), v125).slice(1, 2), [
            "metacortex_ro = host=127.0.0.2,127.0.0.3 port=5432 dbname=metacortex",
        ]);
        assert.deepEqual(lines(poolDatabases("metacortex", primary, standbys, DEBIAN_PGBOUNCER)), [
            "metacortex = host=127.0.0.1 port=5432 dbname=metacortex",
            "metacortex_ro = host=127.0.0.2 port=5432 dbname=metacortex",
            "metacortex_standby1 = host=127.0.0.2 port=5432 dbname=metacortex",
            "metacortex_standby2 = host=127.0.0.3 port=5432 dbname=metacortex",
        ]);
    });

    it("refuses standbys on different ports, and names that are not database names", () => {
        assert.throws(
            () => poolDatabases("metacortex", primary, [standbys[0], { ...standbys[1], port: 5433 }], DEBIAN_PGBOUNCER),
            /standbys listen on ports 5432, 5433; PgBouncer takes one port per database entry/,
        );
        assert.throws(
            () => poolDatabases("metacortex", primary, [{ ...standbys[0], name: "Standby-1" }], DEBIAN_PGBOUNCER),
            /standby name Standby-1: lower case letters/,
        );
    });
});
