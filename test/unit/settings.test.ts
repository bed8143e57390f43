import { strict as assert } from "assert";
import { INSTANCE_CLASSES, instanceClass } from "../../postgres/instanceClasses";
import { EXTENSIONS, preloadLibraries } from "../../postgres/extensions";
import {
    postgresSettings,
    RDS_NOT_MODIFIABLE,
    renderPgHba,
    renderPostgresqlConf,
    renderRdsParameters,
    serverSettings,
    type Setting,
    sizeFor,
    SLOW_STATEMENT_MS,
} from "../../postgres/settings";

const server = {
    listenAddresses: "127.0.0.1",
    port: 5432,
    hbaFile: "/x/pg_hba.conf",
    sslCertFile: "/x/s.crt",
    sslKeyFile: "/x/s.key",
    sslCaFile: "/x/ca.crt",
    unixSocketDirectories: "/x/run",
    logDirectory: "log",
};
const settingsFor = (environment: "dev" | "prod", cls: string) =>
    postgresSettings({ environment, instanceClass: cls, databaseName: "metacortex" });
const value = (settings: Setting[], name: string) => settings.find((s) => s.name === name)?.value;

describe("settings source", () => {
    describe("sizing per instance class", () => {
        // class: [shared_buffers 8kB pages, effective_cache_size pages, work_mem kB, maintenance_work_mem kB, max_connections, budget, av workers]
        const expected: Record<string, number[]> = {
            "db.t4g.micro": [32768, 98304, 4096, 65536, 100, 87, 3],
            "db.t4g.medium": [131072, 393216, 10240, 262144, 100, 87, 3],
            "db.r6g.large": [524288, 1572864, 10240, 1048576, 400, 387, 3],
            "db.r6g.2xlarge": [2097152, 6291456, 10240, 2097152, 1600, 1587, 4],
            "db.m6g.8xlarge": [4194304, 12582912, 10240, 2097152, 3200, 3187, 8],
            "db.r6g.8xlarge": [8388608, 25165824, 13312, 2097152, 5000, 4987, 8],
        };
        for (const [cls, numbers] of Object.entries(expected)) {
            it(`${cls}: ${instanceClass(cls).memoryGiB} GiB, ${instanceClass(cls).vcpus} vCPU`, () => {
                const s = sizeFor(instanceClass(cls));
                assert.deepEqual(
                    [
                        s.sharedBuffersPages,
                        s.effectiveCacheSizePages,
                        s.workMemKiB,
                        s.maintenanceWorkMemKiB,
                        s.maxConnections,
                        s.connectionBudget,
                        s.autovacuumMaxWorkers,
                    ],
                    numbers,
                );
            });
        }

        it("keeps every class inside its RAM: shared_buffers + max_connections x work_mem x 3 <= RAM", () => {
            for (const cls of INSTANCE_CLASSES.values()) {
                const s = sizeFor(cls);
                const ramKiB = cls.memoryGiB * 1024 * 1024;
                const worstCase = s.sharedBuffersPages * 8 + s.maxConnections * s.workMemKiB * 3;
                // The 4 MiB work_mem floor can exceed the formula on the smallest classes; allow it only there.
                const floorApplies = s.workMemKiB === 4096;
                assert.ok(worstCase <= ramKiB || floorApplies, `${cls.name}: ${worstCase} kB > ${ramKiB} kB`);
                assert.equal(
                    s.connectionBudget,
                    s.maxConnections - s.superuserReservedConnections - s.adminHeadroomConnections,
                );
            }
        });
    });

    it("sets every parameter the platform promises, once", () => {
        const names = settingsFor("prod", "db.r6g.large").map((s) => s.name);
        assert.equal(new Set(names).size, names.length, "no duplicates");
        for (const required of [
            "shared_buffers",
            "effective_cache_size",
            "work_mem",
            "maintenance_work_mem",
            "max_connections",
            "superuser_reserved_connections",
            "autovacuum_vacuum_scale_factor",
            "autovacuum_analyze_scale_factor",
            "autovacuum_vacuum_cost_limit",
            "autovacuum_vacuum_cost_delay",
            "autovacuum_naptime",
            "autovacuum_max_workers",
            "autovacuum_vacuum_insert_scale_factor",
            "autovacuum_vacuum_insert_threshold",
            "log_autovacuum_min_duration",
            "log_min_duration_statement",
            "auto_explain.log_min_duration",
            "auto_explain.log_analyze",
            "auto_explain.log_timing",
            "auto_explain.log_buffers",
            "auto_explain.log_format",
            "pg_stat_statements.track",
            "pg_stat_statements.max",
            "track_io_timing",
            "log_lock_waits",
            "log_temp_files",
            "log_checkpoints",
            "log_connections",
            "log_disconnections",
            "log_line_prefix",
            "ssl",
            "ssl_min_protocol_version",
            "password_encryption",
            "rds.force_ssl",
            "rds.accepted_password_auth_method",
            "idle_in_transaction_session_timeout",
            "statement_timeout",
            "shared_preload_libraries",
        ]) {
            assert.ok(names.includes(required), required);
        }
    });

    it("keeps prod's slow-statement threshold in 250-1000 ms and auto_explain on the same threshold", () => {
        const prod = settingsFor("prod", "db.r6g.large");
        const ms = value(prod, "log_min_duration_statement") as number;
        assert.ok(ms >= 250 && ms <= 1000, String(ms));
        assert.equal(value(prod, "auto_explain.log_min_duration"), ms);
        assert.equal(value(settingsFor("dev", "db.t4g.medium"), "log_min_duration_statement"), SLOW_STATEMENT_MS.dev);
    });

    it("puts user, database, application and pid in the self-managed log prefix", () => {
        const prefix = value(settingsFor("dev", "db.t4g.medium"), "log_line_prefix") as string;
        for (const code of ["%u", "%d", "%a", "%p"]) assert.ok(prefix.includes(code), code);
    });

    it("computes shared_preload_libraries from the declared extensions and merges, never clobbers", () => {
        assert.equal(
            value(settingsFor("dev", "db.t4g.medium"), "shared_preload_libraries"),
            "pg_stat_statements,pgaudit,auto_explain,pg_cron",
        );
        assert.deepEqual(preloadLibraries(["rdsutils", "pg_stat_statements", " "]), [
            "rdsutils",
            "pg_stat_statements",
            "pgaudit",
            "auto_explain",
            "pg_cron",
        ]);
        const merged = postgresSettings({
            environment: "prod",
            instanceClass: "db.r6g.large",
            databaseName: "m",
            existingPreloadLibraries: ["pg_hint_plan"],
        });
        assert.equal(
            value(merged, "shared_preload_libraries"),
            "pg_hint_plan,pg_stat_statements,pgaudit,auto_explain,pg_cron",
        );
        assert.deepEqual(
            EXTENSIONS.filter((e) => e.preload).map((e) => e.name),
            ["pg_stat_statements", "pgaudit", "auto_explain", "pg_cron"],
        );
    });

    describe("RDS renderer", () => {
        const settings = settingsFor("prod", "db.r6g.large");
        const rendered = renderRdsParameters(settings);

        it("gives static parameters pending-reboot and dynamic ones immediate", () => {
            for (const p of rendered) {
                const source = settings.find((s) => s.name === p.name)!;
                assert.equal(p.applyMethod, source.apply === "static" ? "pending-reboot" : "immediate", p.name);
            }
            assert.equal(rendered.find((p) => p.name === "shared_preload_libraries")?.applyMethod, "pending-reboot");
            assert.equal(rendered.find((p) => p.name === "work_mem")?.applyMethod, "immediate");
        });

        it("never emits a parameter RDS refuses, nor a self-managed one", () => {
            const refused = rendered.filter((p) => p.name in RDS_NOT_MODIFIABLE);
            assert.deepEqual(refused, []);
            for (const s of settings.filter((x) => x.platform === "self-managed"))
                assert.ok(!rendered.some((p) => p.name === s.name), s.name);
            for (const s of serverSettings({ ...server, archiveCommand: "x" }))
                assert.ok(
                    s.name in RDS_NOT_MODIFIABLE || ["log_filename", "archive_timeout"].includes(s.name),
                    `${s.name} is self-managed but not on the RDS list`,
                );
        });

        it("refuses a source that marks an RDS-fixed parameter for every platform", () => {
            const broken: Setting[] = [
                ...settings,
                {
                    name: "log_line_prefix",
                    value: "%m",
                    apply: "dynamic",
                    platform: "all",
                    group: "logging",
                    reason: "",
                    source: "",
                },
            ];
            assert.throws(() => renderRdsParameters(broken), /RDS refuses .*log_line_prefix/);
        });

        it("writes booleans as 1/0 and keeps units in base form", () => {
            assert.deepEqual(
                rendered.find((p) => p.name === "rds.force_ssl"),
                { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
            );
            assert.equal(rendered.find((p) => p.name === "rds.accepted_password_auth_method")?.value, "scram");
            assert.equal(rendered.find((p) => p.name === "shared_buffers")?.value, "524288");
            assert.equal(rendered.find((p) => p.name === "jit")?.value, "0");
        });
    });

    describe("postgresql.conf and pg_hba.conf renderers", () => {
        it("never writes rds.* to a real server and quotes strings", () => {
            const conf = renderPostgresqlConf(settingsFor("dev", "db.t4g.medium"), server);
            assert.doesNotMatch(conf, /^rds\./m);
            assert.match(conf, /^log_line_prefix = '%m \[%p\] %q%u@%d app=%a client=%h '$/m);
            assert.match(conf, /^ssl = on$/m);
            assert.match(conf, /^hba_file = '\/x\/pg_hba\.conf' {2}# restart$/m);
        });

        it("allows hostssl + scram only and refuses /0", () => {
            const hba = renderPgHba({ allowedCidrs: ["127.0.0.1/32"], localSocket: false });
            const rules = hba
                .split("\n")
                .filter((l) => l && !l.startsWith("#"))
                .map((l) => l.split(/\s+/));
            assert.deepEqual(rules, [
                ["hostssl", "all", "all", "127.0.0.1/32", "scram-sha-256"],
                ["hostnossl", "all", "all", "all", "reject"],
            ]);
            assert.throws(() => renderPgHba({ allowedCidrs: ["0.0.0.0/0"] }), /must not be open/);
        });
    });

    it("documents every setting with a reason and a source", () => {
        for (const s of settingsFor("prod", "db.r6g.large")) {
            assert.ok(s.reason.length > 10, `${s.name} reason`);
            assert.match(s.source, /^https:\/\//, `${s.name} source`);
        }
    });
});
