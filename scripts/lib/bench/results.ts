/**
 * Where benchmark results go. Committed results (bench/results/) change only on a deliberate run with `--record`;
 * every other run writes to bench/results/tmp/ (git-ignored) and says so, so a quick try on a laptop never replaces
 * the figures the docs quote.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "../repo";

export interface SuiteOutput {
    /** Written as <suite>.json, with the Markdown as <suite>.md; a suite without JSON writes only `files`. */
    readonly json?: unknown;
    /** Printed at the end of the run. */
    readonly markdown: string;
    /** Extra files by name, e.g. { "queries.svg": "<svg ..." }. */
    readonly files?: Readonly<Record<string, string>>;
}

export const COMMITTED_DIR = path.join(REPO, "bench", "results");
export const SCRATCH_DIR = path.join(COMMITTED_DIR, "tmp");

/** Pure: the directory a run writes to. */
export function resultsDir(record: boolean): string {
    return record ? COMMITTED_DIR : SCRATCH_DIR;
}

/** Writes a suite's results; returns the files written, relative to the repository root. */
export function writeResults(suite: string, record: boolean, out: SuiteOutput): string[] {
    const dir = resultsDir(record);
    fs.mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = { ...out.files };
    if (out.json !== undefined) {
        files[`${suite}.json`] = `${JSON.stringify(out.json, null, 2)}\n`;
        files[`${suite}.md`] = out.markdown;
    }
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    return Object.keys(files).map((name) => path.relative(REPO, path.join(dir, name)));
}

/** Pure: the line that tells where results went, and how to commit them when they were not recorded. */
export function whereLine(suite: string, record: boolean, files: readonly string[]): string {
    return record
        ? `bench ${suite}: recorded ${files.join(", ")} (commit them with the docs that quote them)`
        : `bench ${suite}: results in ${files.join(", ")} (scratch, git-ignored; rerun with --record to replace the committed ones)`;
}

export function machineDescription(): string {
    return `${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, PostgreSQL 15 (Debian)`;
}

export const today = () => new Date().toISOString().slice(0, 10);
