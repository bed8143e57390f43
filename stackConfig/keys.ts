/**
 * The key table: one row per stack config key, each section's rows kept next to the section parser that reads them
 * (sections/*.ts). A row gives the key's type and bounds, its default (the same everywhere, per environment or per
 * target), the rules between keys its section parser checks, and one line of doc. The parser's errors and
 * docs/config.md are both rendered from these rows.
 */
import type { KeyTable } from "./schema";
import { ADMIN_KEYS } from "./sections/admin";
import { ALARM_AND_TAG_KEYS } from "./sections/alarms";
import { AURORA_KEYS } from "./sections/aurora";
import { BACKUP_KEYS } from "./sections/backup";
import { DOCKER_KEYS } from "./sections/docker";
import { INSTANCE_KEYS } from "./sections/instance";
import { NETWORK_KEYS } from "./sections/network";
import { POOLING_KEYS } from "./sections/pooling";
import { REPLICA_KEYS } from "./sections/replicas";
import { STACK_KEYS } from "./sections/stack";

/** A group of keys as docs/config.md shows it. */
export interface Section {
    readonly title: string;
    /** Prose under the title, if any. */
    readonly intro?: string;
    readonly keys: KeyTable;
}

/** The sections in the order keys are read, listed in errors, and documented. */
export const SECTIONS: readonly Section[] = [
    { title: "Stack", keys: STACK_KEYS },
    { title: "Database instance", keys: INSTANCE_KEYS },
    {
        title: "Engine: RDS or Aurora (target `aws`)",
        intro:
            "`engine: aurora` builds an Aurora PostgreSQL 15 cluster instead of the RDS instance: the same settings " +
            "source (split into a cluster and an instance parameter group), roles, backups, monitoring, pooling and " +
            "policies. The instance keys above apply to it (class, version, deletion protection, backups, windows), " +
            "except the RDS-only ones, which are refused. docs/aurora.md compares the two engines.",
        keys: AURORA_KEYS,
    },
    { title: "Network (target `aws`)", keys: NETWORK_KEYS },
    { title: "Alarms and tags", keys: ALARM_AND_TAG_KEYS },
    { title: "Docker (target `docker`)", keys: DOCKER_KEYS },
    {
        title: "Role management",
        intro: "How `pulumi up` connects to the database to manage roles, grants and extensions.",
        keys: ADMIN_KEYS,
    },
    { title: "Backup and recovery (target `aws`)", keys: BACKUP_KEYS },
    { title: "Connection pooling", keys: POOLING_KEYS },
    {
        title: "Read replicas",
        intro:
            "Replicas in the stack's region serve reads through PgBouncer's read database; the DR replica waits in " +
            "another region to be promoted (target `aws`). `readReplicas` also sets the local standbys (target `docker`).",
        keys: REPLICA_KEYS,
    },
];

/** Every row, by key. */
export const KEYS = {
    ...STACK_KEYS,
    ...INSTANCE_KEYS,
    ...AURORA_KEYS,
    ...NETWORK_KEYS,
    ...ALARM_AND_TAG_KEYS,
    ...DOCKER_KEYS,
    ...ADMIN_KEYS,
    ...BACKUP_KEYS,
    ...POOLING_KEYS,
    ...REPLICA_KEYS,
};

/** A config key this program reads. */
export type ConfigKey = keyof typeof KEYS;

/** The keys this program reads, in table order; any other key under the project namespace is a typo and is refused. */
export const CONFIG_KEYS = Object.keys(KEYS) as readonly ConfigKey[];
