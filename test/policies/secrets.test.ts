import * as assert from "assert";
import * as secrets from "../../policies/secrets";
import { check } from "./harness";
import {
    configMap,
    HBA,
    instance,
    PGBOUNCER_INI,
    pgbouncerContainer,
    postgresContainer,
    SCRAM,
    TYPES,
} from "./fixtures";

describe("policies: credentials", () => {
    describe(secrets.noTrustAuth.name, () => {
        const p = secrets.noTrustAuth;
        it("passes SCRAM-only pg_hba.conf, initdb args and PgBouncer", async () => {
            assert.deepEqual(await check(p, TYPES.container, postgresContainer()), []);
            assert.deepEqual(await check(p, TYPES.configMap, configMap()), []);
        });
        it("fails on a trust line in pg_hba.conf", async () => {
            const c = postgresContainer();
            c.uploads[0].content = `${HBA}host all all 10.0.0.0/8 trust\n`;
            assert.deepEqual(await check(p, TYPES.container, c), [
                'pg_hba.conf line "host all all 10.0.0.0/8 trust" uses trust.',
            ]);
        });
        it("fails on a cleartext password line", async () => {
            const c = postgresContainer();
            c.uploads[0].content = "hostssl all all 0.0.0.0/0 password\n";
            assert.deepEqual(await check(p, TYPES.container, c), [
                'pg_hba.conf line "hostssl all all 0.0.0.0/0 password" uses password.',
            ]);
        });
        it("fails on POSTGRES_HOST_AUTH_METHOD=trust", async () => {
            const c = postgresContainer();
            c.envs.push("POSTGRES_HOST_AUTH_METHOD=trust");
            assert.deepEqual(await check(p, TYPES.container, c), [
                "POSTGRES_HOST_AUTH_METHOD=trust lets anyone in without a password.",
            ]);
        });
        it("fails on initdb --auth-local=trust", async () => {
            const c = postgresContainer();
            c.envs[2] = "POSTGRES_INITDB_ARGS=--auth-local=trust --auth-host=scram-sha-256";
            assert.deepEqual(await check(p, TYPES.container, c), [
                "POSTGRES_INITDB_ARGS makes initdb write trust authentication.",
            ]);
        });
        it("fails on PgBouncer auth_type any", async () =>
            assert.deepEqual(
                await check(
                    p,
                    TYPES.configMap,
                    configMap(PGBOUNCER_INI.replace("auth_type = scram-sha-256", "auth_type = any")),
                ),
                ["pgbouncer.ini: auth_type is any; scram-sha-256 required."],
            ));
        it("does not apply to resources without authentication settings", async () =>
            assert.equal(await check(p, TYPES.instance, instance()), "n/a"));
    });
    describe(secrets.noPlaintextPasswords.name, () => {
        const p = secrets.noPlaintextPasswords;
        const message = (where: string) =>
            `${where} holds a plaintext password; use a SCRAM verifier, a Secrets Manager ARN or a file under /run/secrets.`;
        it("passes SCRAM verifiers, ARNs, _FILE variables, /run/secrets files and parameter names", async () => {
            assert.deepEqual(await check(p, TYPES.role, { name: "metacortex_app", password: SCRAM }), []);
            assert.deepEqual(await check(p, TYPES.container, postgresContainer()), []);
            assert.deepEqual(await check(p, TYPES.container, pgbouncerContainer()), []);
            assert.deepEqual(
                await check(p, TYPES.instance, {
                    ...instance(),
                    masterUserSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:x",
                }),
                [],
            );
            assert.deepEqual(
                await check(p, TYPES.parameterGroup, {
                    parameters: [{ name: "password_encryption", value: "scram-sha-256" }],
                }),
                [],
            );
        });
        it("fails on a role with a cleartext password", async () =>
            assert.deepEqual(await check(p, TYPES.role, { name: "metacortex_app", password: "hunter2" }), [
                message("password"),
            ]));
        it("fails on an RDS master password", async () =>
            assert.deepEqual(await check(p, TYPES.instance, { ...instance(), password: "hunter2" }), [
                message("password"),
            ]));
        it("fails on POSTGRES_PASSWORD in the environment", async () => {
            const c = postgresContainer();
            c.envs[1] = "POSTGRES_PASSWORD=hunter2";
            assert.deepEqual(await check(p, TYPES.container, c), [message("envs[1] (env POSTGRES_PASSWORD)")]);
        });
        it("fails on a Kubernetes env var with a literal value", async () => {
            const env = [
                { name: "PGPASSWORD", value: "hunter2" },
                { name: "PGUSER", value: "app" },
            ];
            assert.deepEqual(
                await check(p, TYPES.deployment, {
                    spec: { template: { spec: { containers: [{ name: "x", env }] } } },
                }),
                [message("spec.template.spec.containers[0].env[0] (env PGPASSWORD)")],
            );
        });
        it("fails on a userlist with a cleartext password, even inside a Kubernetes Secret", async () => {
            const userlist = `"metacortex_app" "hunter2"\n"metacortex_readonly" "${SCRAM}"\n`;
            assert.deepEqual(await check(p, TYPES.secret, { stringData: { "userlist.txt": userlist } }), [
                message("userlist.txt (user metacortex_app: not a SCRAM verifier)"),
            ]);
        });
        it("fails on password= in a carried config file", async () =>
            assert.deepEqual(
                await check(
                    p,
                    TYPES.configMap,
                    configMap(PGBOUNCER_INI.replace("dbname=metacortex", "dbname=metacortex password=hunter2")),
                ),
                [message("pgbouncer.ini (password= in the file)")],
            ));
        it("exempts the secret stores and the admin provider by type", async () => {
            assert.deepEqual(
                await check(p, TYPES.secretVersion, {
                    secretString: JSON.stringify({ password: "generated" }),
                    password: "generated",
                }),
                [],
            );
            assert.deepEqual(await check(p, TYPES.provider, { password: "from-secrets-manager" }), []);
            assert.deepEqual(await check(p, TYPES.provider, { password: "from-secrets-manager" }, { exempt: [] }), [
                message("password"),
            ]);
        });
    });
});

describe("policies: credentials, key names", () => {
    it("judges the key's last word: clientPasswordAuthType names a method, masterPassword holds one", async () => {
        const { noPlaintextPasswords } = secrets;
        assert.deepEqual(
            await check(noPlaintextPasswords, "aws:rds/proxy:Proxy", {
                auths: [{ clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256" }],
            }),
            [],
        );
        assert.deepEqual(await check(noPlaintextPasswords, "aws:rds/cluster:Cluster", { masterPassword: "hunter2" }), [
            "masterPassword holds a plaintext password; use a SCRAM verifier, a Secrets Manager ARN or a file under /run/secrets.",
        ]);
    });
});
