/**
 * The key table against the parser built from it: every default obeys its own row, every integer key is enforced at
 * exactly its documented bounds, every choice refuses other words, and every key is documented in one section.
 * A row added later is covered by these loops without a new test.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { CONFIG_KEYS, ConfigError, type ConfigIssue, parseStackConfig, type RawConfig } from "../../config";
import { stackFileConfig } from "../../scripts/lib/stack/stackFile";
import { KEYS, SECTIONS } from "../../stackConfig/keys";
import { numberAllowed, resolveVaries } from "../../stackConfig/read";
import { isComputed, isUnset, type KeyRow, type ValueType } from "../../stackConfig/schema";
import type { Environment, Target } from "../../stackConfig/types";

const ROWS = Object.entries(KEYS) as Array<[string, KeyRow]>;
const ENVIRONMENTS: Environment[] = ["dev", "prod"];

/** The issues parseStackConfig reports for a committed stack file with some keys changed; none when it accepts. */
function issuesOf(environment: Environment, overrides: Record<string, string>): ConfigIssue[] {
    const raw: RawConfig = { ...stackFileConfig(environment), ...overrides };
    try {
        parseStackConfig(raw, environment);
        return [];
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return [...e.issues];
    }
}

/** Why a value breaks its row's type, or undefined. */
function typeProblem(type: ValueType, value: unknown, environment: Environment): string | undefined {
    switch (type.kind) {
        case "number": {
            const min = resolveVaries(type.min, environment, undefined);
            const ok = Number.isInteger((value as number) / type.step) && (value as number) >= min;
            return ok && (value as number) <= type.max ? undefined : `outside ${min}-${type.max} by ${type.step}`;
        }
        case "boolean":
            return typeof value === "boolean" ? undefined : "not a boolean";
        case "choice":
            return type.values.includes(value as string) ? undefined : `not one of ${type.values}`;
        case "text":
            return type.check?.problem(value as string);
        case "list":
            return (value as string[]).map((item) => type.item.problem(item)).find((p) => p !== undefined);
        case "json":
            return type.is(value) ? undefined : type.shape;
    }
}

describe("config key table", () => {
    it("documents every key once, in one section, in table order", () => {
        assert.deepEqual(
            SECTIONS.flatMap((section) => Object.keys(section.keys)),
            [...CONFIG_KEYS],
        );
    });

    it("has defaults that obey their own rows in every environment and target", () => {
        for (const [key, row] of ROWS) {
            if (isComputed(row.default) || isUnset(row.default)) continue;
            for (const environment of ENVIRONMENTS)
                for (const target of ["docker", "aws"] as Target[]) {
                    const value = resolveVaries(row.default, environment, target);
                    const problem = typeProblem(row.type, value, environment);
                    assert.equal(problem, undefined, `${key} default ${JSON.stringify(value)} in ${environment}`);
                }
        }
    });

    for (const [key, row] of ROWS) {
        const type = row.type;
        if (type.kind === "number") {
            it(`enforces ${key} at exactly its documented bounds in each environment`, () => {
                for (const environment of ENVIRONMENTS) {
                    const min: number = resolveVaries(type.min, environment, undefined);
                    const allowed = numberAllowed(type, environment);
                    assert.ok(allowed.includes(`from ${min} to ${type.max}`), allowed);
                    const rangeIssue = (value: number) =>
                        issuesOf(environment, { [key]: String(value) }).find(
                            (i) => i.key === key && i.allowed === allowed,
                        );
                    assert.equal(rangeIssue(min), undefined, `${key} = ${min} in ${environment}`);
                    assert.equal(rangeIssue(type.max), undefined, `${key} = ${type.max} in ${environment}`);
                    assert.equal(rangeIssue(min - 1)?.value, String(min - 1), `${key} = ${min - 1} in ${environment}`);
                    assert.equal(rangeIssue(type.max + 1)?.value, String(type.max + 1), `${key} above its maximum`);
                }
            });
        }
        if (type.kind === "choice") {
            it(`fails when ${key} is not one of its words`, () => {
                const issues = issuesOf("dev", { [key]: "bogus" }).filter((i) => i.key === key);
                assert.deepEqual(issues[0], { key, value: "bogus", allowed: `one of ${type.values.join(", ")}` });
            });
        }
        if (type.kind === "boolean") {
            it(`fails when ${key} is not true or false`, () => {
                const issues = issuesOf("dev", { [key]: "yes" }).filter((i) => i.key === key);
                assert.deepEqual(issues, [{ key, value: "yes", allowed: "true or false" }]);
            });
        }
    }
});

describe("config types", () => {
    it("have TSDoc on every interface and every field", () => {
        const file = path.join(__dirname, "../../stackConfig/types.ts");
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
        const undocumented: string[] = [];
        const interfaces: string[] = [];
        const documented = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
        source.forEachChild((node) => {
            if (!ts.isInterfaceDeclaration(node)) return;
            interfaces.push(node.name.text);
            if (!documented(node)) undocumented.push(node.name.text);
            for (const member of node.members)
                if (!documented(member)) undocumented.push(`${node.name.text}.${member.name?.getText(source)}`);
        });
        assert.ok(interfaces.includes("StackConfig") && interfaces.length >= 8, `checked only ${interfaces}`);
        assert.deepEqual(undocumented, []);
    });
});
