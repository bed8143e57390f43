/**
 * dev's read replicas under mocks: the standby containers (Pulumi.dev-replicas.yaml, and dev with other counts), the
 * replication role, the primary's pg_hba line for it, PgBouncer's read database over them, and the outputs.
 */
import { strict as assert } from "assert";
import { REPLICATION_ROLE } from "../../postgres/roles/model";
import { failStack, MOCK_PASSWORD, type Recorded, runStack, type StackRun, sharedStackRun } from "../harness/stack";

const CONTAINER = "docker:index/container:Container";
const PGBOUNCER_125 = "ghcr.io/cloudnative-pg/pgbouncer:1.25.1";

const upload = (c: Recorded, file: string) => c.inputs.uploads.find((u: any) => u.file === file);
const hbaRules = (hba: string) =>
    hba
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => l.split(/\s+/));
const standbyContainers = (run: StackRun) => run.ofType(CONTAINER).filter((c) => /-standby\d+-postgres$/.test(c.name));
const primary = (run: StackRun) => run.ofType(CONTAINER).find((c) => c.name.endsWith("-pg-postgres"))!;
const iniOf = (run: StackRun) =>
    upload(run.ofType(CONTAINER).find((c) => c.name.endsWith("-pgbouncer-pgbouncer"))!, "/etc/pgbouncer/pgbouncer.ini")
        .content as string;
const databaseLine = (ini: string, name: string) => ini.split("\n").find((l) => l.startsWith(`${name} = `));

