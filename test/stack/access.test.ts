/** Roles, grants and default privileges from the role model, registered through @pulumi/postgresql in both stacks. */
import { strict as assert } from "assert";
import { loginRoles, roleModel } from "../../postgres/roles/model";
import { MOCK_PASSWORD, sharedStackRun, type StackRun } from "../harness/stack";

const T = {
    provider: "pulumi:providers:postgresql",
    role: "postgresql:index/role:Role",
    grant: "postgresql:index/grant:Grant",
    defaults: "postgresql:index/defaultPrivileges:DefaultPrivileges",
    schema: "postgresql:index/schema:Schema",
    extension: "postgresql:index/extension:Extension",
};

for (const stack of ["dev", "prod"] as const) {
    describe(`${stack} stack: database access from the role model`, () => {
        let run: StackRun;
        const model = roleModel("metacortex", stack === "prod" ? "db.r6g.large" : "db.t4g.medium");
        before(async () => {
            run = await sharedStackRun(stack);
        });

        it("connects the postgresql provider with sslmode=verify-full against the CA bundle", () => {
            const provider = run.one(T.provider).inputs;
            assert.equal(provider.sslmode, "verify-full");
            assert.equal(provider.superuser, stack === "prod" ? "false" : "true", "RDS's master is not a superuser");
            if (stack === "prod") {
                assert.match(provider.sslrootcert, /rds-bundle\.pem$/, "the RDS CA bundle file (config adminCaPath)");
                assert.equal(provider.host, "metacortex-prod.abcdefghijkl.eu-west-1.rds.amazonaws.com");
                assert.equal(
                    provider.password,
                    "mock-master-password-0000",
                    "the master password comes from the RDS-managed secret",
                );
            } else {
                assert.match(provider.sslrootcert, /dev-ca\.pem$/);
                assert.equal(provider.host, "127.0.0.1");
            }
        });

        it("registers every role of the model with its attributes, timeouts and memberships", () => {
            const roles = new Map(run.ofType(T.role).map((r) => [r.inputs.name, r]));
            assert.deepEqual([...roles.keys()].sort(), model.roles.map((r) => r.name).sort());
            for (const spec of model.roles) {
                const r = roles.get(spec.name)!.inputs;
                assert.deepEqual(
                    [
                        r.login,
                        r.connectionLimit,
                        r.superuser,
                        r.bypassRowLevelSecurity,
                        r.createRole,
                        r.roles ?? [],
                        r.statementTimeout,
                        r.assumeRole,
                    ],
                    [
                        spec.login,
                        spec.connectionLimit,
                        false,
                        false,
                        false,
                        [...spec.memberOf],
                        spec.settings.statementTimeoutMs,
                        spec.settings.assumeRole,
                    ],
                    spec.name,
                );
            }
        });

        it("sends login passwords as SCRAM verifiers, kept secret in state", () => {
            for (const spec of loginRoles(model)) {
                const role = run.ofType(T.role).find((r) => r.inputs.name === spec.name)!;
                assert.match(
                    role.inputs.password,
                    /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/,
                    spec.name,
                );
                assert.ok(role.secretPaths.includes("password"), `${spec.name}: password is a secret`);
            }
        });

        it("registers every schema, extension, grant and default privilege of the model, and revokes PUBLIC", () => {
            assert.deepEqual(
                run
                    .ofType(T.schema)
                    .map((s) => [s.inputs.name, s.inputs.owner])
                    .sort(),
                model.schemas.map((s) => [s.name, s.owner]).sort(),
            );
            assert.deepEqual(
                run
                    .ofType(T.extension)
                    .map((e) => e.inputs.name)
                    .sort(),
                model.extensions.map((e) => e.name).sort(),
            );
            const grants = run.ofType(T.grant).map((g) => g.inputs);
            for (const g of model.grants) {
                assert.ok(
                    grants.some(
                        (x) =>
                            x.role === g.role &&
                            x.objectType === g.objectType &&
                            (x.schema ?? undefined) === g.schema &&
                            JSON.stringify(x.privileges) === JSON.stringify(g.privileges),
                    ),
                    JSON.stringify(g),
                );
            }
            assert.ok(
                grants.some((x) => x.role === "public" && x.objectType === "database" && x.privileges.length === 0),
                "PUBLIC revoked on the database",
            );
            assert.ok(
                grants.some(
                    (x) =>
                        x.role === "public" &&
                        x.objectType === "schema" &&
                        x.schema === "public" &&
                        x.privileges.length === 0,
                ),
                "PUBLIC revoked on schema public",
            );
            for (const other of ["postgres", "template1"])
                assert.ok(
                    grants.some(
                        (x) =>
                            x.database === other &&
                            x.role === "public" &&
                            x.objectType === "database" &&
                            x.privileges.length === 0,
                    ),
                    `PUBLIC revoked on ${other}`,
                );
            assert.equal(grants.length, model.grants.length + 2 + model.closedDatabases.length);
            const defaults = run.ofType(T.defaults).map((d) => d.inputs);
            assert.equal(defaults.length, model.defaultPrivileges.length);
            for (const d of model.defaultPrivileges) {
                assert.ok(
                    defaults.some(
                        (x) =>
                            x.owner === d.owner &&
                            x.role === d.role &&
                            x.objectType === d.objectType &&
                            (x.schema ?? undefined) === d.schema &&
                            JSON.stringify(x.privileges) === JSON.stringify(d.privileges),
                    ),
                    JSON.stringify(d),
                );
            }
        });

        it("puts no password in a plain stack output", () => {
            for (const [key, value] of Object.entries(run.outputs)) {
                if (run.secretOutputs.includes(key)) continue;
                const text = JSON.stringify(value) ?? "";
                assert.ok(
                    !text.includes(MOCK_PASSWORD) && !text.includes("mock-master-password"),
                    `output ${key} carries a password`,
                );
            }
            if (stack === "dev")
                assert.ok(run.secretOutputs.includes("roleCredentials"), "dev role credentials are a secret output");
        });

        if (stack === "prod") {
            it("stores each login role's credentials in Secrets Manager, encrypted with the CMK", () => {
                const secrets = run.ofType("aws:secretsmanager/secret:Secret");
                assert.deepEqual(
                    secrets.map((s) => s.inputs.name).sort(),
                    loginRoles(model)
                        .map((r) => `metacortex-prod/db/${r.key}`)
                        .sort(),
                );
                for (const s of secrets) assert.equal(s.inputs.kmsKeyId, run.outputs.kmsKeyArn);
                const versions = run.ofType("aws:secretsmanager/secretVersion:SecretVersion");
                assert.equal(versions.length, secrets.length);
                for (const v of versions) {
                    assert.ok(v.secretPaths.includes("secretString"));
                    assert.deepEqual(Object.keys(JSON.parse(v.inputs.secretString)), [
                        "engine",
                        "host",
                        "port",
                        "dbname",
                        "username",
                        "password",
                    ]);
                }
                assert.deepEqual(
                    Object.keys(run.outputs.roleSecretArns as object).sort(),
                    loginRoles(model)
                        .map((r) => r.key)
                        .sort(),
                );
            });
        }
    });
}
