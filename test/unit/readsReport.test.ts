/** The read-throughput report: each standby count against the primary, and what a shared machine cannot show. */
import { strict as assert } from "assert";
import { readsMarkdown } from "../../scripts/lib/bench/reads";

describe("read throughput report", () => {
    const point = (standbys: number, tps: number, databases: string[]) => ({
        standbys,
        databases,
        clients: 16,
        tps,
        transactions: tps * 60,
        p50Ms: 10,
        p95Ms: 25,
        p99Ms: 40,
    });

    it("states each point against the primary, with the databases the clients used", () => {
        const md = readsMarkdown(
            {
                instanceClass: "db.t4g.medium",
                points: [
                    point(0, 1000, ["metacortex"]),
                    point(1, 1100, ["metacortex_ro"]),
                    point(2, 900, ["metacortex_standby1", "metacortex_standby2"]),
                ],
            },
            { machine: "2 vCPU", date: "2026-11-26", seconds: 30, users: 2000 },
        );
        const rows = md.split("\n").filter((l) => /^\| (0|1|2)\b/.test(l));
        assert.deepEqual(
            rows.map((r) => r.split(" | ").slice(0, 5)),
            [
                ["| 0 (the primary)", "metacortex", "16", "1000", "1.00x"],
                ["| 1", "metacortex_ro", "16", "1100", "1.10x"],
                ["| 2", "metacortex_standby1, metacortex_standby2", "16", "900", "0.90x"],
            ],
        );
        assert.match(md, /share the same vCPUs here, so a standby adds no CPU/);
    });
});
