/**
 * Destructive commands ask first (`db:rollback --all`, `db:seed --replace`, `local --reset`): they print what they are
 * about to destroy (host, port, database, rows) and go on only on `--yes` or a typed "yes" at a terminal. With no
 * terminal and no `--yes` they refuse, so a script cannot destroy data by accident.
 */
import * as readline from "readline";
import { Client } from "pg";
import { UsageError } from "./cli";
import { clientConfig } from "./local/connect";

export interface DestructiveTarget {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    /** Rows per app table; undefined when they could not be read (say why in `note`). */
    readonly rows?: Readonly<Record<string, number>>;
    readonly note?: string;
}

export interface ConfirmOptions {
    /** `--yes` was given. */
    readonly yes: boolean;
    /** Whether there is a terminal to ask on (process.stdin.isTTY). */
    readonly interactive: boolean;
    /** Asks a question and resolves with the answer; defaults to a readline prompt on stdin/stdout. */
    readonly ask?: (question: string) => Promise<string>;
    readonly print?: (line: string) => void;
}

/** Pure: the target in one line: where, and how many rows each table holds. */
export function describeTarget(t: DestructiveTarget): string {
    const rows = t.rows
        ? Object.entries(t.rows)
              .map(([table, n]) => `${table} ${n.toLocaleString("en")}`)
              .join(", ")
        : undefined;
    return `${t.host}:${t.port}/${t.database}${rows ? `, rows: ${rows}` : ""}${t.note ? ` (${t.note})` : ""}`;
}

/** Pure: whether an answer confirms. */
export const confirms = (answer: string) => /^(y|yes)$/i.test(answer.trim());

function readlineAsk(question: string): Promise<string> {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    return new Promise((resolve) =>
        rl.question(question, (answer) => {
            rl.close();
            resolve(answer);
        }),
    );
}

/** Prints the target; resolves when confirmed, throws a UsageError (nothing changed) otherwise. */
export async function confirmDestructive(action: string, target: DestructiveTarget, o: ConfirmOptions): Promise<void> {
    const print = o.print ?? ((line: string) => console.log(line));
    print(`${action} on ${describeTarget(target)}`);
    if (o.yes) return;
    if (!o.interactive)
        throw new UsageError(`refusing to ${action} without confirmation: no terminal to ask on; add --yes to confirm`);
    const answer = await (o.ask ?? readlineAsk)(`Type yes to ${action}: `);
    if (!confirms(answer)) throw new UsageError(`not confirmed (answer "${answer.trim()}"): nothing changed`);
}

/**
 * Rows per app table (partitions summed): counted exactly by a superuser; otherwise (row-level security hides them
 * from the migrator) estimated from the planner's and the statistics' counts, which VACUUM ANALYZE makes exact.
 */
export async function liveRows(url: string): Promise<DestructiveTarget> {
    const u = new URL(url);
    const base = { host: u.hostname, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.slice(1)) };
    const client = new Client(clientConfig(url));
    await client.connect();
    try {
        const [{ exact }] = (await client.query("SELECT rolsuper AS exact FROM pg_roles WHERE rolname = current_user"))
            .rows;
        // A plain table counts itself; a partitioned one the sum of its leaf partitions.
        const { rows } =
            await client.query(`SELECT format('%I.%I', ns.nspname, c.relname) AS qualified, c.relname AS name,
            (SELECT coalesce(sum(greatest(p.reltuples, s.n_live_tup, 0)), 0)
               FROM (SELECT relid FROM pg_partition_tree(c.oid) WHERE isleaf UNION ALL SELECT c.oid WHERE c.relkind = 'r') t
               JOIN pg_class p ON p.oid = t.relid LEFT JOIN pg_stat_user_tables s ON s.relid = t.relid)::bigint AS n
            FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
            WHERE ns.nspname = 'app' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 2`);
        if (rows.length === 0) return { ...base, note: "no app tables" };
        const counted: Record<string, number> = {};
        for (const r of rows)
            counted[r.name] = exact
                ? Number((await client.query(`SELECT count(*) AS n FROM ${r.qualified}`)).rows[0].n)
                : Number(r.n);
        return { ...base, rows: counted, note: exact ? undefined : "estimated from statistics" };
    } finally {
        await client.end();
    }
}
