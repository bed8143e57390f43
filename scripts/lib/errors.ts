/**
 * One line for every failure a command can meet at the edges: a stopped, reset or killed server, a bad URL, a missing
 * CA file, a tool that failed. Pure: the error in, the line out, naming what happened and what to do. No stack trace,
 * no tool command line (they hold URLs with passwords).
 */

/** What a failed child process left (scripts/lib/exec.ts CommandError), without depending on it. */
interface ToolFailure {
    readonly name: "CommandError";
    readonly command: string;
    readonly stderr: string;
    readonly stdout: string;
}

type ErrorLike = Error & {
    code?: string;
    errno?: number;
    address?: string;
    port?: number;
    hostname?: string;
    path?: string;
    syscall?: string;
    severity?: string;
};

const START_LOCAL =
    "for the local environment run npm run local (npm run local -- --status shows its state), else check DATABASE_URL";

const CONNECTION_LOST =
    /Connection terminated|server closed the connection|terminating connection due to administrator command|ECONNRESET|EPIPE|Client has encountered a connection error and is not queryable/;

const TLS =
    /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|certificate has expired|does not match certificate's altnames|Hostname\/IP does not match|The server does not support SSL connections/;

/** Pure: the line for a refused connection. */
function refused(where: string): string {
    return `cannot connect to ${where}: connection refused, no server is listening there; ${START_LOCAL}`;
}

/** Pure: what a tool's stderr says, translated where it is a connection problem; never its command line. */
function toolLine(e: ToolFailure): string {
    const tool = (e.command.split(" ").find((w) => /(dbmate|pgbackrest|pg_dump|psql|pgbouncer|tar)/.test(w)) ?? "")
        .split("/")
        .pop()
        ?.replace(/\.js$/, "")
        .replace(/^cli$/, "dbmate");
    const text = `${e.stderr}\n${e.stdout}`;
    const dial = /dial tcp ([^:\s]+:\d+): connect: connection refused/.exec(text);
    if (dial) return refused(dial[1]);
    const lookup = /dial tcp: lookup ([^\s:]+)/.exec(text);
    if (lookup) return `host ${lookup[1]} not found: check the host in DATABASE_URL`;
    const lines = text
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !/^(Usage|Options|Flags):/.test(l));
    const said = lines.find((l) => /^(Error|ERROR|error|FATAL|fatal)\b|\bERROR: \[\d+\]/.test(l)) ?? lines[0] ?? "";
    return `${tool || "a tool"} failed: ${redactUrls(said.replace(/^Error: /, "")) || "no output"}`;
}

/** Pure: a text with any URL's password replaced. */
export function redactUrls(text: string): string {
    return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi, "$1[redacted]@");
}

/** Pure: one line naming what happened and what to do. */
export function explainError(error: unknown): string {
    if (error && typeof error === "object" && (error as ToolFailure).name === "CommandError")
        return toolLine(error as ToolFailure);
    const e = (error ?? {}) as ErrorLike;
    const message = String(e.message ?? error ?? "unknown error");
    // The commands' own messages (usage, refusals) are already one line naming what to do.
    if (e.name === "UsageError") return message.split("\n")[0];
    if (e.code === "ECONNREFUSED") return refused(e.address ? `${e.address}:${e.port}` : "the server");
    if (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN")
        return `host ${e.hostname ?? "?"} not found: check the host in DATABASE_URL`;
    if (e.code === "ETIMEDOUT" || /timeout expired|Connection terminated due to connection timeout/.test(message))
        return `connecting timed out: check the host and port, and that the network lets you reach it (VPN, security group); ${START_LOCAL}`;
    if (e.code === "ENOENT" && e.path && /\.(crt|pem)$/.test(e.path))
        return `the CA file ${e.path} does not exist: the local environment was reset or never started (run npm run local), or sslrootcert in DATABASE_URL names the wrong file`;
    if (e.code === "28P01")
        return `${message}: check the password in DATABASE_URL (the local environment's URLs are in .local/connections.json)`;
    if (e.code === "3D000") return `${message}: check the database name at the end of DATABASE_URL`;
    if (e.code === "28000") return `${message}: check the user in DATABASE_URL`;
    if (e.code === "57P01" || e.code === "57P02" || e.code === "57P03" || CONNECTION_LOST.test(message))
        return `the server went away during the command (stopped, killed or restarting): ${START_LOCAL}, then run the command again`;
    if (e.code === "53300") return `${message}: every connection slot is in use; npm run status shows who holds them`;
    if (TLS.test(message) || (e.code ?? "").startsWith("ERR_TLS"))
        return `TLS verification failed (${message}): connect with sslmode=verify-full and sslrootcert=<the server's CA file>`;
    return redactUrls(message.split("\n")[0]);
}
