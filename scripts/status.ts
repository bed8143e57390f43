/**
 * `npm run status [-- --json]`: the operator's first command. One screen, read-only, from live state: the server,
 * connections per role, PgBouncer, WAL archiving, backups and the recoverable window, migrations, pg_cron jobs,
 * partition maintenance, replication, and the health checks summarised. DATABASE_URL, or the local environment (as
 * its admin, in a read-only session).
 *
 * Exit codes: 0 healthy, 1 degraded (warnings, or a section that could not be read), 2 failing, 3 unreachable,
 * 64 a usage error.
 */
import { main, parseFlags, UsageError } from "./lib/cli";
import { explainError } from "./lib/errors";
import { collectStatus } from "./lib/status/collect";
import { EXIT_CODES, judge } from "./lib/status/judge";
import { renderStatus, statusJson } from "./lib/status/render";
import { SECTIONS, type StatusReport } from "./lib/status/types";
import { resolveTarget, type Target } from "./lib/target";

const USAGE = "npm run status [-- --json]   (DATABASE_URL, or the local environment)";

/** The target, or the report of a target that cannot be reached (no local environment, an unusable URL). */
function target(): Target | StatusReport {
    try {
        return resolveTarget("admin");
    } catch (error) {
        const source = process.env.DATABASE_URL !== undefined ? "DATABASE_URL" : "the local environment";
        return {
            target: { where: "(none)", source, role: "" },
            collectedAt: new Date().toISOString(),
            unreachable: explainError(error),
        };
    }
}

main(
    "status",
    async () => {
        const { values, positionals } = parseFlags(process.argv.slice(2), { json: { type: "boolean" } }, USAGE);
        if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}. Usage: ${USAGE}`);
        const t = target();
        const report = "url" in t ? await collectStatus(t, t.local ? "metacortex_admin" : new URL(t.url).username) : t;
        const judgement = judge(report, SECTIONS);
        process.stdout.write(values.json ? statusJson(report, judgement) : renderStatus(report, judgement));
        return judgement.exitCode;
    },
    { usageExit: EXIT_CODES.usage },
);
