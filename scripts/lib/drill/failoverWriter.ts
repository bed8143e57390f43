/**
 * The failover drill's writers: each commits numbered tasks through PgBouncer as the app role (its tenant set per
 * transaction, as the backend does), one transaction per round trip, and records every commit the server
 * acknowledged, every failure, and every commit whose outcome it cannot know (the connection broke during it).
 */
import * as fs from "fs";
import { Client, type ClientConfig } from "pg";

export interface WriterEvent {
    /** ms since the epoch. */
    readonly at: number;
    readonly writer: number;
    readonly ok: boolean;
    /** The commit's number; a failure before BEGIN reached a server has none. */
    readonly n?: number;
    /** Round trip of a successful commit, ms. */
    readonly latencyMs?: number;
    readonly error?: string;
}

export interface WriterLog {
    readonly events: readonly WriterEvent[];
    /** Numbers whose COMMIT the server acknowledged. */
    readonly acknowledged: readonly number[];
    /** Numbers whose transaction was sent but whose answer never came: committed or not, nobody was told. */
    readonly inDoubt: readonly number[];
}

export interface WriterOptions {
    /** PgBouncer, as the app role, verify-full. */
    readonly connection: ClientConfig;
    /** The tenant the tasks belong to. */
    readonly userId: string;
    readonly writers: number;
    /** Pause after a failure before the next attempt, ms. */
    readonly retryMs: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PgBouncer's answers that mean no server saw the transaction: refused, not in doubt. */
const REFUSED = /server login has been failing|query_wait_timeout|no more connections allowed|pgbouncer cannot connect/;

/**
 * Runs the writers until `stop()` resolves them; numbers are unique across writers (writer + k * writers). `peek()`
 * is the log so far.
 */
export function startWriters(o: WriterOptions): { peek: () => WriterLog; stop: () => Promise<WriterLog> } {
    if (!/^[0-9a-f-]{36}$/.test(o.userId)) throw new Error(`userId ${o.userId} is not a uuid`);
    const events: WriterEvent[] = [];
    const acknowledged: number[] = [];
    const inDoubt: number[] = [];
    let running = true;
    const writer = async (w: number) => {
        let client: Client | undefined;
        for (let k = 0; running; k++) {
            const n = w + k * o.writers;
            const started = Date.now();
            let sent = false;
            try {
                if (!client) {
                    client = new Client({ ...o.connection, connectionTimeoutMillis: 5000 });
                    client.on("error", () => undefined); // a broken connection surfaces on the next query
                    await client.connect();
                }
                sent = true;
                // One simple-protocol round trip: the whole transaction, the tenant bound to it.
                await client.query(
                    `BEGIN; SELECT app.set_tenant('${o.userId}'); INSERT INTO app.tasks (user_id, title) VALUES ('${o.userId}', 'failover-${n}'); COMMIT;`,
                );
                acknowledged.push(n);
                events.push({ at: Date.now(), writer: w, ok: true, n, latencyMs: Date.now() - started });
            } catch (e) {
                const refused = REFUSED.test((e as Error).message);
                if (sent && !refused) inDoubt.push(n);
                events.push({
                    at: Date.now(),
                    writer: w,
                    ok: false,
                    n: sent ? n : undefined,
                    error: (e as Error).message,
                });
                await client?.end().catch(() => undefined);
                client = undefined;
                await pause(o.retryMs);
            }
        }
        await client?.end().catch(() => undefined);
    };
    const all = Promise.all(Array.from({ length: o.writers }, (_, w) => writer(w)));
    return {
        peek: () => ({ events: [...events], acknowledged: [...acknowledged], inDoubt: [...inDoubt] }),
        stop: async () => {
            running = false;
            await all;
            return { events, acknowledged, inDoubt };
        },
    };
}

/** Client settings for PgBouncer on `port` as `user`, verify-full against the CA file. */
export function bouncerConnection(port: number, user: string, password: string, database: string, caCert: string) {
    return {
        host: "127.0.0.1",
        port,
        user,
        password,
        database,
        ssl: { ca: fs.readFileSync(caCert, "utf8"), rejectUnauthorized: true, servername: "localhost" },
    } satisfies ClientConfig;
}
