import { strict as assert } from "assert";
import { ConfigError, parseStackConfig, type RawConfig } from "../../config";
import { stackFileConfig } from "../../scripts/lib/stack/stackFile";

/** The stack file's project keys without the prefix, as parseStackConfig takes them. */
function rawFor(stack: string, overrides: Record<string, string | undefined> = {}): RawConfig {
    const raw: Record<string, string | undefined> = { ...stackFileConfig(stack) };
    for (const [k, v] of Object.entries(overrides)) {
        if (v === undefined) delete raw[k];
        else raw[k] = v;
    }
    return raw;
}

function rejection(stack: string, overrides: Record<string, string | undefined>): string {
    try {
        parseStackConfig(rawFor(stack, overrides), stack);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.message;
    }
    assert.fail(`${JSON.stringify(overrides)} was accepted`);
}

describe("config validation", () => {
    it("accepts both committed stack files", () => {
        assert.equal(parseStackConfig(rawFor("prod"), "prod").target, "aws");
        assert.equal(parseStackConfig(rawFor("dev"), "dev").target, "docker");
    });

    it("fills documented defaults when keys are absent", () => {
        const c = parseStackConfig({}, "dev");
        assert.deepEqual(
            [
                c.instanceClass,
                c.engineVersion,
                c.allocatedStorageGiB,
                c.maxAllocatedStorageGiB,
                c.backupRetentionDays,
                c.backupWindow,
                c.maintenanceWindow,
                c.docker.image,
            ],
            ["db.t4g.medium", "15", 20, 100, 7, "03:00-03:30", "sun:04:00-sun:05:00", "postgres:15.18-bookworm"],
        );
    });

    // Each row: the stack, the override, and the exact line the user must see (key, value and what is allowed).
    const bad: Array<[string, Record<string, string | undefined>, string]> = [
        [
            "prod",
            { backupRetentionDays: "0" },
            `metacortex-db:backupRetentionDays = "0": a whole number from 7 to 35 days in prod`,
        ],
        [
            "prod",
            { backupRetentionDays: "3" },
            `metacortex-db:backupRetentionDays = "3": a whole number from 7 to 35 days in prod`,
        ],
        [
            "dev",
            { backupRetentionDays: "36" },
            `metacortex-db:backupRetentionDays = "36": a whole number from 1 to 35 days in dev`,
        ],
        [
            "prod",
            { engineVersion: "14" },
            `metacortex-db:engineVersion = "14": PostgreSQL 15 only: 15 or 15.N (e.g. 15.18)`,
        ],
        ["prod", { engineVersion: "16.2" }, `metacortex-db:engineVersion = "16.2": PostgreSQL 15 only`],
        [
            "prod",
            { allocatedStorageGiB: "5" },
            `metacortex-db:allocatedStorageGiB = "5": a whole number from 20 to 65536 GiB`,
        ],
        [
            "prod",
            { allocatedStorageGiB: "twenty" },
            `metacortex-db:allocatedStorageGiB = "twenty": a whole number from 20 to 65536 GiB`,
        ],
        [
            "prod",
            { maxAllocatedStorageGiB: "100" },
            `metacortex-db:maxAllocatedStorageGiB = "100": more than allocatedStorageGiB (100)`,
        ],
        [
            "prod",
            { maintenanceWindow: "mon:03:15-mon:04:00" },
            `metacortex-db:maintenanceWindow = "mon:03:15-mon:04:00": must not overlap backupWindow 03:00-03:30 on any day`,
        ],
        [
            "prod",
            { backupWindow: "23:50-00:30", maintenanceWindow: "sat:00:10-sat:01:00" },
            `must not overlap backupWindow 23:50-00:30`,
        ],
        [
            "prod",
            { backupWindow: "03:00-03:10" },
            `metacortex-db:backupWindow = "03:00-03:10": hh24:mi-hh24:mi in UTC, at least 30 minutes`,
        ],
        [
            "prod",
            { maintenanceWindow: "funday:04:00-sun:05:00" },
            `metacortex-db:maintenanceWindow = "funday:04:00-sun:05:00": ddd:hh24:mi-ddd:hh24:mi in UTC`,
        ],
        [
            "prod",
            { allowedCidrs: `["0.0.0.0/0"]` },
            `metacortex-db:allowedCidrs = "0.0.0.0/0": a private client range: wider than /8`,
        ],
        [
            "prod",
            { allowedCidrs: `["::/0"]` },
            `metacortex-db:allowedCidrs = "::/0": a private client range: wider than /32`,
        ],
        [
            "prod",
            { allowedCidrs: `["10.0.0.0/33"]` },
            `metacortex-db:allowedCidrs = "10.0.0.0/33": a private client range: prefix longer than /32`,
        ],
        [
            "prod",
            { allowedCidrs: `["10.0.0/16"]` },
            `metacortex-db:allowedCidrs = "10.0.0/16": a private client range: not an IPv4 or IPv6 address`,
        ],
        ["prod", { allowedCidrs: "10.0.0.0/16" }, `metacortex-db:allowedCidrs = "10.0.0.0/16": a list of CIDRs`],
        ["prod", { multiAz: "false" }, `metacortex-db:multiAz = "false": true in prod`],
        ["prod", { multiAz: "yes" }, `metacortex-db:multiAz = "yes": true or false`],
        ["prod", { deletionProtection: "false" }, `metacortex-db:deletionProtection = "false": true in prod`],
        ["prod", { instanceClass: "db.x9.huge" }, `metacortex-db:instanceClass = "db.x9.huge": one of db.t4g.micro,`],
        ["prod", { vpcId: undefined }, `metacortex-db:vpcId = undefined: required for target aws`],
        ["prod", { vpcId: "vpc-xyz" }, `metacortex-db:vpcId = "vpc-xyz": a VPC id`],
        [
            "prod",
            { subnetIds: `["subnet-0a1b2c3d4e5f60711"]` },
            `metacortex-db:subnetIds = ["subnet-0a1b2c3d4e5f60711"]: at least two private subnets`,
        ],
        [
            "prod",
            { allowedSecurityGroupIds: `["default"]` },
            `metacortex-db:allowedSecurityGroupIds = "default": sg-<8 to 17 hex digits>`,
        ],
        [
            "prod",
            { allowedSecurityGroupIds: "[]" },
            `metacortex-db:allowedSecurityGroupIds = []: at least one app security group or allowedCidrs entry`,
        ],
        ["prod", { alarmEmail: undefined }, `metacortex-db:alarmEmail = undefined: required in prod`],
        ["prod", { alarmEmail: "oncall" }, `metacortex-db:alarmEmail = "oncall": an email address`],
        [
            "prod",
            { tags: `{"aws:owner": "x"}` },
            `metacortex-db:tags = "aws:owner": tag keys of 1 to 128 characters, not starting with aws:`,
        ],
        ["prod", { tags: `["a"]` }, `metacortex-db:tags = "[\\"a\\"]": a map of string to string`],
        [
            "dev",
            { dockerImage: "postgres:latest" },
            `metacortex-db:dockerImage = "postgres:latest": a pinned PostgreSQL 15 image`,
        ],
        [
            "dev",
            { dockerImage: "postgres:15" },
            `metacortex-db:dockerImage = "postgres:15": a pinned PostgreSQL 15 image`,
        ],
        ["dev", { dockerHostPort: "80" }, `metacortex-db:dockerHostPort = "80": a whole number from 1024 to 65535`],
        [
            "dev",
            { databaseName: "Meta-Cortex" },
            `metacortex-db:databaseName = "Meta-Cortex": lower-case letters, digits and _`,
        ],
        ["dev", { target: "gcp" }, `metacortex-db:target = "gcp": one of docker, aws`],
        ["dev", { retention: "7" }, `metacortex-db:retention = "7": unknown key; known keys:`],
        ["staging", {}, `metacortex-db:environment = undefined: required for stack "staging": dev or prod`],
    ];
    for (const [stack, overrides, expected] of bad) {
        it(`refuses ${stack} ${JSON.stringify(overrides)}`, () => {
            const message =
                stack === "staging" ? rejectionOf(() => parseStackConfig({}, "staging")) : rejection(stack, overrides);
            assert.ok(message.includes(expected), `message:\n${message}\nshould include:\n${expected}`);
        });
    }

    it("reports every problem at once", () => {
        const message = rejection("prod", { backupRetentionDays: "0", engineVersion: "14", allocatedStorageGiB: "5" });
        assert.match(message, /^invalid stack configuration \(3 problems\):/);
    });
});

function rejectionOf(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        return (e as Error).message;
    }
    assert.fail("accepted");
}
