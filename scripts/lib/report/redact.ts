/**
 * Pure: secrets out of a support bundle. Every known secret value (the local environment's generated passwords and
 * passphrase, the passwords in its URLs and in DATABASE_URL) is replaced wherever it appears, and so is anything
 * shaped like a secret whatever its value: a URL's password, `password=` and `cipher-pass=` settings, a SQL
 * `PASSWORD '...'`, SCRAM verifiers and md5 password hashes.
 */

export const REDACTED = "[redacted]";

const SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
    // First, so a verifier in ALTER ROLE ... PASSWORD counts once.
    [/(\bPASSWORD\s+)(E?'(?:[^']|'')*')/gi, `$1'${REDACTED}'`],
    // SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
    [/SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+/g, "[redacted SCRAM verifier]"],
    [/\bmd5[0-9a-f]{32}\b/g, "[redacted md5 hash]"],
    [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']+:)[^@\s"']+@/gi, `$1${REDACTED}@`],
    [
        /(\b(?:password|passwd|pass|cipher-pass|cipher_pass|secret)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi,
        `$1${REDACTED}`,
    ],
];

/** Pure: `text` without `secrets` (exact and URL-encoded) or anything secret-shaped; and how many were replaced. */
export function redact(text: string, secrets: readonly string[]): { text: string; replaced: number } {
    let replaced = 0;
    let out = text;
    const values = [...new Set(secrets.filter((s) => s.length >= 6).flatMap((s) => [s, encodeURIComponent(s)]))];
    // Longest first, so a secret that contains another is replaced whole.
    for (const value of values.sort((a, b) => b.length - a.length)) {
        const parts = out.split(value);
        replaced += parts.length - 1;
        out = parts.join(REDACTED);
    }
    for (const [pattern, replacement] of SHAPES)
        out = out.replace(pattern, (...m) => {
            const whole = m[0] as string;
            const next = whole.replace(new RegExp(pattern.source, pattern.flags.replace("g", "")), replacement);
            if (next !== whole) replaced++;
            return next;
        });
    return { text: out, replaced };
}
