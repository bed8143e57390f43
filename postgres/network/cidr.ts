/**
 * CIDR checks for the database's allowed client ranges. The database must never be reachable from the whole
 * internet, so `0.0.0.0/0`, `::/0` and anything nearly as wide are refused, not merely warned about.
 */

/** Widest IPv4 prefix accepted (a /8, the size of 10.0.0.0/8). */
export const MIN_IPV4_PREFIX = 8;
/** Widest IPv6 prefix accepted (a /32, a typical whole-organisation allocation). */
export const MIN_IPV6_PREFIX = 32;

export type CidrCheck = { ok: true; family: 4 | 6; prefix: number } | { ok: false; reason: string };

function ipv4(text: string): boolean {
    const parts = text.split(".");
    return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function ipv6(text: string): boolean {
    if (!/^[0-9a-f:]+$/i.test(text) || text.includes(":::") || text.split("::").length > 2) return false;
    if (/^:[^:]/.test(text) || /[^:]:$/.test(text)) return false; // a lone leading or trailing colon
    const groups = text.split(":").filter((g) => g !== "");
    const compressed = text.includes("::");
    return groups.every((g) => g.length <= 4) && (compressed ? groups.length < 8 : groups.length === 8);
}

/** Checks one CIDR: well-formed, and no wider than MIN_IPV4_PREFIX / MIN_IPV6_PREFIX. */
export function checkCidr(cidr: string): CidrCheck {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
    if (!m) return { ok: false, reason: "not in address/prefix form" };
    const [, address, prefixText] = m;
    const prefix = Number(prefixText);
    const family = ipv4(address) ? 4 : ipv6(address) ? 6 : undefined;
    if (!family) return { ok: false, reason: "not an IPv4 or IPv6 address" };
    const max = family === 4 ? 32 : 128;
    const min = family === 4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX;
    if (prefix > max) return { ok: false, reason: `prefix longer than /${max}` };
    if (prefix < min)
        return { ok: false, reason: `wider than /${min}: the database must not be reachable from the internet` };
    return { ok: true, family, prefix };
}
