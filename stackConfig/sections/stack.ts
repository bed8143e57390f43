/** The stack section: which environment's floors and defaults apply, and where the database runs. */
import { oneOf, perEnv, row, ruleWith } from "../schema";
import type { Reader } from "../read";
import { ConfigError, type Environment, type Target } from "../types";

export const STACK_KEYS = {
    environment: row({
        doc: "which floors and defaults below apply",
        type: oneOf(["dev", "prod"]),
        default: { computed: "the stack name, when it is `dev` or `prod`" },
        rules: {
            named: ruleWith("other stack names must set it", (stack) => `required for stack "${stack}": dev or prod`),
        },
    }),
    target: row({
        doc: "where the database runs: a Docker container on the developer's machine, or RDS",
        type: oneOf(["docker", "aws"]),
        default: perEnv("docker", "aws"),
    }),
};

const ENVIRONMENTS: readonly Environment[] = ["dev", "prod"];

/**
 * Reads the environment (default: the stack name, when it is one) and the target, and sets both on the reader.
 * Without an environment no default or floor can be chosen, so its absence alone ends the parse.
 */
export function readStack(r: Reader<typeof STACK_KEYS>): { environment: Environment; target: Target } {
    const environment = r.read(
        "environment",
        ENVIRONMENTS.find((e) => e === r.stack),
    );
    if (environment === undefined) {
        if (r.raw.environment === undefined) r.breaks("environment", "named", undefined, r.stack);
        throw new ConfigError(r.issues);
    }
    r.environment = environment;
    // A refused target is read as aws, whose rules are the stricter ones to report.
    r.target = r.read("target") ?? "aws";
    return { environment, target: r.target };
}