describe("dev read replicas under mocks, from Pulumi.dev-replicas.yaml", () => {
    let run: StackRun;
    let standby: Recorded;
    before(async () => {
        run = await sharedStackRun("dev-replicas");
        [standby] = standbyContainers(run);
    });

    it("runs one standby container: the primary's pinned image, on its network, with no published port", () => {
        assert.deepEqual(
            standbyContainers(run).map((c) => c.name),
            ["metacortex-dev-standby1-postgres"],
        );
        const images = run.ofType("docker:index/remoteImage:RemoteImage");
        assert.equal(
            images.find((i) => i.name === "metacortex-dev-standby1-image")!.inputs.name,
            "postgres:15.18-bookworm",
        );
        const network = run.one("docker:index/network:Network");
        assert.deepEqual(standby.inputs.networksAdvanced, [
            { name: `${network.name}-0a1b2c`, aliases: ["postgres-standby1"] },
        ]);
        assert.equal(standby.inputs.ports, undefined, "reached through PgBouncer only, never from the host");
        assert.deepEqual(standby.inputs.volumes, [
            { volumeName: "metacortex-dev-standby1-data-0a1b2c", containerPath: "/var/lib/postgresql/data" },
        ]);
        assert.equal(standby.inputs.memory, 4096, "sized as the replica class, db.t4g.medium");
    });

    it("starts through its entrypoint: a base backup over TLS as the replication role through its slot, then postgres", () => {
        assert.deepEqual(standby.inputs.entrypoints, ["/usr/local/bin/metacortex-standby.sh"]);
        assert.deepEqual(standby.inputs.command, ["postgres", "-c", "config_file=/etc/postgresql/postgresql.conf"]);
        const script = upload(standby, "/usr/local/bin/metacortex-standby.sh");
        assert.equal(script.permissions, "755");
        const conninfo =
            "host=postgres port=5432 user=metacortex_replicator passfile=/var/lib/postgresql/replication.pgpass " +
            "sslmode=verify-full sslrootcert=/var/lib/postgresql/tls/ca.crt application_name=standby1_basebackup";
        assert.ok(
            script.content.includes(
                `gosu postgres pg_basebackup --pgdata="$PGDATA" --dbname='${conninfo}' --wal-method=stream --slot=standby1`,
            ),
        );
        assert.ok(script.content.includes("pg_receivewal --create-slot --if-not-exists --slot=standby1"));
        assert.match(script.content, /\nexec docker-entrypoint\.sh "\$@"\n$/);
    });

    it("streams with the replica settings from the settings source, its password only in a passfile", () => {
        const conf: string = upload(standby, "/etc/postgresql/postgresql.conf").content;
        for (const line of [
            "hot_standby_feedback = on",
            "max_standby_streaming_delay = 30000",
            "primary_slot_name = 'standby1'",
            "ssl = on",
            "max_connections = 100  # restart",
        ])
            assert.ok(conf.split("\n").includes(line), line);
        assert.match(
            conf,
            /^primary_conninfo = 'host=postgres port=5432 user=metacortex_replicator passfile=\/var\/lib\/postgresql\/replication\.pgpass sslmode=verify-full sslrootcert=\/var\/lib\/postgresql\/tls\/ca\.crt application_name=standby1'$/m,
        );
        assert.doesNotMatch(conf, /password\s*=/);
        assert.equal(standby.inputs.envs, undefined, "no environment at all, so no password in it");
        const passfile = upload(standby, "/run/secrets/replication.pgpass");
        assert.equal(passfile.permissions, "600");
        // The role's generated password (the mocks' stand-in), in the form libpq reads.
        assert.equal(passfile.content, `*:*:*:metacortex_replicator:${MOCK_PASSWORD}\n`);
        assert.ok(standby.secretPaths.includes("uploads"), "the uploads carrying the passfile stay secret in state");
        assert.equal(upload(standby, "/etc/postgresql/tls/server.key").permissions, "600");
    });

    it("creates the replication role: REPLICATION and LOGIN only, a SCRAM verifier, the model's connection limit", () => {
        const role = run.ofType("postgresql:index/role:Role").find((r) => r.name.endsWith("-role-replicator"))!;
        assert.deepEqual(
            {
                name: role.inputs.name,
                login: role.inputs.login,
                replication: role.inputs.replication,
                superuser: role.inputs.superuser,
                inherit: role.inputs.inherit,
                roles: role.inputs.roles,
                connectionLimit: role.inputs.connectionLimit,
            },
            {
                name: "metacortex_replicator",
                login: true,
                replication: true,
                superuser: false,
                inherit: false,
                roles: [],
                connectionLimit: REPLICATION_ROLE.connectionLimit,
            },
        );
        assert.match(role.inputs.password, /^SCRAM-SHA-256\$4096:/);
        assert.ok(role.secretPaths.includes("password"));
        const others = run.ofType("postgresql:index/role:Role").filter((r) => r !== role);
        assert.deepEqual(
            others.filter((r) => r.inputs.replication !== false).map((r) => r.name),
            [],
            "no other role may replicate",
        );
    });

    it("admits replication in the primary's pg_hba from the dev subnet only, over TLS with SCRAM", () => {
        const rules = hbaRules(upload(primary(run), "/etc/postgresql/pg_hba.conf").content);
        assert.deepEqual(
            rules.filter((r) => r[1] === "replication"),
            [["hostssl", "replication", "metacortex_replicator", "172.30.57.0/24", "scram-sha-256"]],
        );
        const csr = run.ofType("tls:index/certRequest:CertRequest")[0];
        assert.ok(csr.inputs.dnsNames.includes("postgres-standby1"), "PgBouncer verifies the standby by its name");
    });

    it("points PgBouncer's read database at the standby, with its own budget; the write database keeps the primary's", () => {
        const ini = iniOf(run);
        assert.equal(
            databaseLine(ini, "metacortex"),
            "metacortex = host=postgres port=5432 dbname=metacortex max_db_connections=87",
        );
        assert.equal(
            databaseLine(ini, "metacortex_ro"),
            "metacortex_ro = host=postgres-standby1 port=5432 dbname=metacortex pool_size=69 max_db_connections=87",
        );
    });

    it("exports the read-only URL, the reader hosts and the standbys, as prod does", () => {
        assert.equal(
            run.outputs.readOnlyUrl,
            "postgresql://metacortex_app@127.0.0.1:6432/metacortex_ro?sslmode=verify-full",
        );
        assert.equal(run.outputs.readerEndpoint, "postgres-standby1");
        assert.deepEqual(run.outputs.readReplicaIdentifiers, ["metacortex-dev-standby1-postgres-0a1b2c"]);
        assert.ok(!run.secretOutputs.includes("readOnlyUrl"), "no password in it, so not a secret");
    });
});

