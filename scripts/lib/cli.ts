/**
 * What every command-line script shares: strict flag parsing (an unknown or malformed flag is a one-line error),
 * progress lines with timings, a summary table, and a top-level handler that prints one line instead of a stack
 * trace (set DEBUG=1 for the trace).
 */
import { parseArgs, type ParseArgsConfig } from "util";
import { explainError } from "./errors";

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/**
 * Flags npm took for itself: `npm run status --json` (no `--`) gives npm the flag, which sets npm_config_json and
 * passes nothing on. Pure: the first such flag of `options`, or undefined.
 */
export function flagTakenByNpm(
    argv: readonly string[],
    options: Readonly<Record<string, unknown>>,
    env: NodeJS.ProcessEnv,
): string | undefined {
    if (!env.npm_lifecycle_event) return undefined;
    // npm_config_yes is often set for npx in CI: it says nothing about this command's --yes.
    return Object.keys(options).find((name) => {
        if (name === "yes") return false;
        const value = env[`npm_config_${name.replace(/-/g, "_")}`];
        return (
            value !== undefined && value !== "" && !argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))
        );
    });
}

/** Pure: `--users -5` as `--users=-5`, so the command's own check answers instead of parseArgs' "ambiguous". */
export function joinNegativeValues(
    argv: readonly string[],
    options: Readonly<Record<string, { type: string }>>,
): string[] {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].startsWith("--") ? argv[i].slice(2) : undefined;
        if (name && options[name]?.type === "string" && /^-\d/.test(argv[i + 1] ?? ""))
            out.push(`${argv[i]}=${argv[++i]}`);
        else out.push(argv[i]);
    }
    return out;
}

/** Parses argv strictly; turns node's parse errors into a UsageError naming the usage line. */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
    argv: string[],
    options: T,
    usage: string,
) {
    const swallowed = flagTakenByNpm(argv, options, process.env);
    if (swallowed)
        throw new UsageError(
            `npm took --${swallowed} for itself and did not pass it on: use npm run ${process.env.npm_lifecycle_event} -- --${swallowed}`,
        );
    try {
        return parseArgs({ args: joinNegativeValues(argv, options), options, strict: true, allowPositionals: true });
    } catch (error) {
        throw new UsageError(
            `${(error as Error).message.split("\n")[0].replace(/\. To specify.*$/, "")}. Usage: ${usage}`,
        );
    }
}

/** Prints `name: <one line>` for a failure and exits: 2 (or `usageExit`) for usage errors, 1 otherwise. */
function fail(name: string, error: unknown, usageExit: number): never {
    if (process.env.DEBUG) console.error(error);
    console.error(`${name}: ${explainError(error)}`);
    process.exit(error instanceof UsageError ? usageExit : 1);
}

/**
 * Runs a script's main function: one-line errors (scripts/lib/errors.ts), exit 2 for usage errors and 1 for failures;
 * a number it returns is the exit code. Errors outside the promise (a pg client's "error" event when its server is
 * killed) take the same path.
 */
export function main(name: string, fn: () => Promise<unknown>, options: { usageExit?: number } = {}): void {
    const usageExit = options.usageExit ?? 2;
    process.on("uncaughtException", (error) => fail(name, error, usageExit));
    process.on("unhandledRejection", (error) => fail(name, error, usageExit));
    fn().then(
        (code) => process.exit(typeof code === "number" ? code : 0),
        (error: Error) => fail(name, error, usageExit),
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
