/**
 * SCRAM-SHA-256 verifiers computed on the client (RFC 5802/7677, PostgreSQL's stored format), so that
 * `ALTER ROLE ... PASSWORD` never carries a clear-text password that pgaudit's ROLE logging or a statement log
 * could keep. PostgreSQL stores a verifier given in this form as is.
 */
import * as crypto from "crypto";

/** Pure given `salt`: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`. */
export function scramVerifier(password: string, salt: Buffer = crypto.randomBytes(16), iterations = 4096): string {
    // Passwords here are generated ASCII; SASLprep is the identity on them. Refuse anything else rather than guess.
    if (!/^[\x21-\x7e]+$/.test(password))
        throw new Error("scramVerifier takes printable ASCII passwords (generated secrets)");
    const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, "sha256");
    const clientKey = crypto.createHmac("sha256", salted).update("Client Key").digest();
    const storedKey = crypto.createHash("sha256").update(clientKey).digest();
    const serverKey = crypto.createHmac("sha256", salted).update("Server Key").digest();
    return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
