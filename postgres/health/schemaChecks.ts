/**
 * Health checks of what the platform itself declares: partitions premade as pg_partman's premake asks, nothing in
 * the default partitions, pg_cron jobs succeeding, role settings as the role model declares them, no large objects.
 * The monitor role reads user data nowhere: what it cannot see directly comes from the health-check functions
 * (sql/migrations/*_health_check_functions.sql).
 */
import { INSTANCE_CLASSES } from "../instanceClasses";
import { roleModel } from "../roles/model";
import { declaredRoleSettings } from "../roles/sql";
import { type Check, rows } from "./types";

export const partitionsPremade: Check = async ({ db }) => {
    const parts = await rows(
        db,
        `SELECT p.oid::regclass::text AS parent, pm.premake,
        count(*) FILTER (WHERE substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \\(''([^'']+)')::timestamptz > now())::int AS ahead
        FROM pg_class p JOIN pg_inherits i ON i.inhparent = p.oid JOIN pg_class c ON c.oid = i.inhrelid
        LEFT JOIN app.partition_premake() pm ON pm.parent_table = p.oid::regclass::text
        WHERE p.relkind = 'p' AND p.relnamespace IN (SELECT oid FROM pg_namespace WHERE nspname IN ('app', 'audit'))
        GROUP BY 1, 2 ORDER BY 1`,
    );
    // One month of slack: right after a month starts, the hourly maintenance may not have made the next one yet.
    const short = parts.filter((p) => p.ahead < (p.premake ?? 1) - 1);
    const behind = parts.filter((p) => p.ahead < (p.premake ?? 1));
    const fewest = Math.min(...parts.map((p) => p.ahead), Infinity);
    return {
        check: "partitions premade ahead",
        status: short.length > 0 ? "fail" : behind.length > 0 ? "warn" : "ok",
        value: parts.map((p) => `${p.parent} ${p.ahead}/${p.premake ?? "?"}`).join(", ") || "no partitioned tables",
        threshold: "pg_partman's premake future months (fail more than one month short)",
        metric: { name: "PartitionsPremadeAhead", value: Number.isFinite(fewest) ? fewest : 0 },
    };
};

export const defaultPartitions: Check = async ({ db }) => {
    const parts = await rows(db, "SELECT parent_table, partition_table, row_count FROM app.default_partition_rows()");
    const holding = parts.filter((p) => Number(p.row_count) > 0);
    const total = holding.reduce((n, p) => n + Number(p.row_count), 0);
    return {
        check: "default partitions empty",
        status: holding.length > 0 ? "fail" : "ok",
        value:
            holding.length > 0
                ? holding.map((p) => `${p.partition_table} ${p.row_count >= 1000 ? "1000+" : p.row_count}`).join(", ")
                : `${parts.length} default partitions empty`,
        threshold: "no rows: rows outside the premade months stop pg_partman's maintenance of that table",
        metric: { name: "DefaultPartitionRows", value: total },
    };
};

export const cronJobs: Check = async ({ db }) => {
    const jobs = await rows(db, "SELECT * FROM app.cron_job_runs()");
    const failing = jobs.filter((j) => Number(j.failures_since_success) > 0);
    return {
        check: "pg_cron jobs",
        status: failing.length > 0 ? "fail" : "ok",
        value:
            failing.length > 0
                ? failing.map((j) => `${j.jobname}: ${j.failures_since_success} failed run(s)`).join("; ")
                : `${jobs.length} jobs, no failure since their last success`,
        threshold: "no failed run since the job's last success",
        detail: failing.length > 0 ? `last error: ${failing[0].last_failure_message}` : undefined,
        metric: { name: "CronJobsFailing", value: failing.length },
    };
};

/** pg_db_role_setting's `name=value`, compared without quoting or spaces (providers quote search_path entries). */
const normalize = (value: string) => value.replace(/"/g, "").replace(/,\s*/g, ",");

/** Pure: the differences between the declared settings of each role and what the catalog holds. */
export function roleSettingDrift(
    declared: Readonly<Record<string, Readonly<Record<string, string>>>>,
    actual: ReadonlyArray<{ readonly role: string; readonly scope: string; readonly setting: string }>,
): string[] {
    const out: string[] = [];
    for (const [role, settings] of Object.entries(declared)) {
        const mine = actual.filter((a) => a.role === role);
        for (const a of mine) {
            const [name, ...rest] = a.setting.split("=");
            const want = a.scope === "all databases" ? settings[name] : undefined;
            if (want === undefined || normalize(want) !== normalize(rest.join("=")))
                out.push(`${role}: ${a.setting}${a.scope === "all databases" ? "" : ` (in ${a.scope})`}`);
        }
        for (const [name, value] of Object.entries(settings))
            if (!mine.some((a) => a.scope === "all databases" && a.setting.split("=")[0] === name))
                out.push(`${role}: ${name} unset (declared ${value})`);
    }
    return out.sort();
}

export const roleSettings: Check = async ({ db }) => {
    const [{ database }] = await rows(db, "SELECT current_database() AS database");
    // Role settings do not depend on the instance class (a unit test holds this); any class gives them.
    const model = roleModel(database, [...INSTANCE_CLASSES.keys()][0]);
    const declared = Object.fromEntries(model.roles.map((r) => [r.name, declaredRoleSettings(r.settings)]));
    const actual = await rows(
        db,
        `SELECT r.rolname AS role, CASE WHEN s.setdatabase = 0 THEN 'all databases' ELSE d.datname END AS scope, c AS setting
           FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase,
                unnest(s.setconfig) c
          WHERE r.rolname = ANY($1) AND (s.setdatabase = 0 OR d.datname = current_database())`,
        [Object.keys(declared)],
    );
    const drift = roleSettingDrift(declared, actual as never);
    return {
        check: "role settings",
        status: drift.length > 0 ? "fail" : "ok",
        value: drift.length > 0 ? drift.join("; ") : `${model.roles.length} roles as the role model declares`,
        threshold: "pg_db_role_setting equals the role model (a role can ALTER ROLE itself SET ...)",
        metric: { name: "RoleSettingDrift", value: drift.length },
    };
};

export const largeObjects: Check = async ({ db }) => {
    const lo = await rows(
        db,
        "SELECT pg_get_userbyid(lomowner) AS owner, count(*)::int AS n FROM pg_largeobject_metadata GROUP BY 1 ORDER BY 1",
    );
    return {
        check: "large objects",
        status: lo.length > 0 ? "fail" : "ok",
        value: lo.length > 0 ? lo.map((l) => `${l.n} owned by ${l.owner}`).join(", ") : "none",
        threshold: "none: the schema stores no large objects (on RDS any role can still create them)",
    };
};
