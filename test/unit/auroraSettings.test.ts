/** Aurora's two parameter groups from the one settings source, and the Serverless v2 sizing they are computed for. */
import { strict as assert } from "assert";
import {
    AURORA_INSTANCE_CLASSES,
    INSTANCE_CLASSES,
    instanceClass,
    isServerlessSizing,
    serverlessSizing,
} from "../../postgres/instanceClasses";
import {
    AURORA_CLUSTER_ONLY,
    AURORA_CLUSTER_WIDE,
    AURORA_NOT_SET,
    AURORA_PER_INSTANCE,
    auroraPlacement,
    postgresSettings,
    renderAuroraParameters,
    renderRdsParameters,
    type Setting,
    sizeFor,
    standbySettings,
} from "../../postgres/settings";

const settingsFor = (cls: string): Setting[] => [
    ...postgresSettings({ environment: "prod", instanceClass: cls, databaseName: "metacortex" }),
    ...standbySettings(),
];
const names = (ps: { name: string }[]) => ps.map((p) => p.name);

describe("Aurora parameter groups", () => {
    it("place every parameter the source renders, for every Aurora class and a Serverless v2 range", () => {
        for (const cls of [...AURORA_INSTANCE_CLASSES, serverlessSizing(1), serverlessSizing(64)])
            assert.doesNotThrow(() => renderAuroraParameters(settingsFor(cls)), cls);
    });

    it("keep the lists apart: a parameter has one placement", () => {
        const all = [
            ...AURORA_CLUSTER_ONLY,
            ...AURORA_CLUSTER_WIDE,
            ...AURORA_PER_INSTANCE,
            ...Object.keys(AURORA_NOT_SET),
        ];
        assert.equal(new Set(all).size, all.length);
    });

    it("put cluster-only parameters (autovacuum, TLS, SCRAM) in the cluster group, sized ones in the instance group", () => {
        const { cluster, instance } = renderAuroraParameters(settingsFor("db.r6g.large"));
        for (const name of ["autovacuum_naptime", "rds.force_ssl", "password_encryption", "shared_preload_libraries"])
            assert.ok(names(cluster).includes(name), name);
        assert.deepEqual(names(instance).sort(), [...AURORA_PER_INSTANCE].sort());
        for (const name of AURORA_CLUSTER_ONLY) assert.ok(!names(instance).includes(name), name);
    });

    it("carry the RDS rendering's values and apply methods, less what Aurora manages or has no use for", () => {
        const settings = settingsFor("db.r6g.large");
        const { cluster, instance } = renderAuroraParameters(settings);
        const rds = renderRdsParameters(settings).filter((p) => !Object.hasOwn(AURORA_NOT_SET, p.name));
        const byName = (ps: { name: string }[]) => [...ps].sort((a, b) => a.name.localeCompare(b.name));
        assert.deepEqual(byName([...cluster, ...instance]), byName(rds));
        assert.deepEqual(
            cluster.find((p) => p.name === "shared_preload_libraries")?.applyMethod,
            "pending-reboot",
            "a static parameter waits for a reboot",
        );
        assert.equal(instance.find((p) => p.name === "max_connections")?.value, "400");
    });

    it("leave shared_buffers to Aurora and every checkpoint and WAL-size setting out, each with its reason and source", () => {
        const { cluster, instance } = renderAuroraParameters(settingsFor("db.r6g.large"));
        const set = [...names(cluster), ...names(instance)];
        for (const name of ["shared_buffers", "checkpoint_timeout", "max_wal_size", "min_wal_size", "log_checkpoints"])
            assert.ok(!set.includes(name), name);
        assert.equal((auroraPlacement("shared_buffers") as { kind: string }).kind, "managed");
        assert.equal((auroraPlacement("max_wal_size") as { kind: string }).kind, "storage");
        for (const [name, why] of Object.entries(AURORA_NOT_SET)) {
            assert.ok(why.reason.length > 15, name);
            assert.match(why.source, /^https:\/\//, name);
        }
    });

    it("differ between classes only in the instance group", () => {
        const large = renderAuroraParameters(settingsFor("db.r6g.large"));
        const serverless = renderAuroraParameters(settingsFor(serverlessSizing(16)));
        assert.deepEqual(serverless.cluster, large.cluster);
        assert.notDeepEqual(serverless.instance, large.instance);
    });

    it("refuse a parameter the Aurora list does not place, naming it", () => {
        const unknown: Setting = { ...settingsFor("db.r6g.large")[0], name: "wal_compression" };
        assert.throws(
            () => renderAuroraParameters([unknown]),
            /auroraRestrictions\.ts does not place: wal_compression$/,
        );
    });
});

describe("Aurora instance classes and Serverless v2 sizing", () => {
    it("offer the r6g and r7g families and db.t4g.medium and large, never m or small t4g classes", () => {
        assert.ok(AURORA_INSTANCE_CLASSES.includes("db.r6g.large") && AURORA_INSTANCE_CLASSES.includes("db.t4g.large"));
        for (const name of ["db.t4g.micro", "db.t4g.small", "db.t4g.xlarge", "db.m6g.large", "db.m7g.xlarge"])
            assert.ok(!AURORA_INSTANCE_CLASSES.includes(name), name);
        assert.ok(AURORA_INSTANCE_CLASSES.every((name) => INSTANCE_CLASSES.has(name)));
    });

    it("size a Serverless v2 instance at its maximum capacity: 2 GiB per ACU, a vCPU per 8 GiB, at least 2", () => {
        assert.equal(serverlessSizing(16), "db.serverless/16");
        assert.deepEqual(instanceClass("db.serverless/16"), {
            name: "db.serverless/16",
            vcpus: 4,
            memoryGiB: 32,
            burstable: false,
        });
        assert.equal(instanceClass("db.serverless/2.5").memoryGiB, 5);
        assert.equal(instanceClass("db.serverless/1").vcpus, 2);
        // Aurora's own formula caps max_connections at 5000 from 32 ACUs on; the platform's 25 per GiB gives 800 at 16.
        assert.equal(sizeFor(instanceClass("db.serverless/16")).maxConnections, 800);
        assert.ok(isServerlessSizing("db.serverless/16") && !isServerlessSizing("db.r6g.large"));
        assert.throws(() => instanceClass("db.serverless"), /unknown instance class "db\.serverless"/);
        assert.throws(() => instanceClass("db.serverless/1.25"), /unknown instance class/);
    });
});

describe("Aurora sizing", () => {
    const settings = (engine: "rds" | "aurora", cls = "db.r6g.large") =>
        postgresSettings({ environment: "prod", instanceClass: cls, databaseName: "metacortex", engine });
    const value = (ss: Setting[], name: string) => ss.find((s) => s.name === name)?.value;

    it("divides the quarter of RAM Aurora's 75% buffer cache leaves among the sorts, 4 MiB at least", () => {
        assert.equal(value(settings("rds"), "work_mem"), 10 * 1024);
        assert.equal(value(settings("aurora"), "work_mem"), 4 * 1024);
        // 25 connections per GiB make the quarter of RAM 3.4 MiB a sort for every class: the 4 MiB floor holds.
        for (const cls of AURORA_INSTANCE_CLASSES)
            assert.equal(value(settings("aurora", cls), "work_mem"), 4 * 1024, cls);
        assert.equal(value(settings("aurora"), "shared_buffers"), (16 * 1024 * 1024 * 0.75) / 8);
    });

    it("keeps every other value, connections and the budget included", () => {
        const [rds, aurora] = [settings("rds"), settings("aurora")];
        const differ = rds.filter((s) => value(aurora, s.name) !== s.value).map((s) => s.name);
        assert.deepEqual(differ, ["shared_buffers", "work_mem"]);
    });
});
