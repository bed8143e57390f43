/**
 * Docker policies (the dev stack): images are pinned to a version, never `latest` or an untagged name, so dev runs
 * the PostgreSQL and PgBouncer builds that were tested; and PostgreSQL containers are TLS-only, as RDS is with
 * rds.force_ssl.
 *
 * What docker-postgres-tls can see: the container's command line and the files it uploads with their content (the
 * rendered postgresql.conf and pg_hba.conf). The policy SDK hands policies secret values already decrypted, so the
 * `[secret]` shown for the uploads in a plan does not hide them; the policy still reads only those two files, never the
 * TLS key or the password files, which are unknown at a first preview (the SDK stops a policy that reads an unknown
 * value, reporting it not run at preview, advisory). The two files are rendered from config, known at preview; were
 * they computed from another resource, the policy would run at `pulumi up`, where every input is known. What it cannot
 * see: a file from a volume, the image or a host path (reported, not passed), postgresql.auto.conf (ALTER SYSTEM) in
 * the data directory, and what the entrypoint does with the files at run time.
 */
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Pure: why an image reference is not pinned, or undefined when it is (a digest, or a tag other than latest). */
export function unpinnedReason(image: string): string | undefined {
    if (/^sha256:[0-9a-f]{64}$/.test(image) || /@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
    const lastSegment = image.split("/").pop() ?? image;
    const tag = lastSegment.includes(":") ? lastSegment.split(":").pop()! : undefined;
    if (tag === undefined) return `${image} has no tag (Docker pulls latest)`;
    if (tag === "latest") return `${image} uses the latest tag`;
    if (!/\d/.test(tag)) return `${image} uses the floating tag ${tag}`;
    return undefined;
}

export const dockerImagePinned: ResourceValidationPolicy = {
    name: "docker-image-pinned",
    description: "Docker images are pinned to a version tag or digest, never latest.",
    severity: "high",
    validateResource: [
        validateResourceOfType(docker.RemoteImage, (img, _args, report) => {
            const reason = unpinnedReason(img.name ?? "");
            if (reason) report(`${reason}; pin a version such as postgres:15.18-bookworm.`);
        }),
        validateResourceOfType(docker.Container, (c, _args, report) => {
            const reason = unpinnedReason(c.image ?? "");
            if (reason) report(`${reason}; pin a version such as postgres:15.18-bookworm.`);
        }),
    ],
};

/** PostgreSQL's spellings of a true boolean (unique prefixes of true and yes, on, 1). */
const TRUE = /^(on|t|tr|tru|true|y|ye|yes|1)$/i;
/** pg_hba connection types that match TCP connections without TLS (host matches both): they may only reject. */
const NON_TLS_TYPES = ["host", "hostnossl", "hostgssenc", "hostnogssenc"];
/** Directives that pull in a file the policy is not given. */
const INCLUDES = ["include", "include_if_exists", "include_dir"];

/** Pure: the `-c name=value` and `--name=value` settings of a postgres command line (names as GUCs: `-` is `_`). */
export function commandSettings(args: readonly string[]): Map<string, string> {
    const settings = new Map<string, string>();
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const pair = arg === "-c" ? args[++i] : /^(?:-c|--)(.+)$/.exec(arg)?.[1];
        const eq = pair?.indexOf("=") ?? -1;
        if (pair !== undefined && eq > 0)
            settings.set(pair.slice(0, eq).replace(/-/g, "_").toLowerCase(), pair.slice(eq + 1));
    }
    return settings;
}

/**
 * Pure: a postgresql.conf as name -> value, the last occurrence winning as in PostgreSQL (`name = value` or
 * `name value`, quoted values unquoted). Include directives come back under their own names, each occurrence kept.
 */
export function confSettings(text: string): { settings: Map<string, string>; includes: string[] } {
    const settings = new Map<string, string>();
    const includes: string[] = [];
    for (const line of text.split("\n")) {
        const m = /^\s*([A-Za-z_][\w.]*)\s*=?\s*('(?:[^']|'')*'|[^\s#]*)/.exec(line);
        if (!m) continue;
        const name = m[1].toLowerCase();
        const value = m[2].startsWith("'") ? m[2].slice(1, -1).replace(/''/g, "'") : m[2];
        if (INCLUDES.includes(name)) includes.push(`${name} '${value}'`);
        else settings.set(name, value);
    }
    return { settings, includes };
}

