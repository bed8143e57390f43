/**
 * The support bundle: pieces collected from the target, secrets taken out of every one, written to a directory and
 * packed into one tar.gz (owner-only). README.txt says what each file is and how many secrets each lost.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../exec";
import { readConnections, readSecrets } from "../local/localEnv";
import { REDACTED, redact } from "./redact";

/** Every secret value the bundle must not contain: generated secrets, and the passwords of every known URL. */
export function knownSecrets(extraUrls: readonly (string | undefined)[] = []): string[] {
    const urls = [...Object.values(readConnections()?.urls ?? {}), ...extraUrls].filter((u): u is string => !!u);
    const fromUrls = urls.flatMap((u) => {
        try {
            return [decodeURIComponent(new URL(u).password)];
        } catch {
            return [];
        }
    });
    return [...new Set([...Object.values(readSecrets()), ...fromUrls].filter((s) => s && s !== REDACTED))];
}

/** Pure: README.txt, listing each file with its size and how many secrets were replaced in it. */
export function readme(title: string, files: ReadonlyArray<{ name: string; bytes: number; replaced: number }>): string {
    return [
        title,
        "",
        "Secrets were replaced with [redacted]: every password, passphrase and URL credential of the environment, and",
        "anything shaped like one (SCRAM verifiers, md5 hashes, password= and PASSWORD '...').",
        "",
        ...files.map((f) => `${f.name.padEnd(28)} ${String(f.bytes).padStart(8)} bytes, ${f.replaced} redacted`),
        "",
    ].join("\n");
}

/** Writes the redacted pieces under a directory named `name` and packs it into `out` (tar.gz, mode 0600). */
export async function writeBundle(
    out: string,
    name: string,
    title: string,
    pieces: Readonly<Record<string, string>>,
    secrets: readonly string[],
): Promise<{ files: number; replaced: number; bytes: number }> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-report-"));
    try {
        const dir = path.join(work, name);
        const listed: Array<{ name: string; bytes: number; replaced: number }> = [];
        for (const [file, text] of Object.entries(pieces)) {
            const clean = redact(text, secrets);
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), clean.text, { mode: 0o600 });
            listed.push({ name: file, bytes: Buffer.byteLength(clean.text), replaced: clean.replaced });
        }
        fs.writeFileSync(path.join(dir, "README.txt"), readme(title, listed), { mode: 0o600 });
        fs.mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });
        await run("tar", ["-czf", out, "-C", work, name]);
        fs.chmodSync(out, 0o600);
        return {
            files: listed.length + 1,
            replaced: listed.reduce((a, f) => a + f.replaced, 0),
            bytes: fs.statSync(out).size,
        };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
