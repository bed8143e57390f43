/** The database instance section: name, class, version, storage, availability, backups and windows. */
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "../../postgres/network/windows";
import { POSTGRES_MAJOR } from "../../postgres/versions";
import * as c from "../checks";
import type { Reader } from "../read";
import { boolean, integer, perEnv, row, ruleWith, text } from "../schema";
import type { StackConfig } from "../types";

const MIN_STORAGE_GIB = 20; // gp3 minimum on RDS
const MAX_STORAGE_GIB = 65536;
/** Without maxAllocatedStorageGiB, storage may autoscale to this many times the initial size. */
const STORAGE_AUTOSCALE_FACTOR = 5;

export const INSTANCE_KEYS = {
    databaseName: row({
        doc: "the application database",
        type: text(c.DATABASE_NAME),
        default: "metacortex",
    }),
    instanceClass: row({
        doc:
            "RDS class; memory and connection settings, pool sizes and alarm thresholds are computed from it. " +
            "Docker and local are sized as this class",
        type: text(c.INSTANCE_CLASS),
        default: perEnv("db.t4g.medium", "db.r6g.large"),
    }),
    engineVersion: row({
        doc:
            `\`${POSTGRES_MAJOR}\` lets RDS apply minor upgrades in the maintenance window without Pulumi ` +
            `trying to "downgrade"; \`${POSTGRES_MAJOR}.N\` pins`,
        type: text(c.ENGINE),
        default: `${POSTGRES_MAJOR}`,
    }),
    allocatedStorageGiB: row({
        doc: "initial gp3 storage",
        type: integer(MIN_STORAGE_GIB, MAX_STORAGE_GIB, { unit: "GiB" }),
        default: perEnv(20, 100),
    }),
    maxAllocatedStorageGiB: row({
        doc: "storage autoscaling ceiling",
        type: integer(MIN_STORAGE_GIB, MAX_STORAGE_GIB, { unit: "GiB" }),
        default: { computed: `${STORAGE_AUTOSCALE_FACTOR} x \`allocatedStorageGiB\`, at most the maximum` },
        rules: {
            aboveAllocated: ruleWith(
                "more than `allocatedStorageGiB`, so storage can autoscale",
                (allocated) => `more than allocatedStorageGiB (${allocated}), so storage can autoscale`,
            ),
        },
    }),
    multiAz: row({
        doc: "synchronous standby in a second AZ",
        type: boolean(),
        default: perEnv(false, true),
        rules: { prod: "true in prod" },
    }),
    deletionProtection: row({
        doc: "refuse API deletes",
        type: boolean(),
        default: perEnv(false, true),
        rules: { prod: "true in prod" },
    }),
    backupRetentionDays: row({
        doc: "RDS automated backups; point-in-time recovery covers this period",
        type: integer(perEnv(1, 7), 35, { unit: "days" }),
        default: perEnv(7, 14),
    }),
    backupWindow: row({ doc: "daily backup", type: text(c.DAILY_WINDOW), default: "03:00-03:30" }),
    maintenanceWindow: row({
        doc: "minor upgrades, pending-reboot parameters",
        type: text(c.WEEKLY_WINDOW),
        default: "sun:04:00-sun:05:00",
        rules: {
            overlap: ruleWith(
                "must not overlap `backupWindow` on any day",
                (backupWindow) => `must not overlap backupWindow ${backupWindow} on any day`,
            ),
        },
    }),
};

type InstanceReader = Reader<typeof INSTANCE_KEYS>;
type InstanceConfig = Pick<
    StackConfig,
    | "databaseName"
    | "instanceClass"
    | "engineVersion"
    | "allocatedStorageGiB"
    | "maxAllocatedStorageGiB"
    | "multiAz"
    | "deletionProtection"
    | "backupRetentionDays"
    | "backupWindow"
    | "maintenanceWindow"
>;

/** Reads the instance keys; prod requires Multi-AZ and deletion protection. */
export function readInstance(r: InstanceReader): InstanceConfig {
    const databaseName = r.read("databaseName");
    const instanceClass = r.read("instanceClass");
    const engineVersion = r.read("engineVersion");
    const storage = readStorage(r);
    const multiAz = r.read("multiAz");
    if (r.prod && !multiAz) r.breaks("multiAz", "prod", r.raw.multiAz);
    const deletionProtection = r.read("deletionProtection");
    if (r.prod && !deletionProtection) r.breaks("deletionProtection", "prod", r.raw.deletionProtection);
    const backupRetentionDays = r.read("backupRetentionDays");
    return {
        databaseName,
        instanceClass,
        engineVersion,
        ...storage,
        multiAz,
        deletionProtection,
        backupRetentionDays,
        ...readWindows(r),
    };
}

/** Initial storage, and a ceiling above it so that storage can autoscale. */
function readStorage(r: InstanceReader): Pick<StackConfig, "allocatedStorageGiB" | "maxAllocatedStorageGiB"> {
    const allocatedStorageGiB = r.read("allocatedStorageGiB");
    const ceiling = Math.min(allocatedStorageGiB * STORAGE_AUTOSCALE_FACTOR, MAX_STORAGE_GIB);
    const maxAllocatedStorageGiB = r.read("maxAllocatedStorageGiB", ceiling);
    if (r.raw.maxAllocatedStorageGiB !== undefined && maxAllocatedStorageGiB <= allocatedStorageGiB)
        r.breaks("maxAllocatedStorageGiB", "aboveAllocated", r.raw.maxAllocatedStorageGiB, allocatedStorageGiB);
    return { allocatedStorageGiB, maxAllocatedStorageGiB };
}

/** The daily backup and weekly maintenance windows, which RDS requires apart on every day. */
function readWindows(r: InstanceReader): Pick<StackConfig, "backupWindow" | "maintenanceWindow"> {
    const backupWindow = r.read("backupWindow");
    const maintenanceWindow = r.read("maintenanceWindow");
    const bothParse = parseDailyWindow(backupWindow) && parseWeeklyWindow(maintenanceWindow);
    if (bothParse && windowsOverlap(backupWindow, maintenanceWindow))
        r.breaks("maintenanceWindow", "overlap", maintenanceWindow, backupWindow);
    return { backupWindow, maintenanceWindow };
}
