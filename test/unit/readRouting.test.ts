/** Read routing and the read pool, without mocks: where reads go and how many server connections they may take. */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { INSTANCE_CLASSES } from "../../postgres/instanceClasses";
import { deployedPgbouncerIni, renderPgbouncerIni } from "../../postgres/pooling/pgbouncerIni";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import {
    pgbouncerServerConnections,
    readDatabaseName,
    readOnlyUrl,
    readPool,
    readRoute,
} from "../../postgres/pooling/readRouting";
import { sizeFor } from "../../postgres/settings/sizing";

const budget = (cls: string) => sizeFor(INSTANCE_CLASSES.get(cls)!).connectionBudget;
const replicas = (n: number, cls = "db.r6g.large") =>
    Array.from({ length: n }, (_, i) => ({ host: `r${i + 1}.example`, connectionBudget: budget(cls) }));

describe("read route", () => {
    it("goes to the primary when there are no replicas, with no budget of its own", () => {
        assert.deepEqual(readRoute([], "primary.example"), {
            servedBy: "primary",
            hosts: ["primary.example"],
            budget: 0,
        });
    });

    it("goes to 1 and to 3 replicas, each by its own endpoint, with their budgets together", () => {
        assert.deepEqual(readRoute(replicas(1), "p"), { servedBy: "replicas", hosts: ["r1.example"], budget: 387 });
        assert.deepEqual(readRoute(replicas(3), "p"), {
            servedBy: "replicas",
            hosts: ["r1.example", "r2.example", "r3.example"],
            budget: 3 * 387,
        });
    });

    it("takes an Aurora reader endpoint as one target whose budget is its readers' together", () => {
        const aurora = [{ host: "mc.cluster-ro-abc.eu-west-1.rds.amazonaws.com", connectionBudget: 2 * 387 }];
        assert.deepEqual(readRoute(aurora, "p").hosts, [aurora[0].host]);
        assert.equal(readRoute(aurora, "p").budget, 774);
    });

    it("gives every host the smallest budget, because round robin sends each the same share", () => {
        const mixed = [
            { host: "big", connectionBudget: budget("db.r6g.xlarge") },
            { host: "small", connectionBudget: budget("db.r6g.large") },
        ];
        assert.equal(readRoute(mixed, "p").budget, 2 * 387);
    });

    it("refuses a target without a budget", () => {
        assert.throws(() => readRoute([{ host: "r", connectionBudget: 0 }], "p"), /positive whole number, got 0/);
    });
});

describe("read pool", () => {
    const write = poolSizing(387, 2); // db.r6g.large primary, 2 PgBouncer replicas: 193 each, 154 app, 38 readonly

    it("on one db.r6g.large replica: 193 per PgBouncer replica (154 app, 38 readonly), the write pool untouched", () => {
        assert.deepEqual(readPool(write, readRoute(replicas(1), "p")), {
            servedBy: "replicas",
            perReplica: 193,
            poolSize: { metacortex_app: 154, metacortex_readonly: 38 },
            writePerReplica: 193,
            total: 386,
        });
    });

    it("on three replicas: three budgets, 580 per PgBouncer replica (464 app, 116 readonly)", () => {
        const pool = readPool(write, readRoute(replicas(3), "p"));
        assert.deepEqual(
            [pool.perReplica, pool.poolSize, pool.total],
            [580, { metacortex_app: 464, metacortex_readonly: 116 }, 1160],
        );
    });

    it("on the primary: readonly's 38 moves to the read database, and the write database keeps 155", () => {
        const pool = readPool(write, readRoute([], "p"));
        assert.deepEqual(pool, {
            servedBy: "primary",
            perReplica: 38,
            poolSize: { metacortex_app: 38, metacortex_readonly: 38 },
            writePerReplica: 155,
            total: 76,
        });
        assert.ok(pool.writePerReplica >= write.poolSize.metacortex_app, "the app's write pool still fits");
    });

    it("never opens more on the primary, or on the replicas, than their budgets", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...INSTANCE_CLASSES.keys()),
                fc.constantFrom(...INSTANCE_CLASSES.keys()),
                fc.integer({ min: 0, max: 5 }),
                fc.integer({ min: 1, max: 8 }),
                (primaryClass, replicaClass, count, bouncers) => {
                    const w = poolSizing(budget(primaryClass), bouncers);
                    const route = readRoute(replicas(count, replicaClass), "p");
                    const r = readPool(w, route);
                    const onPrimary = bouncers * (r.writePerReplica + (r.servedBy === "primary" ? r.perReplica : 0));
                    const readPools = Object.values(r.poolSize).every((n) => n <= r.perReplica);
                    return (
                        onPrimary <= budget(primaryClass) &&
                        (count === 0 || r.total <= count * budget(replicaClass)) &&
                        readPools
                    );
                },
            ),
        );
    });

    it("counts PgBouncer's server connections over both databases: 772 on a replica, 1160 on two Aurora readers", () => {
        const w = poolSizing(387, 2);
        assert.equal(pgbouncerServerConnections(w, replicas(1)), 2 * (193 + 193));
        const readers = [{ host: undefined, connectionBudget: 2 * 387 }];
        assert.equal(pgbouncerServerConnections(w, readers), 2 * (193 + 387));
        assert.equal(pgbouncerServerConnections(w, []), 2 * (155 + 38), "the primary's share, split, never more");
    });
});

