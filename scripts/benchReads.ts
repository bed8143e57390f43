/**
 * `npm run bench:reads [-- --clients N] [--seconds N] [--users N] [--quick] [--record]`: read throughput through
 * PgBouncer with 0, 1 and 2 streaming standbys (scripts/lib/bench/reads.ts). Writes bench/results/tmp/reads.json
 * and .md, or with --record the committed bench/results/reads.*.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, parseFlags, UsageError } from "./lib/cli";
import { benchReads, readsMarkdown } from "./lib/bench/reads";
import { REPO } from "./lib/local/localEnv";

const USAGE = "npm run bench:reads [-- --clients N] [--seconds N] [--users N] [--quick] [--record]";

function int(name: string, v: string | undefined, d: number, max: number): number {
    if (v === undefined) return d;
    if (!/^\d+$/.test(v) || Number(v) < 2 || Number(v) > max)
        throw new UsageError(`--${name} must be a whole number from 2 to ${max}, got ${v}`);
    return Number(v);
}

const machine = () =>
    `${os.cpus().length} vCPU (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, PostgreSQL 15 and PgBouncer 1.18 (Debian)`;

main("bench:reads", async () => {
    const { values, positionals } = parseFlags(
        process.argv.slice(2),
        {
            clients: { type: "string" },
            seconds: { type: "string" },
            users: { type: "string" },
            quick: { type: "boolean" },
            record: { type: "boolean" },
        },
        USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
    const quick = Boolean(values.quick);
    // The readonly role may hold 17 connections per server on the dev class: 16 clients fill one standby's share.
    const clients = int("clients", values.clients, quick ? 4 : 16, 16);
    const seconds = int("seconds", values.seconds, quick ? 2 : 30, 600);
    const users = int("users", values.users, quick ? 50 : 2000, 1_000_000);
    console.log(`bench reads: ${clients} clients x ${seconds} s per run, 0, 1 and 2 standbys, ${users} users`);
    const r = await benchReads({ users, clients, seconds, fsync: !quick, progress: (l) => console.log(l) });
    const md = readsMarkdown(r, { machine: machine(), date: new Date().toISOString().slice(0, 10), seconds, users });
    const dir = path.join(REPO, "bench", "results", values.record ? "" : "tmp");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
        path.join(dir, "reads.json"),
        `${JSON.stringify({ date: new Date().toISOString(), seconds, users, ...r }, null, 2)}\n`,
    );
    fs.writeFileSync(path.join(dir, "reads.md"), md);
    console.log(`\n${md}\nbench reads: results in ${path.relative(REPO, path.join(dir, "reads.md"))} and .json`);
});
