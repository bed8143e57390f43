/**
 * `npm run local -- --status`: one line each for PostgreSQL and PgBouncer, each from its own process, so a dead
 * PgBouncer beside a running server (or the reverse) shows. `npm run status` has the full picture.
 */
import { openLocalCluster } from "./localCluster";
import { readState } from "./localEnv";
import { localPgbouncer } from "./pgbouncerAdmin";

/** Pure: the two lines. */
export function localStatusLines(
    state: { clusterRoot?: string; port?: number },
    running: boolean,
    bouncer: { state: string; where?: string },
): string[] {
    if (!state.clusterRoot) return ["local: stopped (no local environment: npm run local starts one)"];
    const pg = `local: ${running ? `running on localhost:${state.port}` : "stopped"} (${state.clusterRoot})`;
    if (bouncer.state === "absent") return [pg];
    const up = bouncer.state === "up";
    const problem = running !== up ? `; npm run local ${running ? "restarts it" : "starts both"}` : "";
    return [pg, `local: PgBouncer ${up ? "answering" : "not answering"} on ${bouncer.where}${problem}`];
}

export async function localStatus(): Promise<void> {
    const state = readState();
    const running = state.clusterRoot ? await (await openLocalCluster()).isRunning() : false;
    const bouncer = state.clusterRoot ? await localPgbouncer() : { state: "absent" };
    for (const line of localStatusLines(state, running, bouncer)) console.log(line);
}
