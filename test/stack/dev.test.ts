import { strict as assert } from "assert";
import { sharedStackRun, type StackRun } from "../harness/stack";

describe("dev stack (Docker) under mocks, from Pulumi.dev.yaml", () => {
    let run: StackRun;
    let container: Record<string, any>;
    const upload = (file: string) => container.uploads.find((u: any) => u.file === file);
    before(async () => {
        run = await sharedStackRun("dev");
        container = run.ofType("docker:index/container:Container").find((c) => c.name.endsWith("-pg-postgres"))!.inputs;
    });

    it("registers no AWS resource", () => {
        assert.deepEqual(
            run.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
            [],
        );
    });

    it("pulls the pinned postgres:15.18 image", () => {
        assert.equal(
            run.ofType("docker:index/remoteImage:RemoteImage").find((i) => i.name.endsWith("-pg-image"))!.inputs.name,
            "postgres:15.18-bookworm",
        );
    });

    it("keeps data on a named volume", () => {
        const volume = run.one("docker:index/volume:Volume");
        assert.deepEqual(container.volumes, [
            { volumeName: `${volume.name}-0a1b2c`, containerPath: "/var/lib/postgresql/data" },
        ]);
    });

    it("publishes the port on 127.0.0.1 only", () => {
        assert.deepEqual(container.ports, [{ internal: 5432, external: 5432, ip: "127.0.0.1", protocol: "tcp" }]);
    });

    it("boots with SSL on, the generated certificate, and hostssl + scram only", () => {
        const conf: string = upload("/etc/postgresql/postgresql.conf").content;
        assert.match(conf, /^ssl = on$/m);
        assert.match(conf, /^ssl_min_protocol_version = 'TLSv1\.2'$/m);
        assert.match(conf, /^password_encryption = 'scram-sha-256'$/m);
        assert.match(conf, /^ssl_key_file = '\/var\/lib\/postgresql\/tls\/server\.key'$/m);
        assert.doesNotMatch(conf, /rds\./, "RDS-only parameters never reach a real server");
        const hba: string = upload("/etc/postgresql/pg_hba.conf").content;
        const rules = hba.split("\n").filter((l) => l && !l.startsWith("#"));
        assert.deepEqual(
            rules.map((l) => l.split(/\s+/)),
            [
                ["local", "all", "all", "scram-sha-256"],
                ["hostssl", "all", "all", "172.30.57.0/24", "scram-sha-256"],
                ["hostnossl", "all", "all", "all", "reject"],
            ],
        );
        assert.equal(upload("/etc/postgresql/tls/server.key").permissions, "600");
        assert.match(upload("/etc/postgresql/tls/server.crt").content, /BEGIN CERTIFICATE/);
    });

    it("initialises with SCRAM and reads the admin password from a file, not the environment", () => {
        assert.ok(
            container.envs.includes(
                "POSTGRES_INITDB_ARGS=--auth-local=scram-sha-256 --auth-host=scram-sha-256 --data-checksums",
            ),
        );
        assert.ok(container.envs.includes("POSTGRES_PASSWORD_FILE=/run/secrets/postgres-password"));
        assert.equal(
            container.envs.some((e: string) => e.startsWith("POSTGRES_PASSWORD=")),
            false,
        );
        assert.equal(upload("/run/secrets/postgres-password").permissions, "600");
        assert.ok(
            run
                .ofType("docker:index/container:Container")
                .find((c) => c.name.endsWith("-pg-postgres"))!
                .secretPaths.includes("uploads"),
            "uploads carrying the password stay secret in state",
        );
    });

    it("limits memory to the class it is sized as (db.t4g.medium, 4 GiB)", () => {
        assert.equal(container.memory, 4096);
        const conf: string = upload("/etc/postgresql/postgresql.conf").content;
        assert.match(conf, /^shared_buffers = 131072 {2}# restart$/m, "25% of 4 GiB in 8 kB pages");
    });

    it("exports the same shape as prod, with the admin password as a secret", () => {
        assert.equal(run.outputs.endpoint, "127.0.0.1");
        assert.equal(run.outputs.port, 5432);
        assert.equal(run.outputs.databaseName, "metacortex");
        assert.deepEqual(Object.keys(run.outputs.caCertificate as object), ["identifier", "bundle"]);
        assert.deepEqual(run.outputs.adminSecret, { kind: "pulumi-secret-output", ref: "adminPassword" });
        assert.deepEqual(run.secretOutputs, ["adminPassword", "roleCredentials"]);
    });
});
