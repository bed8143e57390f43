/**
 * Parameter-group policies: what the server enforces for every connection (TLS, SCRAM), what it records (slow
 * queries, autovacuum, pgaudit), and the timeouts that stop a stuck session from holding locks. Values must lie in
 * sane ranges, not merely be present: log_min_duration_statement = 0 logs everything and -1 nothing.
 */
import * as aws from "@pulumi/aws";
import {
    type ReportViolation,
    type ResourceValidation,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { parameterMap } from "./lib";

type Parameters = ReturnType<typeof parameterMap>;

/**
 * A check of the parameters, run on an RDS instance's parameter group and on an Aurora cluster's cluster parameter
 * group, which carries every parameter these policies read. An Aurora instance's own group carries only what is
 * sized per instance: there the policies do not apply.
 */
function onParameters(
    check: (p: Parameters, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation[] {
    return [
        validateResourceOfType(aws.rds.ParameterGroup, (pg, args, report) => {
            if (String(pg.family).startsWith("aurora-"))
                args.notApplicable("an Aurora instance's group: the cluster parameter group carries this");
            check(parameterMap(pg.parameters), args, report);
        }),
        validateResourceOfType(aws.rds.ClusterParameterGroup, (pg, args, report) =>
            check(parameterMap(pg.parameters), args, report),
        ),
    ];
}

export const paramsForceSsl: ResourceValidationPolicy = {
    name: "params-force-ssl",
    description: "The server refuses connections without TLS (rds.force_ssl = 1).",
    severity: "critical",
    validateResource: onParameters((p, _args, report) => {
        const v = p.get("rds.force_ssl")?.value;
        if (v !== "1") report(`rds.force_ssl is ${v ?? "unset"}; 1 required.`);
    }),
};

export const paramsTlsMinimum: ResourceValidationPolicy = {
    name: "params-tls-minimum",
    description: "Clients must speak TLS 1.2 or newer.",
    severity: "high",
    validateResource: onParameters((p, _args, report) => {
        const v = p.get("ssl_min_protocol_version")?.value;
        if (v !== "TLSv1.2" && v !== "TLSv1.3")
            report(`ssl_min_protocol_version is ${v ?? "unset"}; TLSv1.2 or TLSv1.3 required.`);
    }),
};

export const paramsScramOnly: ResourceValidationPolicy = {
    name: "params-scram-only",
    description: "Passwords are stored and checked as SCRAM-SHA-256 only; md5 is refused.",
    severity: "high",
    validateResource: onParameters((p, _args, report) => {
        const enc = p.get("password_encryption")?.value;
        const accepted = p.get("rds.accepted_password_auth_method")?.value;
        if (enc !== "scram-sha-256") report(`password_encryption is ${enc ?? "unset"}; scram-sha-256 required.`);
        if (accepted !== "scram")
            report(`rds.accepted_password_auth_method is ${accepted ?? "unset (md5+scram)"}; scram required.`);
    }),
};

export const paramsPreloadLibraries: ResourceValidationPolicy = {
    name: "params-preload-libraries",
    description:
        "The server preloads pg_stat_statements and pgaudit, applied at the next reboot (the parameter is static).",
    severity: "high",
    configSchema: {
        properties: {
            required: { type: "array", items: { type: "string" }, default: ["pg_stat_statements", "pgaudit"] },
        },
    },
    validateResource: onParameters((p, args, report) => {
        const { required } = args.getConfig<{ required: string[] }>();
        const preload = p.get("shared_preload_libraries");
        const libs = (preload?.value ?? "").split(",").map((l) => l.trim());
        const missing = required.filter((l) => !libs.includes(l));
        if (missing.length > 0) report(`shared_preload_libraries lacks ${missing.join(", ")}.`);
        if (preload && preload.applyMethod !== "pending-reboot")
            report(
                `shared_preload_libraries has applyMethod ${preload.applyMethod ?? "immediate"}; pending-reboot required (a static parameter).`,
            );
    }),
};

/** Reports a numeric parameter missing or outside [min, max]. */
function inRange(
    p: ReturnType<typeof parameterMap>,
    name: string,
    min: number,
    max: number,
    unit: string,
    report: (m: string) => void,
): void {
    const raw = p.get(name)?.value;
    const v = Number(raw);
    if (raw === undefined || !Number.isFinite(v) || v < min || v > max)
        report(`${name} is ${raw ?? "unset"}; between ${min} and ${max} ${unit} required.`);
}

export const paramsSlowQueryLogging: ResourceValidationPolicy = {
    name: "params-slow-query-logging",
    description: "Slow statements are logged, with a threshold that neither floods the log nor hides real problems.",
    severity: "medium",
    configSchema: {
        properties: {
            minMs: { type: "integer", minimum: 1, default: 100 },
            maxMs: { type: "integer", minimum: 1, default: 5000 },
        },
    },
    validateResource: onParameters((p, args, report) => {
        const { minMs, maxMs } = args.getConfig<{ minMs: number; maxMs: number }>();
        inRange(p, "log_min_duration_statement", minMs, maxMs, "ms", report);
    }),
};

export const paramsAutovacuum: ResourceValidationPolicy = {
    name: "params-autovacuum",
    description: "Autovacuum runs often enough for hot tables and logs its slow runs.",
    severity: "medium",
    configSchema: {
        properties: {
            maxLogMs: { type: "integer", minimum: 0, default: 10000 },
            maxScaleFactor: { type: "number", minimum: 0, maximum: 1, default: 0.1 },
        },
    },
    validateResource: onParameters((p, args, report) => {
        const { maxLogMs, maxScaleFactor } = args.getConfig<{ maxLogMs: number; maxScaleFactor: number }>();
        if (["0", "off", "false"].includes(p.get("autovacuum")?.value ?? "")) report("autovacuum must not be off.");
        inRange(p, "log_autovacuum_min_duration", 0, maxLogMs, "ms", report);
        inRange(p, "autovacuum_vacuum_scale_factor", 0.001, maxScaleFactor, "(fraction of rows)", report);
    }),
};

export const paramsAuditLogging: ResourceValidationPolicy = {
    name: "params-audit-logging",
    description: "The pgaudit extension records DDL and role changes.",
    severity: "high",
    configSchema: { properties: { classes: { type: "array", items: { type: "string" }, default: ["ddl", "role"] } } },
    validateResource: onParameters((p, args, report) => {
        const { classes } = args.getConfig<{ classes: string[] }>();
        const logged = (p.get("pgaudit.log")?.value ?? "").split(",").map((c) => c.trim().toLowerCase());
        const missing = classes.filter((c) => !logged.includes(c) && !logged.includes("all"));
        if (missing.length > 0) report(`pgaudit.log lacks ${missing.join(", ")}.`);
    }),
};

export const paramsTimeouts: ResourceValidationPolicy = {
    name: "params-timeouts",
    description: "Sessions idle in a transaction and runaway statements are ended by the server.",
    severity: "high",
    configSchema: {
        properties: {
            maxIdleInTransactionMs: { type: "integer", minimum: 1, default: 300000 },
            maxStatementMs: { type: "integer", minimum: 1, default: 300000 },
        },
    },
    validateResource: onParameters((p, args, report) => {
        const { maxIdleInTransactionMs, maxStatementMs } = args.getConfig<{
            maxIdleInTransactionMs: number;
            maxStatementMs: number;
        }>();
        inRange(p, "idle_in_transaction_session_timeout", 1, maxIdleInTransactionMs, "ms", report);
        inRange(p, "statement_timeout", 1, maxStatementMs, "ms", report);
    }),
};

export const parameterPolicies = [
    paramsForceSsl,
    paramsTlsMinimum,
    paramsScramOnly,
    paramsPreloadLibraries,
    paramsSlowQueryLogging,
    paramsAutovacuum,
    paramsAuditLogging,
    paramsTimeouts,
];
