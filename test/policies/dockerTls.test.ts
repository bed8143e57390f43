/**
 * docker-postgres-tls: the pure parsers, the policy on one container (each test changes one thing of the fixture), the
 * policy under the policy SDK's own preview proxy (unknown values), and the pack on the dev stacks with broken variants
 * of the primary and the standby, each caught by this policy (and by no-trust-auth too for a trust line, no other).
 */
import * as assert from "assert";
import * as docker from "../../policies/docker";
import { confSetting } from "../../policies/lib";
import { policies } from "../../policies/policies";
import * as secrets from "../../policies/secrets";
import { renderPgHba, standbyReplication } from "../../postgres/settings/render";
import { runPolicies } from "../../scripts/lib/stack/policyRun";
import { sharedStackRun, type StackRun } from "../harness/stack";
import { HBA, POSTGRESQL_CONF, pgbouncerContainer, postgresContainer, TYPES } from "./fixtures";
import { check, configOf, variant, violated } from "./harness";

const p = docker.dockerPostgresTls;
const CONF = "/etc/postgresql/postgresql.conf";
const HBA_FILE = "/etc/postgresql/pg_hba.conf";

/** The fixture with the content of the upload at `file` replaced by `edit` of it. */
function edited(file: string, edit: (text: string) => string): Record<string, any> {
    const c = postgresContainer();
    const upload = c.uploads.find((u: any) => u.file === file);
    upload.content = edit(upload.content);
    return c;
}