/** Pure: why each record of a pg_hba.conf breaks TLS-only (a non-TLS type that does not reject, trust, an include). */
export function hbaTlsFindings(file: string, text: string): string[] {
    const found: string[] = [];
    for (const raw of text.split("\n")) {
        const line = raw.replace(/#.*$/, "").trim();
        if (line === "") continue;
        const tokens = line.split(/\s+/);
        const type = tokens[0];
        // Authentication options are name=value; the method is the last token that is not one.
        const method = [...tokens].reverse().find((t) => !t.includes("="));
        if (INCLUDES.includes(type)) found.push(`${file}: "${line}" pulls in a file the policy cannot see.`);
        else if (NON_TLS_TYPES.includes(type) && method !== "reject")
            found.push(
                `${file}: "${line}" admits TCP connections without TLS; hostssl only (${type} may only reject).`,
            );
        else if (!["local", "hostssl", ...NON_TLS_TYPES].includes(type))
            found.push(`${file}: "${line}" has an unknown connection type ${type}.`);
        if (method === "trust")
            found.push(`${file}: "${line}" uses trust; every connection authenticates (scram-sha-256).`);
    }
    return found;
}

/**
 * Pure: why a PostgreSQL container is not TLS-only, from its command line (after the program name) and its uploaded
 * files (`read` gives a file's content, or undefined when no upload carries it). Command-line settings override the
 * file, as in PostgreSQL. A config the policy cannot read is itself a finding: it never passes for want of one.
 */
export function postgresTlsFindings(args: readonly string[], read: (path: string) => string | undefined): string[] {
    const cli = commandSettings(args);
    const configFile = cli.get("config_file");
    if (configFile === undefined)
        return [
            "runs PostgreSQL without -c config_file=...: it reads a postgresql.conf in its data directory, which the policy cannot see; upload the rendered one and point config_file at it.",
        ];
    const conf = read(configFile);
    if (conf === undefined)
        return [
            `config_file ${configFile} is not among the uploads (a volume, the image or a host file the policy cannot see); upload the rendered postgresql.conf.`,
        ];
    const parsed = confSettings(conf);
    const settings = new Map([...parsed.settings, ...cli]);
    const found = parsed.includes.map((i) => `${configFile}: ${i} pulls in settings the policy cannot see.`);
    const where = (name: string) => (cli.has(name) ? "on the command line" : `in ${configFile}`);
    const ssl = settings.get("ssl");
    if (!TRUE.test(ssl ?? "")) found.push(`ssl is ${ssl ?? "unset (off)"} ${where("ssl")}; ssl = on required.`);
    for (const name of ["ssl_cert_file", "ssl_key_file"])
        if (!settings.get(name))
            found.push(`${name} is unset ${where(name)}; point it at the uploaded certificate files.`);
    const hbaFile = settings.get("hba_file");
    const hba = hbaFile ? read(hbaFile) : undefined;
    if (!hbaFile)
        found.push(
            `hba_file is unset in ${configFile}: PostgreSQL reads initdb's pg_hba.conf in the data directory, which the policy cannot see; point it at the uploaded pg_hba.conf.`,
        );
    else if (hba === undefined)
        found.push(
            `hba_file ${hbaFile} is not among the uploads (the policy cannot see it); upload the rendered pg_hba.conf.`,
        );
    else found.push(...hbaTlsFindings(hbaFile, hba));
    return found;
}

/**
 * A value read through the engine's preview proxy, or undefined when it is unknown until the update (the policy SDK
 * throws its UnknownValueError on reading one). Only to tell which containers run PostgreSQL: the checks themselves
 * let the error through, so the engine reports that the policy could not run rather than a pass.
 */
function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (error) {
        if ((error as Error)?.constructor?.name === "UnknownValueError") return undefined;
        throw error;
    }
}

const POSTGRES_IMAGE = /(^|\/)postgres(ql)?(:|@|$)/;
const POSTGRES_ENV = /^POSTGRES_(USER|DB|PASSWORD|PASSWORD_FILE|INITDB_ARGS|HOST_AUTH_METHOD)=/;
const POSTGRES_FILE = /(^|\/)(postgresql\.conf|pg_hba\.conf)$/;

/** The arguments the postgres server gets: the command after `postgres`, or all of it when it starts with an option. */
function serverArgs(command: readonly string[]): string[] | undefined {
    if (command.length === 0) return [];
    if (command[0].startsWith("-")) return [...command];
    return /(^|\/)postgres$/.test(command[0]) ? command.slice(1) : undefined;
}

/**
 * Whether a container runs PostgreSQL, by any of: its command runs `postgres`, the official image's POSTGRES_*
 * environment, an uploaded postgresql.conf or pg_hba.conf, or an image named postgres (the program passes the pulled
 * image's id, so the name is only seen when a container names its image directly).
 */
export function runsPostgres(c: Record<string, any>): boolean {
    const command: string[] = known(() => [...(c.command ?? [])]) ?? [];
    if (command.length > 0 && serverArgs(command) !== undefined) return true;
    const envs: string[] = known(() => [...(c.envs ?? [])]) ?? [];
    const files: string[] = known(() => (c.uploads ?? []).map((u: any) => String(u.file))) ?? [];
    if (envs.some((e) => POSTGRES_ENV.test(e)) || files.some((f) => POSTGRES_FILE.test(f))) return true;
    return POSTGRES_IMAGE.test(known(() => String(c.image ?? "")) ?? "");
}

/** An upload's text by its path in the container; reads no other upload (the TLS key and passwords are secrets). */
function uploadedText(c: Record<string, any>, path: string): string | undefined {
    const upload = (c.uploads ?? []).find((u: any) => u.file === path);
    if (typeof upload?.content === "string") return upload.content;
    if (typeof upload?.contentBase64 === "string") return Buffer.from(upload.contentBase64, "base64").toString("utf8");
    return undefined;
}

export const dockerPostgresTls: ResourceValidationPolicy = {
    name: "docker-postgres-tls",
    description:
        "PostgreSQL containers run with ssl = on and certificate files from an uploaded postgresql.conf, and an uploaded pg_hba.conf admits TCP only as hostssl, never trust.",
    severity: "critical",
    validateResource: validateResourceOfType(docker.Container, (c, args, report) => {
        if (!runsPostgres(c)) args.notApplicable("does not run PostgreSQL");
        const serverArguments = serverArgs(c.command ?? []);
        if (serverArguments === undefined) {
            report(`runs ${c.command![0]} in place of postgres; the policy cannot tell which configuration it uses.`);
            return;
        }
        for (const m of postgresTlsFindings(serverArguments, (path) => uploadedText(c, path))) report(m);
    }),
};

export const dockerPolicies = [dockerImagePinned, dockerPostgresTls];
