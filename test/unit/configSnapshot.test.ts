/**
 * Pins what parseStackConfig returns, or the exact ConfigError message it throws, for the committed stack files and
 * a set of edited ones; any difference is a change of behaviour. After a deliberate one (a new key, a reworded rule),
 * rewrite the snapshot and review its diff:
 *   CONFIG_SNAPSHOT=write npx mocha test/unit/configSnapshot.test.ts && npx biome format --write test/unit/configSnapshot.json
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig, type RawConfig } from "../../config";
import { stackFileConfig } from "../../scripts/lib/stack/stackFile";
import { AURORA_ACCEPTED, AURORA_REJECTED, type ConfigCase } from "./configSnapshotAurora";

const HEX64 = "0".repeat(64);

/** Inputs that parse: the whole StackConfig is pinned. */
const ACCEPTED: Readonly<Record<string, ConfigCase>> = {
    "dev stack file": { stack: "dev", base: "dev", overrides: {} },
    "prod stack file": { stack: "prod", base: "prod", overrides: {} },
    "dev from nothing": { stack: "dev", base: "none", overrides: {} },
    "other stack name, environment dev": { stack: "qa", base: "none", overrides: { environment: "dev" } },
    "dev with every optional key": {
        stack: "dev",
        base: "dev",
        overrides: {
            engineVersion: "15.7",
            allocatedStorageGiB: "50",
            maxAllocatedStorageGiB: "60",
            multiAz: "true",
            deletionProtection: "true",
            backupRetentionDays: "1",
            backupWindow: "23:50-00:30",
            maintenanceWindow: "wed:05:00-wed:06:00",
            allowedCidrs: `["10.0.0.0/16", "fd00::/32"]`,
            alarmEmail: "me@example.org",
            tags: `{"owner": "me"}`,
            dockerImage: `postgres:15.18-alpine3.20@sha256:${HEX64}`,
            dockerHostPort: "15432",
            manageRoles: "false",
            adminHost: "localhost",
            adminPort: "5433",
            adminCaPath: "/tmp/ca.pem",
            backupVaultLock: "compliance",
            backupSnapshotRetentionDays: "3650",
            backupContinuousRetentionDays: "1",
            pooler: "none",
            pgbouncerReplicas: "16",
            pgbouncerImage: `example.org/pgbouncer:1.24.0-1@sha256:${HEX64}`,
            kubernetesNamespace: "db",
            appNamespace: "app-1",
            pgbouncerHostPort: "7432",
            readReplicas: "2",
            replicaLagAlarmSeconds: "120",
        },
    },
    ...AURORA_ACCEPTED,
    "prod restoring to a time, through RDS Proxy": {
        stack: "prod",
        base: "prod",
        overrides: {
            restore: `{"sourceInstance": "metacortex-prod", "pointInTime": "2026-11-24T09:30:00Z"}`,
            pooler: "rds-proxy",
            allowedSecurityGroupIds: undefined,
            allowedCidrs: `["10.20.0.0/16"]`,
            backupDrRegion: "us-east-1",
            backupVaultLock: "compliance",
            backupSnapshotRetentionDays: "14",
            backupContinuousRetentionDays: "20",
            instanceClass: "db.r7g.xlarge",
            maxAllocatedStorageGiB: undefined,
            allocatedStorageGiB: "20000",
        },
    },
    "prod restoring to latest, other stack name": {
        stack: "blue",
        base: "prod",
        overrides: {
            restore: `{"sourceInstance": "metacortex-prod", "pointInTime": "latest"}`,
            backupWindow: "01:00-02:00",
        },
    },
    "dev targeting aws": {
        stack: "dev",
        base: "dev",
        overrides: {
            target: "aws",
            vpcId: "vpc-0a1b2c3d",
            subnetIds: `["subnet-0a1b2c3d", "subnet-0a1b2c3e"]`,
            allowedSecurityGroupIds: `["sg-0a1b2c3d"]`,
        },
    },
};

