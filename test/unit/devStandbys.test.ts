/** The dev standby's pure parts: its entrypoint script, the passfile line, and whether a primary has room for it. */
import { strict as assert } from "assert";
import { BASE_BACKUP_MARKER, renderStandbyEntrypoint } from "../../components/docker/support/standbyEntrypoint";
import { passfileLine, upstreamConninfo } from "../../postgres/network/conninfo";
import { MAX_STANDBYS } from "../../postgres/roles/model";
import { postgresSettings, type Setting, standbyCapacityProblem, standbyReplication } from "../../postgres/settings";

const CONNINFO = upstreamConninfo(
    { host: "postgres", port: 5432 },
    { user: "metacortex_replicator", passfile: "/var/lib/postgresql/replication.pgpass", caCert: "/tls/ca.crt" },
);
const INPUT = {
    slot: "standby1",
    conninfo: CONNINFO,
    directories: ["/var/lib/postgresql/tls"],
    installs: [{ from: "/run/secrets/replication.pgpass", to: "/var/lib/postgresql/replication.pgpass", mode: "0600" }],
};

describe("the dev standby's entrypoint script", () => {
    const script = renderStandbyEntrypoint(INPUT);
    const lines = script.split("\n");
    const at = (text: string) => lines.findIndex((l) => (text === "fi" ? l === text : l.includes(text)));

    it("installs its files, then, without a completed base backup only, makes the slot, takes the backup, marks it", () => {
        assert.ok(lines[0] === "#!/bin/sh" && lines.includes("set -eu"));
        const order = [
            "install -d -m 0700 -o postgres -g postgres /var/lib/postgresql/tls",
            "install -m 0600 -o postgres -g postgres /run/secrets/replication.pgpass /var/lib/postgresql/replication.pgpass",
            `if [ ! -f "$PGDATA/${BASE_BACKUP_MARKER}" ]; then`,
            'find "$PGDATA" -mindepth 1 -delete',
            "gosu postgres pg_receivewal --create-slot --if-not-exists --slot=standby1",
            `gosu postgres pg_basebackup --pgdata="$PGDATA" --dbname='${CONNINFO}' --wal-method=stream --slot=standby1`,
            `gosu postgres touch "$PGDATA/standby.signal" "$PGDATA/${BASE_BACKUP_MARKER}"`,
            "fi",
            'exec docker-entrypoint.sh "$@"',
        ].map(at);
        assert.ok(!order.includes(-1), JSON.stringify(order));
        assert.deepEqual(
            order,
            [...order].sort((a, b) => a - b),
        );
    });

    it("carries no password: libpq reads it from the passfile", () => {
        assert.doesNotMatch(script, /password=|PGPASSWORD/i);
        assert.match(script, /--no-password/);
    });

    it("runs the tools from a bin directory and hands over as told (how the real-server test runs it)", () => {
        const own = renderStandbyEntrypoint({
            ...INPUT,
            asServer: "",
            binDir: "/usr/lib/postgresql/15/bin",
            handOver: "exec true",
        });
        assert.ok(own.includes("    /usr/lib/postgresql/15/bin/pg_basebackup --pgdata"));
        assert.ok(own.endsWith("\nexec true\n"));
    });

    it("refuses a slot, a conninfo, a path or a mode the shell would misread", () => {
        for (const [change, message] of [
            [{ slot: "Standby 1" }, /standby slot Standby 1: lower case letters/],
            [{ conninfo: `${CONNINFO} options='-c x'` }, /conninfo has a quote/],
            [{ directories: ["/var/lib/my tls"] }, /\/var\/lib\/my tls would need quoting/],
            [{ installs: [{ from: "/a", to: "/b", mode: "600" }] }, /mode 600 of \/b is not octal/],
        ] as const)
            assert.throws(() => renderStandbyEntrypoint({ ...INPUT, ...change }), message);
    });
});

describe("passfileLine", () => {
    it("matches any host, port and database, escaping : and \\ as libpq reads them", () => {
        assert.equal(passfileLine("metacortex_replicator", "abc"), "*:*:*:metacortex_replicator:abc\n");
        assert.equal(passfileLine("u", "a:b\\c"), "*:*:*:u:a\\:b\\\\c\n");
    });
});

describe("standbyCapacityProblem", () => {
    const dev = postgresSettings({ environment: "dev", instanceClass: "db.t4g.medium", databaseName: "metacortex" });
    const withSetting = (name: string, value: Setting["value"]): Setting[] => [
        ...dev,
        { ...dev[0], name, value, platform: "self-managed" },
    ];

    it(`dev's settings (PostgreSQL's replication defaults) carry ${MAX_STANDBYS} standbys and a base backup`, () => {
        assert.equal(standbyCapacityProblem(dev, MAX_STANDBYS), undefined);
    });

    it("names the setting that falls short", () => {
        assert.equal(
            standbyCapacityProblem(withSetting("max_wal_senders", 6), 5),
            "max_wal_senders is 6; 5 standbys and a base backup's two need 7",
        );
        assert.equal(
            standbyCapacityProblem(withSetting("max_replication_slots", 2), 3),
            "max_replication_slots is 2; 3 standbys need one slot each",
        );
        assert.equal(
            standbyCapacityProblem(withSetting("wal_level", "minimal"), 1),
            "wal_level is minimal; standbys need replica or logical",
        );
        assert.equal(standbyCapacityProblem(withSetting("wal_level", "minimal"), 0), undefined);
    });
});

describe("standbyReplication", () => {
    it("admits the replication role only, from the ranges given", () => {
        assert.deepEqual(standbyReplication(["172.30.57.0/24"]), {
            role: "metacortex_replicator",
            cidrs: ["172.30.57.0/24"],
        });
    });
});
