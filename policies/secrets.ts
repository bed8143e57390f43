/**
 * Credential policies across every resource type: no trust authentication anywhere (pg_hba.conf, the postgres
 * image's environment, PgBouncer's auth_type), and no password in plain text in any resource input.
 *
 * The engine hands policies secret values already decrypted, so "plain text" is judged by form, not by the secret
 * flag: a SCRAM verifier, an ARN or a file path is fine; anything else in a password-named input is a violation,
 * except where a cleartext secret is the whole point (a Secrets Manager version, a Kubernetes Secret, a file mounted
 * under /run/secrets, the admin provider's connection), listed in `exempt` with the reason.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { carriedFiles, hbaLines, pgbouncerInis } from "./lib";

export const noTrustAuth: ResourceValidationPolicy = {
    name: "no-trust-auth",
    description: "No PostgreSQL or PgBouncer authentication is trust (or cleartext password).",
    severity: "critical",
    validateResource: (args, report) => {
        let applicable = false;
        for (const line of hbaLines(args.props)) {
            applicable = true;
            const method = line
                .split(/\s+/)
                .find((t) =>
                    [
                        "trust",
                        "password",
                        "md5",
                        "scram-sha-256",
                        "cert",
                        "reject",
                        "peer",
                        "ident",
                        "gss",
                        "sspi",
                        "ldap",
                        "radius",
                        "pam",
                        "bsd",
                    ].includes(t),
                );
            if (method === "trust" || method === "password") report(`pg_hba.conf line "${line}" uses ${method}.`);
        }
        for (const { name, ini } of pgbouncerInis(args.props)) {
            applicable = true;
            const type = ini.pgbouncer?.auth_type ?? "md5";
            if (["trust", "any", "plain"].includes(type))
                report(`${name}: auth_type is ${type}; scram-sha-256 required.`);
        }
        const envs: string[] = Array.isArray(args.props.envs) ? args.props.envs : [];
        for (const env of envs) {
            applicable = true;
            if (/^POSTGRES_HOST_AUTH_METHOD=trust$/.test(env))
                report("POSTGRES_HOST_AUTH_METHOD=trust lets anyone in without a password.");
            if (/^POSTGRES_INITDB_ARGS=.*--auth(-host|-local)?=trust\b/.test(env))
                report(`${env.split("=")[0]} makes initdb write trust authentication.`);
        }
        if (!applicable) args.notApplicable("no authentication settings");
    },
};

const PASSWORD_KEY = /(passw(or)?d|passwd|secret_?key|api_?key|token)$/i;
const SAFE_VALUE = [/^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/, /^arn:aws[a-z-]*:/, /^\//];

/** Pure: the input paths of `props` that hold a plaintext password, with what was found (never the value). */
export function plaintextPasswords(props: Record<string, any>): string[] {
    const found: string[] = [];
    const walk = (value: unknown, path: string, key: string) => {
        if (Array.isArray(value)) {
            for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`, key);
            return;
        }
        if (value && typeof value === "object") {
            const o = value as Record<string, unknown>;
            // A Kubernetes env var: { name, value } (valueFrom is a reference, fine).
            if (
                typeof o.name === "string" &&
                /^[A-Z][A-Z0-9_]*$/.test(o.name) &&
                typeof o.value === "string" &&
                /PASSWORD|SECRET|TOKEN/.test(o.name) &&
                !o.name.endsWith("_FILE") &&
                o.value !== ""
            )
                found.push(`${path} (env ${o.name})`);
            for (const [k, v] of Object.entries(o)) walk(v, path ? `${path}.${k}` : k, k);
            return;
        }
        if (typeof value !== "string" || value === "") return;
        if (PASSWORD_KEY.test(key) && !SAFE_VALUE.some((re) => re.test(value))) found.push(path);
        // KEY=value environment strings (Docker envs); KEY_FILE points to a file and is fine.
        const env = /^([A-Z0-9_]*(PASSWORD|SECRET|TOKEN)[A-Z0-9_]*)=(.+)$/.exec(value);
        if (env && !env[1].endsWith("_FILE")) found.push(`${path} (env ${env[1]})`);
    };
    walk(props, "", "");
    for (const f of carriedFiles(props)) {
        if (/^\/run\/secrets\//.test(f.name)) continue;
        if (/(^|\/)userlist\.txt$/.test(f.name)) {
            for (const line of f.content.split("\n").filter((l) => l.trim() !== "")) {
                const m = /^"([^"]*)"\s+"([^"]*)"/.exec(line.trim());
                if (!m || !SAFE_VALUE[0].test(m[2]))
                    found.push(`${f.name} (user ${m?.[1] ?? "?"}: not a SCRAM verifier)`);
            }
        } else if (/(^|[\s;])password\s*=\s*[^\s;'"]/i.test(f.content)) {
            found.push(`${f.name} (password= in the file)`);
        }
    }
    return found;
}

export const noPlaintextPasswords: ResourceValidationPolicy = {
    name: "no-plaintext-passwords",
    description:
        "No resource input holds a password in plain text: SCRAM verifiers, Secrets Manager ARNs or mounted files only.",
    severity: "critical",
    configSchema: {
        properties: {
            exempt: {
                type: "array",
                items: { type: "string" },
                description:
                    "Resource types whose inputs are a secret store or must hold the credential (each with its reason in README).",
                default: [
                    "aws:secretsmanager/secretVersion:SecretVersion",
                    "kubernetes:core/v1:Secret",
                    "pulumi:providers:postgresql",
                ],
            },
        },
    },
    validateResource: (args, report) => {
        const { exempt } = args.getConfig<{ exempt: string[] }>();
        // A secret store still must not hold a plaintext PgBouncer userlist: check its files, not its fields.
        const findings = exempt.includes(args.type)
            ? plaintextPasswords({ data: args.props.data, stringData: args.props.stringData }).filter((f) =>
                  f.includes("userlist"),
              )
            : plaintextPasswords(args.props);
        for (const f of findings)
            report(
                `${f} holds a plaintext password; use a SCRAM verifier, a Secrets Manager ARN or a file under /run/secrets.`,
            );
    },
};

export const secretPolicies = [noTrustAuth, noPlaintextPasswords];