/** Inputs that are refused: the whole ConfigError message is pinned, every line and its order. */
const REJECTED: Readonly<Record<string, ConfigCase>> = {
    "unknown key": { stack: "dev", base: "dev", overrides: { retention: "7" } },
    "unknown stack without environment": { stack: "staging", base: "none", overrides: {} },
    "bad environment": { stack: "dev", base: "dev", overrides: { environment: "test" } },
    "bad environment and unknown key": { stack: "x", base: "none", overrides: { environment: "qa", colour: "blue" } },
    "bad target": { stack: "dev", base: "dev", overrides: { target: "gcp" } },
    "bad database name": { stack: "dev", base: "dev", overrides: { databaseName: "Meta-Cortex" } },
    "reserved database name": { stack: "dev", base: "dev", overrides: { databaseName: "template1" } },
    "database name too long": { stack: "dev", base: "dev", overrides: { databaseName: `a${"b".repeat(63)}` } },
    "unknown instance class": { stack: "prod", base: "prod", overrides: { instanceClass: "db.x9.huge" } },
    "engine 14": { stack: "prod", base: "prod", overrides: { engineVersion: "14" } },
    "engine 16.2": { stack: "prod", base: "prod", overrides: { engineVersion: "16.2" } },
    "engine 15.123": { stack: "prod", base: "prod", overrides: { engineVersion: "15.123" } },
    "storage too small": { stack: "prod", base: "prod", overrides: { allocatedStorageGiB: "5" } },
    "storage not a number": { stack: "prod", base: "prod", overrides: { allocatedStorageGiB: "twenty" } },
    "storage fractional": { stack: "prod", base: "prod", overrides: { allocatedStorageGiB: "100.5" } },
    "storage too large": { stack: "dev", base: "dev", overrides: { allocatedStorageGiB: "70000" } },
    "max storage not above allocated": { stack: "prod", base: "prod", overrides: { maxAllocatedStorageGiB: "100" } },
    "max storage out of range": { stack: "prod", base: "prod", overrides: { maxAllocatedStorageGiB: "65537" } },
    "multiAz off in prod": { stack: "prod", base: "prod", overrides: { multiAz: "false" } },
    "multiAz not a boolean": { stack: "prod", base: "prod", overrides: { multiAz: "yes" } },
    "deletion protection off in prod": { stack: "prod", base: "prod", overrides: { deletionProtection: "false" } },
    "deletion protection not a boolean": { stack: "dev", base: "dev", overrides: { deletionProtection: "1" } },
    "retention 0 in prod": { stack: "prod", base: "prod", overrides: { backupRetentionDays: "0" } },
    "retention 3 in prod": { stack: "prod", base: "prod", overrides: { backupRetentionDays: "3" } },
    "retention 36 in dev": { stack: "dev", base: "dev", overrides: { backupRetentionDays: "36" } },
    "backup window too short": { stack: "prod", base: "prod", overrides: { backupWindow: "03:00-03:10" } },
    "backup window malformed": { stack: "prod", base: "prod", overrides: { backupWindow: "3am" } },
    "maintenance window malformed": { stack: "prod", base: "prod", overrides: { maintenanceWindow: "funday:04:00" } },
    "windows overlap": { stack: "prod", base: "prod", overrides: { maintenanceWindow: "mon:03:15-mon:04:00" } },
    "windows overlap across midnight": {
        stack: "prod",
        base: "prod",
        overrides: { backupWindow: "23:50-00:30", maintenanceWindow: "sat:00:10-sat:01:00" },
    },
    "bad vpc id": { stack: "prod", base: "prod", overrides: { vpcId: "vpc-xyz" } },
    "no vpc for aws": { stack: "prod", base: "prod", overrides: { vpcId: undefined } },
    "subnets not a list": { stack: "prod", base: "prod", overrides: { subnetIds: "subnet-0a1b2c3d" } },
    "bad subnet id": { stack: "prod", base: "prod", overrides: { subnetIds: `["subnet-0a1b2c3d", "subnet-x"]` } },
    "one subnet for aws": { stack: "prod", base: "prod", overrides: { subnetIds: `["subnet-0a1b2c3d4e5f60711"]` } },
    "cidr 0.0.0.0/0": { stack: "prod", base: "prod", overrides: { allowedCidrs: `["0.0.0.0/0"]` } },
    "cidr ::/0": { stack: "prod", base: "prod", overrides: { allowedCidrs: `["::/0"]` } },
    "cidr prefix 33": { stack: "prod", base: "prod", overrides: { allowedCidrs: `["10.0.0.0/33"]` } },
    "cidr malformed": { stack: "prod", base: "prod", overrides: { allowedCidrs: `["10.0.0/16"]` } },
    "cidrs not a list": { stack: "prod", base: "prod", overrides: { allowedCidrs: "10.0.0.0/16" } },
    "cidrs list of numbers": { stack: "prod", base: "prod", overrides: { allowedCidrs: "[10]" } },
    "bad security group": { stack: "prod", base: "prod", overrides: { allowedSecurityGroupIds: `["default"]` } },
    "no client admitted for aws": { stack: "prod", base: "prod", overrides: { allowedSecurityGroupIds: "[]" } },
    "no alarm email in prod": { stack: "prod", base: "prod", overrides: { alarmEmail: undefined } },
    "bad alarm email": { stack: "prod", base: "prod", overrides: { alarmEmail: "oncall" } },
    "tag key aws:": { stack: "prod", base: "prod", overrides: { tags: `{"aws:owner": "x"}` } },
    "tag key empty, value too long": { stack: "dev", base: "dev", overrides: { tags: `{"": "${"v".repeat(257)}"}` } },
    "tags a list": { stack: "prod", base: "prod", overrides: { tags: `["a"]` } },
    "tags not JSON": { stack: "prod", base: "prod", overrides: { tags: "team=platform" } },
    "docker image latest": { stack: "dev", base: "dev", overrides: { dockerImage: "postgres:latest" } },
    "docker image bare major": { stack: "dev", base: "dev", overrides: { dockerImage: "postgres:15" } },
    "docker image 16": { stack: "dev", base: "dev", overrides: { dockerImage: "postgres:16.4" } },
    "docker image short digest": { stack: "dev", base: "dev", overrides: { dockerImage: "postgres:15.18@sha256:abc" } },
    "docker port privileged": { stack: "dev", base: "dev", overrides: { dockerHostPort: "80" } },
    "manageRoles not a boolean": { stack: "dev", base: "dev", overrides: { manageRoles: "no" } },
    "bad admin host": { stack: "prod", base: "prod", overrides: { adminHost: "db host" } },
    "admin port 0": { stack: "prod", base: "prod", overrides: { adminPort: "0" } },
    "bad dr region": { stack: "prod", base: "prod", overrides: { backupDrRegion: "europe" } },
    "dr region is the stack's": { stack: "prod", base: "prod", overrides: { backupDrRegion: "eu-west-1" } },
    "vault lock none in prod": { stack: "prod", base: "prod", overrides: { backupVaultLock: "none" } },
    "vault lock unknown": { stack: "dev", base: "dev", overrides: { backupVaultLock: "strict" } },
    "vault lock unknown in prod": { stack: "prod", base: "prod", overrides: { backupVaultLock: "strict" } },
    "snapshot retention under prod floor": {
        stack: "prod",
        base: "prod",
        overrides: { backupSnapshotRetentionDays: "7" },
    },
    "snapshot retention 0 in dev": { stack: "dev", base: "dev", overrides: { backupSnapshotRetentionDays: "0" } },
    "continuous retention 36": { stack: "prod", base: "prod", overrides: { backupContinuousRetentionDays: "36" } },
    "restore not an object": { stack: "prod", base: "prod", overrides: { restore: "latest" } },
    "restore missing pointInTime": { stack: "prod", base: "prod", overrides: { restore: `{"sourceInstance": "a"}` } },
    "restore bad source and time": {
        stack: "prod",
        base: "prod",
        overrides: { restore: `{"sourceInstance": "Prod_DB", "pointInTime": "yesterday"}` },
    },
    "restore impossible date": {
        stack: "prod",
        base: "prod",
        overrides: { restore: `{"sourceInstance": "metacortex-prod", "pointInTime": "2026-02-30T25:00:00Z"}` },
    },
    "restore on docker": {
        stack: "dev",
        base: "dev",
        overrides: { restore: `{"sourceInstance": "metacortex-prod", "pointInTime": "latest"}` },
    },
    "unknown pooler": { stack: "prod", base: "prod", overrides: { pooler: "pgpool" } },
    "rds-proxy on docker": { stack: "dev", base: "dev", overrides: { pooler: "rds-proxy" } },
    "rds-proxy without role management": {
        stack: "prod",
        base: "prod",
        overrides: { pooler: "rds-proxy", manageRoles: "false" },
    },
    "one pgbouncer replica in prod": { stack: "prod", base: "prod", overrides: { pgbouncerReplicas: "1" } },
    "17 pgbouncer replicas": { stack: "dev", base: "dev", overrides: { pgbouncerReplicas: "17" } },
    "pgbouncer image unversioned": { stack: "prod", base: "prod", overrides: { pgbouncerImage: "pgbouncer:latest" } },
    "bad kubernetes namespace": { stack: "prod", base: "prod", overrides: { kubernetesNamespace: "Metacortex_DB" } },
    "bad app namespace": { stack: "prod", base: "prod", overrides: { appNamespace: "-app" } },
    "pgbouncer port privileged": { stack: "dev", base: "dev", overrides: { pgbouncerHostPort: "443" } },
    "everything wrong in prod": {
        stack: "prod",
        base: "prod",
        overrides: {
            typo: "1",
            target: "gcp",
            databaseName: "postgres",
            instanceClass: "db.m1.small",
            engineVersion: "15.x",
            allocatedStorageGiB: "10",
            maxAllocatedStorageGiB: "5",
            multiAz: "false",
            deletionProtection: "false",
            backupRetentionDays: "40",
            backupWindow: "03:00-03:05",
            maintenanceWindow: "sun:03:00",
            vpcId: undefined,
            subnetIds: `["subnet-x"]`,
            allowedCidrs: `["0.0.0.0/0"]`,
            allowedSecurityGroupIds: `["sg-x"]`,
            alarmEmail: undefined,
            tags: `{"aws:x": "y"}`,
            dockerImage: "postgres",
            dockerHostPort: "1",
            manageRoles: "false",
            adminHost: "a b",
            adminPort: "70000",
            backupDrRegion: "eu-west-1",
            backupVaultLock: "none",
            backupSnapshotRetentionDays: "1",
            backupContinuousRetentionDays: "0",
            restore: `{"sourceInstance": "_", "pointInTime": "now"}`,
            pooler: "rds-proxy",
            pgbouncerReplicas: "0",
            pgbouncerImage: "pgbouncer",
            kubernetesNamespace: "_",
            appNamespace: "_",
            pgbouncerHostPort: "1",
        },
    },
    "everything wrong in dev, targeting aws": {
        stack: "dev",
        base: "none",
        overrides: {
            target: "aws",
            maxAllocatedStorageGiB: "20",
            maintenanceWindow: "sun:03:15-sun:04:00",
            subnetIds: "[1, 2]",
            allowedSecurityGroupIds: "{}",
            alarmEmail: "x@y",
            backupVaultLock: "",
            pooler: "",
            restore: "{}",
        },
    },
    ...AURORA_REJECTED,
};

