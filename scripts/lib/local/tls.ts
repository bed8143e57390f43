/**
 * A private CA and a server certificate made with openssl, for the local cluster and the tests' clusters.
 * Clients verify the server against ca.crt with sslmode=verify-full (host name in the certificate's SAN).
 */
import * as fs from "fs";
import * as path from "path";
import { run } from "../exec";

export interface TlsFiles {
    readonly caCert: string;
    readonly caKey: string;
    readonly serverCert: string;
    readonly serverKey: string;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** Whether the files exist and the server certificate is valid for 30 more days. */
async function stillValid(files: TlsFiles): Promise<boolean> {
    if (!Object.values(files).every((f) => fs.existsSync(f))) return false;
    try {
        await run("openssl", ["x509", "-checkend", String(30 * 86400), "-noout", "-in", files.serverCert]);
        return true;
    } catch {
        return false; // expires within 30 days
    }
}

/** A self-signed CA, valid 10 years, that may only sign certificates. */
async function makeCa(files: TlsFiles): Promise<void> {
    await run("openssl", [
        ...["req", "-x509", ...EC_KEY, "-keyout", files.caKey, "-out", files.caCert, "-days", "3650"],
        ...["-subj", "/O=MetaCortex/CN=MetaCortex local CA"],
        ...["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ]);
}

/** A server certificate signed by the CA, with every host name and IP in its SAN (verify-full checks them). */
async function makeServerCert(dir: string, files: TlsFiles, hostnames: readonly string[], ips: readonly string[]) {
    const csr = path.join(dir, "server.csr");
    const ext = path.join(dir, "server.ext");
    await run("openssl", [
        "req",
        ...EC_KEY,
        "-keyout",
        files.serverKey,
        "-out",
        csr,
        "-subj",
        `/O=MetaCortex/CN=${hostnames[0]}`,
    ]);
    const san = [...hostnames.map((h) => `DNS:${h}`), ...ips.map((ip) => `IP:${ip}`)].join(",");
    fs.writeFileSync(
        ext,
        `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    );
    await run("openssl", [
        ...["x509", "-req", "-in", csr, "-CA", files.caCert, "-CAkey", files.caKey, "-CAcreateserial"],
        ...["-out", files.serverCert, "-days", "825", "-extfile", ext],
    ]);
    fs.rmSync(csr);
    fs.rmSync(ext);
}

/** A CA that signs server certificates: a primary's, for its standbys. */
export type CaFiles = Pick<TlsFiles, "caCert" | "caKey">;

/**
 * A server certificate in `dir` signed by an existing CA (a standby's, by its primary's CA, so clients trust both with
 * one ca.crt), with a copy of the CA certificate next to it. Kept while valid for 30 more days and signed by that CA.
 */
export async function ensureServerTls(
    dir: string,
    ca: CaFiles,
    hostnames: readonly string[],
    ips: readonly string[],
): Promise<TlsFiles> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files: TlsFiles = {
        caCert: path.join(dir, "ca.crt"),
        caKey: ca.caKey,
        serverCert: path.join(dir, "server.crt"),
        serverKey: path.join(dir, "server.key"),
    };
    const sameCa =
        fs.existsSync(files.caCert) && fs.readFileSync(files.caCert, "utf8") === fs.readFileSync(ca.caCert, "utf8");
    if (sameCa && (await stillValid(files))) return files;
    fs.copyFileSync(ca.caCert, files.caCert);
    await makeServerCert(dir, files, hostnames, ips);
    fs.chmodSync(files.serverKey, 0o600);
    return files;
}

/** Creates (or keeps, if present and valid for 30 more days) a CA and a server certificate in `dir`. */
export async function ensureTls(
    dir: string,
    hostnames: readonly string[] = ["localhost"],
    ips: readonly string[] = ["127.0.0.1", "::1"],
): Promise<TlsFiles> {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files: TlsFiles = {
        caCert: path.join(dir, "ca.crt"),
        caKey: path.join(dir, "ca.key"),
        serverCert: path.join(dir, "server.crt"),
        serverKey: path.join(dir, "server.key"),
    };
    if (await stillValid(files)) return files;
    await makeCa(files);
    await makeServerCert(dir, files, hostnames, ips);
    for (const key of [files.caKey, files.serverKey]) fs.chmodSync(key, 0o600);
    return files;
}