describe("policies: docker-postgres-tls", () => {
    describe("parsers", () => {
        it("reads -c and --name settings of a postgres command line, dashes as underscores", () =>
            assert.deepEqual(
                [...docker.commandSettings(["-c", "ssl=off", "-cport=5433", "--hba-file=/x/pg_hba.conf", "-D", "/d"])],
                [
                    ["ssl", "off"],
                    ["port", "5433"],
                    ["hba_file", "/x/pg_hba.conf"],
                ],
            ));
        it("reads a postgresql.conf as PostgreSQL does: last value wins, quotes and comments, include directives", () => {
            const { settings, includes } = docker.confSettings(
                "ssl = on\nSSL off  # later\nhba_file = '/etc/it''s/pg_hba.conf'\n# ssl = on\ninclude_dir 'conf.d'\n",
            );
            assert.equal(settings.get("ssl"), "off");
            assert.equal(settings.get("hba_file"), "/etc/it's/pg_hba.conf");
            assert.deepEqual(includes, ["include_dir 'conf.d'"]);
        });
        it("finds nothing in the pg_hba.conf the renderer writes, with or without the socket and replication", () => {
            for (const input of [
                { allowedCidrs: ["172.30.57.0/24"] },
                { allowedCidrs: ["127.0.0.1/32"], localSocket: false },
                { allowedCidrs: ["172.30.57.0/24"], replication: standbyReplication(["172.30.57.0/24"]) },
            ])
                assert.deepEqual(docker.hbaTlsFindings(HBA_FILE, renderPgHba(input)), [], JSON.stringify(input));
        });
        it("reads the method past a netmask and name=value options", () =>
            assert.deepEqual(
                docker.hbaTlsFindings(
                    "hba",
                    "host all all 10.0.0.0 255.0.0.0 reject\nhostssl all all all trust map=x\n",
                ),
                ['hba: "hostssl all all all trust map=x" uses trust; every connection authenticates (scram-sha-256).'],
            ));
    });

    describe("one container", () => {
        it("passes the fixture and does not apply to PgBouncer", async () => {
            assert.deepEqual(await check(p, TYPES.container, postgresContainer()), []);
            assert.equal(await check(p, TYPES.container, pgbouncerContainer()), "n/a");
        });
        const FAILS: [string, () => Record<string, any>, string[]][] = [
            [
                "ssl off in the file",
                () => edited(CONF, (t) => t.replace("ssl = on", "ssl = off")),
                [`ssl is off in ${CONF}; ssl = on required.`],
            ],
            [
                "ssl turned off by a later line",
                () => edited(CONF, (t) => `${t}ssl = false\n`),
                [`ssl is false in ${CONF}; ssl = on required.`],
            ],
            [
                "ssl off on the command line, which overrides the file",
                () => ({ ...postgresContainer(), command: [...postgresContainer().command, "-c", "ssl=off"] }),
                ["ssl is off on the command line; ssl = on required."],
            ],
            [
                "no ssl_key_file",
                () => edited(CONF, (t) => t.replace(/^ssl_key_file.*\n/m, "")),
                [`ssl_key_file is unset in ${CONF}; point it at the uploaded certificate files.`],
            ],
            [
                "a host line with SCRAM",
                () => edited(HBA_FILE, (t) => `${t}host all all 10.0.0.0/8 scram-sha-256\n`),
                [
                    `${HBA_FILE}: "host all all 10.0.0.0/8 scram-sha-256" admits TCP connections without TLS; hostssl only (host may only reject).`,
                ],
            ],
            [
                "trust on the socket",
                () => edited(HBA_FILE, (t) => t.replace("local all all scram-sha-256", "local all all trust")),
                [`${HBA_FILE}: "local all all trust" uses trust; every connection authenticates (scram-sha-256).`],
            ],
            [
                "a config from a volume (config_file not uploaded)",
                () => ({ ...postgresContainer(), command: ["postgres", "-c", "config_file=/config/postgresql.conf"] }),
                [
                    "config_file /config/postgresql.conf is not among the uploads (a volume, the image or a host file the policy cannot see); upload the rendered postgresql.conf.",
                ],
            ],
            [
                "the image's own config (no command, recognised by its environment alone)",
                () => ({ ...postgresContainer(), command: undefined, uploads: [] }),
                [
                    "runs PostgreSQL without -c config_file=...: it reads a postgresql.conf in its data directory, which the policy cannot see; upload the rendered one and point config_file at it.",
                ],
            ],
            [
                "a container that names a postgres image and nothing else",
                () => ({ image: "postgres:15.18-bookworm" }),
                [
                    "runs PostgreSQL without -c config_file=...: it reads a postgresql.conf in its data directory, which the policy cannot see; upload the rendered one and point config_file at it.",
                ],
            ],
            [
                "a wrapper in place of postgres",
                () => ({ ...postgresContainer(), command: ["sh", "-c", "postgres -c ssl=off"] }),
                ["runs sh in place of postgres; the policy cannot tell which configuration it uses."],
            ],
            [
                "no hba_file (initdb's pg_hba.conf in the data directory)",
                () => edited(CONF, (t) => t.replace(/^hba_file.*\n/m, "")),
                [
                    `hba_file is unset in ${CONF}: PostgreSQL reads initdb's pg_hba.conf in the data directory, which the policy cannot see; point it at the uploaded pg_hba.conf.`,
                ],
            ],
            [
                "an include in the postgresql.conf",
                () => edited(CONF, (t) => `${t}include_if_exists '/config/extra.conf'\n`),
                [`${CONF}: include_if_exists '/config/extra.conf' pulls in settings the policy cannot see.`],
            ],
        ];
        for (const [title, props, expected] of FAILS)
            it(`fails on ${title}`, async () => assert.deepEqual(await check(p, TYPES.container, props()), expected));
    });

    describe("at preview (the policy SDK's unknown-checking proxy, as its server wraps every resource)", () => {
        const sdk = require("@pulumi/policy/proxy") as {
            unknownCheckingProxy<T extends object>(props: T): T;
            unknownStringValue: string;
            unknownArrayValue: string;
            UnknownValueError: new (...args: unknown[]) => Error;
        };
        const withUnknown = (props: Record<string, any>, file: string) => {
            props.uploads.find((u: any) => u.file === file).content = sdk.unknownStringValue;
            return sdk.unknownCheckingProxy(props);
        };
        it("judges the config while the TLS key is still unknown: it reads no other upload", async () => {
            const props = withUnknown(postgresContainer(), "/etc/postgresql/tls/server.key");
            assert.deepEqual(await check(p, TYPES.container, props), []);
            const broken = withUnknown(
                edited(CONF, (t) => t.replace("ssl = on", "ssl = off")),
                "/etc/postgresql/tls/server.key",
            );
            assert.deepEqual(await check(p, TYPES.container, broken), [`ssl is off in ${CONF}; ssl = on required.`]);
        });
        it("lets an unknown postgresql.conf through as the SDK's error, which the engine reports as not run, never a pass", async () =>
            await assert.rejects(
                check(p, TYPES.container, withUnknown(postgresContainer(), CONF)),
                (e: Error) =>
                    e instanceof sdk.UnknownValueError &&
                    /uploads\.1\.content can't be known during preview/.test(e.message),
            ));
        it("no-trust-auth and pool-within-budget's reading of the conf also judge with the key unknown", async () => {
            const props = withUnknown(
                edited(HBA_FILE, (t) => t.replace("local all all scram-sha-256", "local all all trust")),
                "/etc/postgresql/tls/server.key",
            );
            assert.deepEqual(await check(secrets.noTrustAuth, TYPES.container, props), [
                'pg_hba.conf line "local all all trust" uses trust.',
            ]);
            assert.equal(confSetting(props, "max_connections"), "100");
        });
        it("tells PgBouncer apart even when its whole upload list is unknown", async () => {
            const props = sdk.unknownCheckingProxy({ ...pgbouncerContainer(), uploads: sdk.unknownArrayValue });
            assert.equal(await check(p, TYPES.container, props), "n/a");
        });
    });
});

