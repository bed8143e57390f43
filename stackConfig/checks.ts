/**
 * The checks the key table applies to single values: each is defined here once, with the words its errors and
 * docs/config.md use. Version and image rules live in the domain core (postgres/versions.ts), because the components
 * that receive those values check them too.
 */
import { INSTANCE_CLASSES } from "../postgres/instanceClasses";
import { checkCidr, MIN_IPV4_PREFIX, MIN_IPV6_PREFIX } from "../postgres/network/cidr";
import { MIN_WINDOW_MINUTES, parseDailyWindow, parseWeeklyWindow } from "../postgres/network/windows";
import { ENGINE_VERSION, PGBOUNCER_IMAGE, POSTGRES_IMAGE } from "../postgres/versions";
import { type Check, matches } from "./schema";
import type { RestoreConfig } from "./types";

/** Database names PostgreSQL or RDS keep for themselves. */
export const RESERVED_DATABASES = ["postgres", "template0", "template1", "rdsadmin"];

export const DATABASE_NAME: Check = {
    problem: (name) =>
        /^[a-z][a-z0-9_]{0,62}$/.test(name) && !RESERVED_DATABASES.includes(name)
            ? undefined
            : "lower-case letters, digits and _ (starting with a letter, at most 63), not a reserved database",
    doc: `lower-case letters, digits and _, starting with a letter, at most 63; not ${RESERVED_DATABASES.join(", ")}`,
};

const families = [...new Set([...INSTANCE_CLASSES.keys()].map((name) => name.split(".")[1]))];
export const INSTANCE_CLASS: Check = {
    problem: (name) => (INSTANCE_CLASSES.has(name) ? undefined : `one of ${[...INSTANCE_CLASSES.keys()].join(", ")}`),
    doc: `a class listed in \`postgres/instanceClasses.ts\` (${families.join(", ")})`,
};

export const ENGINE = matches(ENGINE_VERSION.pattern, ENGINE_VERSION.allowed);
export const DOCKER_IMAGE = matches(POSTGRES_IMAGE.pattern, POSTGRES_IMAGE.allowed);
export const BOUNCER_IMAGE = matches(PGBOUNCER_IMAGE.pattern, PGBOUNCER_IMAGE.allowed);

/** A window that parses and lasts at least the RDS minimum. */
function windowCheck(parse: (text: string) => { length: number } | undefined, format: string): Check {
    const allowed = `${format} in UTC, at least ${MIN_WINDOW_MINUTES} minutes`;
    return {
        problem: (text) => ((parse(text)?.length ?? 0) >= MIN_WINDOW_MINUTES ? undefined : allowed),
        doc: allowed,
    };
}
export const DAILY_WINDOW = windowCheck(parseDailyWindow, "hh24:mi-hh24:mi");
export const WEEKLY_WINDOW = windowCheck(parseWeeklyWindow, "ddd:hh24:mi-ddd:hh24:mi");

/** AWS resource ids: a prefix and 8 to 17 hex digits. */
const awsId = (prefix: string, allowed: string) => matches(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), allowed);
export const VPC_ID = awsId("vpc", "a VPC id, vpc-<8 to 17 hex digits>");
export const SUBNET_ID = awsId("subnet", "subnet-<8 to 17 hex digits>");
export const SECURITY_GROUP_ID = awsId("sg", "sg-<8 to 17 hex digits>");

export const CLIENT_CIDR: Check = {
    problem: (cidr) => {
        const check = checkCidr(cidr);
        return check.ok ? undefined : `a private client range: ${check.reason}`;
    },
    doc: `a CIDR no wider than /${MIN_IPV4_PREFIX} (IPv4) or /${MIN_IPV6_PREFIX} (IPv6), so never the internet`,
};

/** Any path; the file is read when the program runs. */
export const FILE_PATH: Check = { problem: () => undefined, doc: "a file path" };
export const EMAIL = matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address");
export const HOST_NAME = matches(/^[a-zA-Z0-9.-]{1,253}$/, "a host name (it must match the server certificate)");
export const AWS_REGION = matches(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region name, e.g. eu-central-1");
export const NAMESPACE = matches(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a Kubernetes namespace name (DNS label)");

/** AWS tag limits. */
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
/** Whether AWS refuses a tag key: empty, too long, or in the reserved aws: namespace. */
export const badTagKey = (key: string) => key.length === 0 || key.length > TAG_KEY_MAX || /^aws:/i.test(key);

/** An RDS DB instance identifier. */
export const isRdsIdentifier = (id: string) => /^[a-z][a-z0-9-]{0,62}$/.test(id);
/** An ISO 8601 UTC time to the minute or second that is a real date, or `latest`. */
export const isRestoreTime = (time: string) =>
    time === "latest" || (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/.test(time) && !Number.isNaN(Date.parse(time)));

export const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
export const isStringMap = (v: unknown): v is Record<string, string> =>
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === "string");
export const isRestore = (v: unknown): v is RestoreConfig =>
    typeof v === "object" &&
    v !== null &&
    typeof (v as RestoreConfig).sourceInstance === "string" &&
    typeof (v as RestoreConfig).pointInTime === "string";