describe("dev read replicas by count under mocks", function () {
    this.timeout(60_000);

    it("0 (Pulumi.dev.yaml): no standby, no replication role or line, the read database on the primary", async () => {
        const run = await sharedStackRun("dev");
        assert.deepEqual(standbyContainers(run), []);
        assert.ok(!run.ofType("postgresql:index/role:Role").some((r) => r.inputs.name === "metacortex_replicator"));
        const rules = hbaRules(upload(primary(run), "/etc/postgresql/pg_hba.conf").content);
        assert.deepEqual(
            rules.filter((r) => r[1] === "replication"),
            [],
        );
        assert.equal(
            databaseLine(iniOf(run), "metacortex_ro"),
            "metacortex_ro = host=postgres port=5432 dbname=metacortex pool_size=17 max_db_connections=17",
        );
        assert.equal(run.outputs.readerEndpoint, "postgres");
        assert.equal(
            run.outputs.readOnlyUrl,
            "postgresql://metacortex_app@127.0.0.1:6432/metacortex_ro?sslmode=verify-full",
        );
        assert.equal(run.outputs.readReplicaIdentifiers, undefined);
    });

    it("2 with PgBouncer 1.25: both standbys, each with its slot, the read database over both hosts", async () => {
        const run = await runStack("dev", { readReplicas: "2", pgbouncerImage: PGBOUNCER_125 });
        const standbys = standbyContainers(run);
        assert.deepEqual(
            standbys.map((c) => c.inputs.networksAdvanced[0].aliases[0]),
            ["postgres-standby1", "postgres-standby2"],
        );
        assert.match(
            upload(standbys[1], "/etc/postgresql/postgresql.conf").content,
            /^primary_slot_name = 'standby2'$/m,
        );
        assert.equal(
            databaseLine(iniOf(run), "metacortex_ro"),
            "metacortex_ro = host=postgres-standby1,postgres-standby2 port=5432 dbname=metacortex pool_size=139 max_db_connections=174",
        );
        assert.equal(run.outputs.readerEndpoint, "postgres-standby1,postgres-standby2");
    });

    it("2 with PgBouncer 1.23: both standbys stream, the read database reads from the first (one host per database)", async () => {
        const run = await runStack("dev", { readReplicas: "2" });
        assert.equal(standbyContainers(run).length, 2);
        assert.equal(
            databaseLine(iniOf(run), "metacortex_ro"),
            "metacortex_ro = host=postgres-standby1 port=5432 dbname=metacortex pool_size=69 max_db_connections=87",
        );
    });

    it("refuses 6 standbys before any resource", async () => {
        const { error, registered } = await failStack("dev", { readReplicas: "6" });
        assert.match(error.message, /readReplicas = "6": a whole number from 0 to 5 replicas/);
        assert.equal(registered, 0);
    });

    it("without PgBouncer: the standby still streams, and the read-only URL goes straight to it on the dev network", async () => {
        const run = await runStack("dev", { readReplicas: "1", pooler: "none" });
        assert.equal(standbyContainers(run).length, 1);
        assert.equal(
            run.outputs.readOnlyUrl,
            "postgresql://metacortex_app@postgres-standby1:5432/metacortex?sslmode=verify-full",
        );
    });

    it("without managed roles (infrastructure only): no replication role, so no standby, no replication line", async () => {
        const run = await runStack("dev", { readReplicas: "1", manageRoles: "false" });
        assert.deepEqual(standbyContainers(run), []);
        const rules = hbaRules(upload(primary(run), "/etc/postgresql/pg_hba.conf").content);
        assert.deepEqual(
            rules.filter((r) => r[1] === "replication"),
            [],
        );
    });
});