describe("docker-postgres-tls on the dev stacks", function () {
    this.timeout(60_000);
    let dev: StackRun;
    let replicas: StackRun;
    before(async () => {
        dev = await sharedStackRun("dev");
        replicas = await sharedStackRun("dev-replicas");
    });
    const PRIMARY = "metacortex-dev-docker-pg-postgres";
    const STANDBY = "metacortex-dev-standby1-postgres";
    const judged = async (run: StackRun, stack: string) =>
        (await runPolicies(policies, run.resources, configOf(stack), stack)).findings.filter(
            (f) => f.policy === p.name,
        );

    it("passes on dev: the primary is judged, PgBouncer is not a PostgreSQL container", async () =>
        assert.deepEqual(
            (await judged(dev, "dev")).map((f) => [f.resource, f.result, f.enforcementLevel]),
            [[PRIMARY, "pass", "mandatory"]],
        ));
    it("passes on dev-replicas: the primary and the standby are judged", async () =>
        assert.deepEqual(
            (await judged(replicas, "dev-replicas")).map((f) => [f.resource, f.result]),
            [
                [PRIMARY, "pass"],
                [STANDBY, "pass"],
            ],
        ));

    const conf =
        (change: (text: string) => string, file = CONF) =>
        (c: Record<string, any>) => {
            const upload = c.uploads.find((u: any) => u.file === file);
            upload.content = change(upload.content);
        };
    const VARIANTS: [string, (c: Record<string, any>) => void, string, string[], RegExp][] = [
        ["the primary with ssl off", conf((t) => t.replace(/^ssl = on$/m, "ssl = off")), PRIMARY, [], /^ssl is off/],
        ["the standby with ssl off", conf((t) => t.replace(/^ssl = on$/m, "ssl = off")), STANDBY, [], /^ssl is off/],
        [
            "the standby with ssl off on its command line",
            (c) => c.command.push("-c", "ssl=off"),
            STANDBY,
            [],
            /^ssl is off on the command line/,
        ],
        [
            "a host ... scram-sha-256 line on the primary",
            conf((t) => `${t}host all all 172.30.57.0/24 scram-sha-256\n`, HBA_FILE),
            PRIMARY,
            [],
            /admits TCP connections without TLS/,
        ],
        [
            "a trust line on the standby",
            conf((t) => t.replace(/^(hostssl\s+all\s+all\s+\S+\s+)scram-sha-256$/m, "$1trust"), HBA_FILE),
            STANDBY,
            ["no-trust-auth"],
            /uses trust/,
        ],
    ];
    for (const [title, change, container, alsoFiring, message] of VARIANTS)
        it(`catches ${title}${alsoFiring.length ? ` (with ${alsoFiring.join(", ")})` : ""}`, async () => {
            const broken = variant(replicas, TYPES.container, change, false, container);
            const report = await runPolicies(policies, broken, configOf("dev-replicas"), "dev-replicas");
            assert.deepEqual(violated(report), [p.name, ...alsoFiring].sort());
            const caught = report.findings.filter((f) => f.result === "violation");
            assert.ok(
                caught.every((f) => f.resource === container),
                caught.map((f) => f.resource).join(", "),
            );
            assert.match(caught.find((f) => f.policy === p.name)!.message, message);
        });

    it("the fixture's files are the renderer's shape: the TLS lines the dev conf carries", () => {
        const uploaded = replicas.ofType(TYPES.container).find((r) => r.name === PRIMARY)!.inputs.uploads;
        const text = (file: string) => uploaded.find((u: any) => u.file === file).content as string;
        for (const line of POSTGRESQL_CONF.split("\n").filter((l) => /^(ssl|hba_file)/.test(l)))
            assert.ok(text(CONF).includes(line), line);
        for (const line of HBA.split("\n").filter((l) => /^(local|hostnossl)/.test(l)))
            assert.match(text(HBA_FILE), new RegExp(`^${line.split(" ").join("\\s+")}$`, "m"), line);
    });
});
