/** Runs pgbench with a custom script and reads its per-transaction log: tps and latency percentiles. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PG_BIN, run } from "../exec";

export interface PgbenchResult {
    readonly clients: number;
    readonly tps: number;
    readonly transactions: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
    /** Set when pgbench could not run (e.g. more connections than the server allows). */
    readonly error?: string;
    /** Every transaction's latency in ms, sorted (to merge interleaved runs). */
    readonly latenciesMs?: readonly number[];
}

/** Pure: one result from several runs of the same script (their transactions pooled, tps over the total time). */
export function mergeResults(runs: readonly PgbenchResult[], seconds: number): PgbenchResult {
    const failed = runs.find((r) => r.error);
    if (failed) return failed;
    const latencies = runs.flatMap((r) => r.latenciesMs ?? []).sort((a, b) => a - b);
    return {
        clients: runs[0].clients,
        tps: latencies.length / seconds,
        transactions: latencies.length,
        p50Ms: quantile(latencies, 0.5),
        p95Ms: quantile(latencies, 0.95),
        p99Ms: quantile(latencies, 0.99),
    };
}

/** Pure: the q-quantile of sorted numbers. */
export function quantile(sorted: readonly number[], q: number): number {
    if (sorted.length === 0) return NaN;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
}

export interface PgbenchOptions {
    readonly conninfo: string;
    readonly password: string;
    readonly script: string;
    readonly clients: number;
    readonly seconds: number;
    /** Run this many transactions per client instead of `seconds` (quick runs). */
    readonly transactions?: number;
    readonly connectPerTransaction: boolean;
    readonly variables?: Record<string, string | number>;
}

/** Pure: pgbench's arguments for a script file, logging each transaction under `logPrefix`. */
export function pgbenchArgs(o: PgbenchOptions, scriptFile: string, logPrefix: string, cpus: number): string[] {
    const args = ["-n", "-f", scriptFile, "-c", String(o.clients), "-j", String(Math.min(o.clients, cpus))];
    args.push(...(o.transactions ? ["-t", String(o.transactions)] : ["-T", String(o.seconds)]));
    args.push("--log", `--log-prefix=${logPrefix}`);
    if (o.connectPerTransaction) args.push("-C");
    for (const [k, v] of Object.entries(o.variables ?? {})) args.push("-D", `${k}=${v}`);
    return args;
}

/** Pure: a refused run, with the server's reason (e.g. "too many connections for role ...") rather than pgbench's command line. */
export function refusedRun(clients: number, errorText: string): PgbenchResult {
    const message =
        /FATAL:\s*(.+)/.exec(errorText)?.[1] ?? /error:\s*(.+)/.exec(errorText)?.[1] ?? errorText.slice(0, 200);
    return { clients, tps: NaN, transactions: 0, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, error: message.trim() };
}

/** Every transaction's latency in ms from pgbench's per-transaction logs in `dir`, sorted. */
function readLatencies(dir: string): number[] {
    const latencies: number[] = [];
    for (const f of fs.readdirSync(dir).filter((f) => f.startsWith("tx"))) {
        for (const line of fs.readFileSync(path.join(dir, f), "utf8").split("\n")) {
            const fields = line.split(" ");
            if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
        }
    }
    return latencies.sort((a, b) => a - b);
}

export async function pgbench(o: PgbenchOptions): Promise<PgbenchResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-pgbench-"));
    try {
        const scriptFile = path.join(dir, "script.sql");
        fs.writeFileSync(scriptFile, o.script);
        const args = pgbenchArgs(o, scriptFile, path.join(dir, "tx"), os.cpus().length);
        let out: string;
        try {
            out = await run(path.join(PG_BIN, "pgbench"), [...args, o.conninfo], {
                env: { ...process.env, PGPASSWORD: o.password },
            });
        } catch (error) {
            return refusedRun(o.clients, String((error as Error).message));
        }
        const latencies = readLatencies(dir);
        return {
            clients: o.clients,
            tps: Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN),
            transactions: latencies.length,
            p50Ms: quantile(latencies, 0.5),
            p95Ms: quantile(latencies, 0.95),
            p99Ms: quantile(latencies, 0.99),
            latenciesMs: latencies,
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
