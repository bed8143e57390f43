/**
 * Helpers shared by the policies: reading values out of resource inputs the same way whether the engine or the
 * offline runner (scripts/policy.ts) supplies them. Pure; no Pulumi engine needed.
 */

/** A customer-managed KMS key by ARN. An alias (alias/aws/rds is AWS-managed) or a bare key id cannot be proven CMK. */
export function isKeyArn(value: unknown): boolean {
    return typeof value === "string" && /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/.test(value);
}

/** Whether an aws.rds.Instance is a read replica (it names a source to replicate). */
export function isReadReplica(db: { replicateSourceDb?: unknown }): boolean {
    return typeof db.replicateSourceDb === "string" && db.replicateSourceDb !== "";
}

/** The region an ARN names (`arn:aws:kms:eu-west-1:...` -> `eu-west-1`); undefined for anything else. */
export function arnRegion(value: unknown): string | undefined {
    if (typeof value !== "string") return undefined;
    return /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(-gov)?-[a-z]+-\d):/.exec(value)?.[1];
}

/** The parameters of an aws.rds.ParameterGroup as name -> { value, applyMethod }. */
export function parameterMap(parameters: unknown): Map<string, { value: string; applyMethod?: string }> {
    const map = new Map<string, { value: string; applyMethod?: string }>();
    for (const p of Array.isArray(parameters) ? parameters : []) {
        if (p && typeof p.name === "string") map.set(p.name, { value: String(p.value), applyMethod: p.applyMethod });
    }
    return map;
}

/** Pure: an ini file (pgbouncer.ini) as section -> key -> value. Comments (; or #) and blank lines are skipped. */
export function parseIni(text: string): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    let section = "";
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith(";") || line.startsWith("#")) continue;
        const header = /^\[(.+)\]$/.exec(line);
        if (header) {
            section = header[1].trim();
            out[section] ??= {};
            continue;
        }
        const eq = line.indexOf("=");
        if (eq < 0) continue;
        out[section] ??= {};
        out[section][line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    return out;
}

/** A file a resource carries: a Kubernetes ConfigMap/Secret key or a Docker container upload. */
export interface CarriedFile {
    readonly name: string;
    readonly content: string;
}

/**
 * The files in a ConfigMap's or Secret's data/stringData, or a docker.Container's uploads, whose names match `wanted`.
 * Only those files' contents are read: at a first preview the others (a TLS key, a generated password) are unknown, and
 * the policy SDK throws on reading an unknown value, which would stop the policy for a file it does not judge.
 */
export function carriedFiles(props: Record<string, any>, wanted: RegExp = /./): CarriedFile[] {
    const files: CarriedFile[] = [];
    for (const bag of [props.data, props.stringData]) {
        if (bag && typeof bag === "object") {
            for (const name of Object.keys(bag).filter((n) => wanted.test(n))) {
                const content = bag[name];
                if (typeof content === "string") files.push({ name, content });
            }
        }
    }
    for (const u of Array.isArray(props.uploads) ? props.uploads : []) {
        if (u && typeof u.file === "string" && wanted.test(u.file) && typeof u.content === "string")
            files.push({ name: u.file, content: u.content });
    }
    return files;
}

/** The pgbouncer.ini files a resource carries, parsed. */
export function pgbouncerInis(
    props: Record<string, any>,
): { name: string; ini: Record<string, Record<string, string>> }[] {
    return carriedFiles(props, /(^|\/)pgbouncer\.ini$/).map((f) => ({ name: f.name, ini: parseIni(f.content) }));
}

/** The pg_hba.conf files a resource carries, as their non-comment lines. */
export function hbaLines(props: Record<string, any>): string[] {
    return carriedFiles(props, /(^|\/)pg_hba\.conf$/).flatMap((f) =>
        f.content
            .split("\n")
            .map((l) => l.replace(/#.*$/, "").trim())
            .filter((l) => l !== ""),
    );
}

/** A `name = value` setting in a postgresql.conf a resource carries, or undefined. */
export function confSetting(props: Record<string, any>, name: string): string | undefined {
    for (const f of carriedFiles(props, /(^|\/)postgresql\.conf$/)) {
        const m = new RegExp(`^\\s*${name.replace(/\./g, "\\.")}\\s*=\\s*'?([^'#\\s]*)'?`, "m").exec(f.content);
        if (m) return m[1];
    }
    return undefined;
}

/** True when a Kubernetes Deployment or Docker container runs PgBouncer (by image). */
export function runsPgbouncer(props: Record<string, any>): boolean {
    const images: string[] = [];
    for (const c of props?.spec?.template?.spec?.containers ?? [])
        if (typeof c.image === "string") images.push(c.image);
    return images.some((i) => /pgbouncer/i.test(i));
}
