/**
 * What every command-line script shares: strict flag parsing (an unknown or malformed flag is a one-line error),
 * progress lines with timings, a summary table, and a top-level handler that prints one line instead of a stack
 * trace (set DEBUG=1 for the trace).
 */
import { parseArgs, type ParseArgsConfig } from "util";

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Parses argv strictly; turns node's parse errors into a UsageError naming the usage line. */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
    argv: string[],
    options: T,
    usage: string,
) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    } catch (error) {
        throw new UsageError(
            `${(error as Error).message.split("\n")[0].replace(/\. To specify.*$/, "")}. Usage: ${usage}`,
        );
    }
}

/** Runs a script's main function: one-line errors, exit 2 for usage errors and 1 for failures. */
export function main(name: string, fn: () => Promise<void>): void {
    fn().then(
        () => process.exit(0),
        (error: Error) => {
            if (process.env.DEBUG) console.error(error);
            const first = String(error?.message ?? error).split("\n")[0];
            console.error(`${name}: ${first}`);
            process.exit(error instanceof UsageError ? 2 : 1);
        },
    );
}

/** Prints a step, runs it, and prints how long it took. */
export async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    process.stdout.write(`  - ${label} ... `);
    try {
        const result = await fn();
        process.stdout.write(`done (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        return result;
    } catch (error) {
        process.stdout.write("failed\n");
        throw error;
    }
}

/** A plain-text table: columns padded to the widest cell. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => (c ?? "").padEnd(widths[i]))
            .join("  ")
            .trimEnd();
    return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Validates a libpq URL (postgres:// or postgresql://) and returns it; a one-line error otherwise. */
export function databaseUrl(value: string | undefined, source: string): string {
    if (!value)
        throw new UsageError(
            `${source} is not set; run \`npm run local\` or set DATABASE_URL=postgres://user:password@host:port/db`,
        );
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new UsageError(`${source} is not a URL (expected postgres://user:password@host:port/database)`);
    }
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
        throw new UsageError(`${source} must start with postgres:// or postgresql://, got ${url.protocol}//`);
    if (!url.hostname) throw new UsageError(`${source} has no host`);
    if (url.pathname.length <= 1) throw new UsageError(`${source} names no database (…/database at the end)`);
    return value;
}