const SNAPSHOT = path.join(__dirname, "configSnapshot.json");

function rawOf(c: ConfigCase): RawConfig {
    const raw: Record<string, string | undefined> = c.base === "none" ? {} : { ...stackFileConfig(c.base) };
    for (const [k, v] of Object.entries(c.overrides)) {
        if (v === undefined) delete raw[k];
        else raw[k] = v;
    }
    return raw;
}

/** The parsed config as JSON holds it (unset optionals vanish), or the error's lines; any other error fails. */
function outcome(c: ConfigCase): unknown {
    try {
        return { config: JSON.parse(JSON.stringify(parseStackConfig(rawOf(c), c.stack))) };
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return { error: e.message.split("\n") };
    }
}

describe("parseStackConfig snapshot (behaviour kept across refactors)", () => {
    const actual: Record<string, unknown> = {};
    for (const [name, c] of [...Object.entries(ACCEPTED), ...Object.entries(REJECTED)]) actual[name] = outcome(c);

    if (process.env.CONFIG_SNAPSHOT === "write") {
        fs.writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
        return;
    }
    const expected = JSON.parse(fs.readFileSync(SNAPSHOT, "utf8")) as Record<string, unknown>;

    it("pins the same cases the snapshot holds", () => {
        assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
    });
    for (const name of Object.keys(ACCEPTED))
        it(`accepts ${name}, to the same config`, () => assert.deepEqual(actual[name], expected[name]));
    for (const name of Object.keys(REJECTED))
        it(`fails when ${name}, with the same message`, () => assert.deepEqual(actual[name], expected[name]));
});
