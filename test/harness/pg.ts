/** Real-server test helpers: throwaway clusters (scripts/lib/local/throwaway.ts) and condition polling. */
export { committedStack, databaseWithRoles, throwawayCluster } from "../../scripts/lib/local/throwaway";
export type { RoleDatabase as TestDatabase, ThrowawayOptions } from "../../scripts/lib/local/throwaway";

/** Polls `check` until it returns a value, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor<T>(
    what: string,
    check: () => Promise<T | undefined> | T | undefined,
    timeoutMs = 15000,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