describe("the read database in pgbouncer.ini", () => {
    const files = { userlist: "/u", serverCa: "/ca", cert: "/c", key: "/k" };
    const write = poolSizing(387, 2);
    const ini = (hosts: string[], image = { major: 1, minor: 25 }) => {
        const route = readRoute(
            hosts.map((host) => ({ host, connectionBudget: 387 })),
            "primary.example",
        );
        return deployedPgbouncerIni({
            version: image,
            sizing: write,
            database: { name: "metacortex", host: "primary.example", port: 5432, dbname: "metacortex" },
            read: {
                database: {
                    name: readDatabaseName("metacortex"),
                    host: route.hosts.join(","),
                    port: 5432,
                    dbname: "metacortex",
                },
                pool: readPool(write, route),
            },
            files,
        });
    };

    it("with no replica: metacortex_ro on the primary with readonly's 38, the write database capped at 155", () => {
        const text = ini([]);
        assert.match(text, /^metacortex = host=primary\.example port=5432 dbname=metacortex max_db_connections=155$/m);
        assert.match(
            text,
            /^metacortex_ro = host=primary\.example port=5432 dbname=metacortex pool_size=38 max_db_connections=38$/m,
        );
        assert.match(text, /^max_db_connections = 155$/m);
        assert.match(text, /^metacortex_readonly = max_user_connections=38$/m);
    });

    it("with one replica: metacortex_ro on its endpoint, 154 app and a 193 cap", () => {
        const text = ini(["r1.example"], { major: 1, minor: 23 });
        assert.match(
            text,
            /^metacortex_ro = host=r1\.example port=5432 dbname=metacortex pool_size=154 max_db_connections=193$/m,
        );
        assert.match(text, /^metacortex = host=primary\.example port=5432 dbname=metacortex max_db_connections=193$/m);
    });

    it("with three replicas: every endpoint in one host list, and readonly capped at its read pool (116)", () => {
        const text = ini(["r1.example", "r2.example", "r3.example"]);
        assert.match(
            text,
            /^metacortex_ro = host=r1\.example,r2\.example,r3\.example port=5432 dbname=metacortex pool_size=464 max_db_connections=580$/m,
        );
        assert.match(text, /^metacortex_readonly = max_user_connections=116$/m);
    });

    it("refuses a host list on PgBouncer before 1.25, which verified the whole list against each certificate", () => {
        assert.throws(() => ini(["r1.example", "r2.example"], { major: 1, minor: 23 }), /1\.25 or later required/);
        assert.doesNotThrow(() =>
            renderPgbouncerIni({
                version: { major: 1, minor: 25 },
                listenAddr: "*",
                listenPort: 5432,
                unixSocketDir: "",
                databases: [{ name: "d", host: "a,b", port: 5432, dbname: "d" }],
                authFile: "/u",
                defaultPoolSize: 1,
                maxDbConnections: 1,
                maxClientConn: 1,
                maxPreparedStatements: 0,
                serverTlsCaFile: "/ca",
                clientTlsCertFile: "/c",
                clientTlsKeyFile: "/k",
                statsUsers: [],
            }),
        );
    });
});

describe("read-only URL", () => {
    it("names one host plainly, with verify-full and no password", () => {
        assert.equal(
            readOnlyUrl({
                user: "metacortex_app",
                hosts: ["pgbouncer.ns.svc.cluster.local"],
                database: "metacortex_ro",
            }),
            "postgresql://metacortex_app@pgbouncer.ns.svc.cluster.local:5432/metacortex_ro?sslmode=verify-full",
        );
    });

    it("lists several hosts for libpq to spread over standbys", () => {
        assert.equal(
            readOnlyUrl({ user: "u", hosts: ["a", "b"], database: "metacortex" }),
            "postgresql://u@a:5432,b:5432/metacortex?sslmode=verify-full&target_session_attrs=standby&load_balance_hosts=random",
        );
        assert.throws(() => readOnlyUrl({ user: "u", hosts: [], database: "d" }), /at least one host/);
    });
});

describe("the prod stack file states the read pool it gets", () => {
    it("Pulumi.prod.yaml's read-replica comment matches the computed read pool for one db.r6g.large replica", () => {
        const text = fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8");
        assert.match(text, /metacortex-db:readReplicas: "1"\n/);
        const pool = readPool(poolSizing(budget("db.r6g.large"), 2), readRoute(replicas(1), "p"));
        const { metacortex_app: app, metacortex_readonly: readonly } = pool.poolSize;
        assert.ok(
            text.includes(`${pool.perReplica} per PgBouncer replica\n  # (${app} app, ${readonly} readonly)`),
            `${pool.perReplica} per PgBouncer replica (${app} app, ${readonly} readonly)`,
        );
    });
});
