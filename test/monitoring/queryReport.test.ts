/**
 * `npm run report:queries` on a real server's log: pgBadger parses the log lines the settings make, and the HTML
 * report opens in headless Chromium with the slow statement listed among the slowest. Also an RDS-format log line
 * (RDS's fixed prefix) parsed with --rds.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../../scripts/lib/exec";
import { runScript } from "../harness/cli";
import { throwawayCluster } from "../harness/pg";

const CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/** The DOM Chromium renders for a file, after its scripts ran. */
async function renderedDom(file: string, dir: string): Promise<string> {
    const profile = fs.mkdtempSync(path.join(dir, "chromium-"));
    return run("chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--dump-dom", `file://${file}`], {
        timeout: 60_000,
    });
}

/** Pure: the text of the report's "Slowest individual queries" section. */
function slowestSection(html: string): string {
    const start = html.indexOf('id="slowest-individual-queries"');
    assert.ok(start >= 0, "the report has a slowest-queries section");
    const end = html.indexOf('id="time-consuming-queries"', start);
    return html.slice(start, end > start ? end : start + 200_000).replace(/<[^>]+>/g, " ");
}

describe("query-performance report (pgBadger)", function () {
    this.timeout(180_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "metacortex-report-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("lists a slow statement from the server's log in a report that Chromium renders", async () => {
        const cluster = await throwawayCluster(); // dev settings: statements over 250 ms are logged
        let log: string;
        try {
            await cluster.query("SELECT 'report-probe-slow' AS probe, pg_sleep(0.4)");
            await cluster.query("SELECT 'report-probe-fast' AS probe");
            log = await cluster.currentLogFile();
            const copy = path.join(dir, "postgresql.log");
            fs.copyFileSync(log, copy);
            log = copy;
        } finally {
            await cluster.destroy();
        }
        const out = path.join(dir, "report.html");
        const result = await runScript("reportQueries.ts", ["--log", log, "--out", out]);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /wrote .*report\.html/);
        const dom = await renderedDom(out, dir);
        assert.match(dom, /Slowest individual queries/);
        const slowest = slowestSection(dom);
        assert.match(slowest, /report-probe-slow/);
        assert.doesNotMatch(slowest, /report-probe-fast/, "a fast statement is not logged, so not listed");
    });

    it("parses RDS's log line prefix with --rds", async () => {
        const log = path.join(dir, "postgresql.log.2026-11-26-12");
        fs.writeFileSync(
            log,
            [
                "2026-11-26 12:00:01 UTC:10.0.1.23(52144):metacortex_app@metacortex:[4242]:LOG:  duration: 812.345 ms  statement: SELECT 'rds-probe' FROM app.tasks",
                "2026-11-26 12:00:02 UTC:10.0.1.23(52144):metacortex_app@metacortex:[4242]:LOG:  duration: 640.100 ms  statement: SELECT 'rds-probe-2' FROM app.notes",
                "",
            ].join("\n"),
        );
        const out = path.join(dir, "rds.html");
        const result = await runScript("reportQueries.ts", ["--rds", "--log", log, "--out", out]);
        assert.equal(result.code, 0, result.stderr);
        const slowest = slowestSection(fs.readFileSync(out, "utf8"));
        assert.match(slowest, /812ms/);
        assert.match(slowest, /rds-probe/);
        assert.match(slowest, /metacortex_app/);
    });

    it("says what to do when there is no log to read", async () => {
        const result = await runScript("reportQueries.ts", [], { METACORTEX_LOCAL_DIR: path.join(dir, "none") });
        assert.equal(result.code, 2);
        assert.equal(result.stderr.trim().split("\n").length, 1);
        assert.match(result.stderr, /run `npm run local` first/);
    });
});
