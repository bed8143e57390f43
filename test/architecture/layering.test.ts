/**
 * The layering: every import of every TypeScript file, type-only ones included, against the package table in
 * scripts/lib/architecture/layers.ts (imports go toward the core, postgres/), and no import cycle among project files.
 */
import { strict as assert } from "assert";
import { type ImportEdge, importGraph, importsOf, projectFiles } from "../../scripts/lib/architecture/importGraph";
import { importCycles, layeringViolations, unpackagedFiles } from "../../scripts/lib/architecture/layering";
import { PACKAGES } from "../../scripts/lib/architecture/layers";
import { ROOT } from "../harness/stack";

describe("layering of the repository", () => {
    const edges = importGraph(ROOT);

    it("places every TypeScript file in a package of the table", () => {
        assert.ok(edges.length > 300, `read ${edges.length} imports`);
        assert.deepEqual(unpackagedFiles(projectFiles(ROOT)), []);
    });

    it("keeps every import inside what its package may import (core, components, policies, config, test)", () => {
        assert.deepEqual(layeringViolations(edges), []);
    });

    it("has no import cycle among project files", () => {
        assert.deepEqual(importCycles(edges), []);
    });
});

describe("the import reader", () => {
    it("reads every form of import, type-only ones marked, with their lines", () => {
        const text = [
            'import * as a from "./a";',
            'import type { B } from "./b";',
            'import { type C } from "./c";',
            'export { d } from "./d";',
            'export type { E } from "./e";',
            'import f = require("./f");',
            'const g = require("./g");',
            'const h = import("./h");',
            'let i: typeof import("./i");',
            '// import { no } from "./comment";',
            "const s = \"import { no } from './string'\";",
        ].join("\n");
        assert.deepEqual(
            importsOf("x.ts", text).map((r) => [r.specifier, r.line, r.typeOnly]),
            [
                ["./a", 1, false],
                ["./b", 2, true],
                ["./c", 3, true],
                ["./d", 4, false],
                ["./e", 5, true],
                ["./f", 6, false],
                ["./g", 7, false],
                ["./h", 8, false],
                ["./i", 9, true],
            ],
        );
    });
});

describe("the layering checker", () => {
    const file = (from: string, to: string, typeOnly = false): ImportEdge => ({
        from,
        to,
        line: 3,
        specifier: to,
        typeOnly,
    });
    const pkg = (from: string, name: string): ImportEdge => ({
        from,
        pkg: name,
        line: 1,
        specifier: name,
        typeOnly: false,
    });

    it("fails when the core imports components, scripts, policies, config.ts or index.ts, naming file and import", () => {
        const bad = ["components/aws/kmsKey.ts", "scripts/lib/repo.ts", "policies/rds.ts", "config.ts", "index.ts"];
        const found = layeringViolations(bad.map((to) => file("postgres/settings/render.ts", to, true)));
        assert.equal(found.length, bad.length);
        assert.match(found[0], /^postgres\/settings\/render\.ts:3 imports "components\/aws\/kmsKey\.ts" \(type only\)/);
        assert.match(found[3], /postgres\/settings\/ may not import config\.ts \(allowed: postgres\/\)/);
    });

    it("fails when the core imports a Pulumi, AWS or Kubernetes package, but not pg or node", () => {
        const found = layeringViolations(
            ["@pulumi/pulumi", "@pulumi/aws", "@aws-sdk/client-rds", "@kubernetes/client-node", "pg", "fs"].map((p) =>
                pkg("postgres/queries.ts", p),
            ),
        );
        assert.deepEqual(
            found.map((v) => v.split(": ").pop()),
            [
                "postgres/ must not import Pulumi packages",
                "postgres/ must not import Pulumi packages",
                "postgres/ must not import AWS packages",
                "postgres/ must not import Kubernetes packages",
            ],
        );
    });

    it("fails when components import scripts, policies or config.ts, or one target imports another", () => {
        const found = layeringViolations([
            file("components/aws/rdsInstance.ts", "scripts/lib/repo.ts"),
            file("components/aws/rdsInstance.ts", "policies/rds.ts"),
            file("components/metacortexDatabase.ts", "config.ts", true),
            file("components/kubernetes/pgbouncer.ts", "components/docker/postgresContainer.ts"),
            file("components/kubernetes/pgbouncer.ts", "components/tls/tlsCertificates.ts"),
        ]);
        assert.equal(found.length, 4, found.join("\n"));
        assert.match(found[3], /components\/kubernetes\/ may not import components\/docker\//);
    });

    it("fails when policies import components or scripts, config.ts imports components, or the product imports test/", () => {
        const found = layeringViolations([
            file("policies/rds.ts", "components/aws/rdsInstance.ts"),
            file("policies/rds.ts", "scripts/lib/repo.ts"),
            file("config.ts", "components/aws/rdsInstance.ts"),
            file("config.ts", "scripts/lib/repo.ts"),
            file("scripts/lib/repo.ts", "test/harness/pg.ts"),
            file("components/aws/kmsKey.ts", "test/harness/stack.ts"),
        ]);
        assert.equal(found.length, 6, found.join("\n"));
    });

    it("refuses a file in a folder the table does not know", () => {
        assert.deepEqual(unpackagedFiles(["postgres/replication/slots.ts", "lib/helper.ts", "postgres/queries.ts"]), [
            "postgres/replication/slots.ts",
            "lib/helper.ts",
        ]);
    });

    it("fails on an import cycle, type-only imports included, naming the files around it", () => {
        const cycles = importCycles([
            file("postgres/a.ts", "postgres/b.ts"),
            file("postgres/b.ts", "postgres/c.ts", true),
            file("postgres/c.ts", "postgres/a.ts"),
            file("postgres/c.ts", "postgres/d.ts"),
            file("postgres/e.ts", "postgres/e.ts"),
        ]);
        assert.deepEqual(cycles, [
            "postgres/a.ts -> postgres/b.ts -> postgres/c.ts -> postgres/a.ts",
            "postgres/e.ts -> postgres/e.ts",
        ]);
    });

    it("knows every folder it names", () => {
        const files = projectFiles(ROOT);
        const empty = PACKAGES.filter((p) => p.path !== "sql/" && !files.some((f) => f.startsWith(p.path)));
        assert.deepEqual(
            empty.map((p) => p.path),
            [],
        );
    });
});
