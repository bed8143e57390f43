/**
 * The import graph of the project's TypeScript, read with the TypeScript compiler's parser (not regular expressions):
 * `import`, `import type`, `export ... from`, `import x = require()`, `require("...")`, `import("...")` and
 * `typeof import("...")` all count. Relative specifiers are resolved to project files; bare ones are packages.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One import as written: where, what, and whether it only brings in types. */
export interface ImportRef {
    /** The module specifier, e.g. `../config` or `@pulumi/aws`. */
    readonly specifier: string;
    /** 1-based line of the import in its file. */
    readonly line: number;
    readonly typeOnly: boolean;
}

function literal(node: ts.Node | undefined): string | undefined {
    return node && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
    const clause = node.importClause;
    if (!clause) return false;
    if (clause.isTypeOnly) return true;
    const bindings = clause.namedBindings;
    return !clause.name && !!bindings && ts.isNamedImports(bindings) && bindings.elements.every((e) => e.isTypeOnly);
}

/** The specifier and type-only flag of an import-like node, or undefined for any other node. */
function importOf(node: ts.Node): { specifier: string; typeOnly: boolean } | undefined {
    if (ts.isImportDeclaration(node)) {
        const specifier = literal(node.moduleSpecifier);
        return specifier === undefined ? undefined : { specifier, typeOnly: isTypeOnlyImport(node) };
    }
    if (ts.isExportDeclaration(node)) {
        const specifier = literal(node.moduleSpecifier);
        return specifier === undefined ? undefined : { specifier, typeOnly: node.isTypeOnly };
    }
    if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
        const specifier = literal(node.moduleReference.expression);
        return specifier === undefined ? undefined : { specifier, typeOnly: node.isTypeOnly };
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        const specifier = literal(node.argument.literal);
        return specifier === undefined ? undefined : { specifier, typeOnly: true };
    }
    if (ts.isCallExpression(node) && node.arguments.length === 1) {
        const callee = node.expression;
        const isRequire = ts.isIdentifier(callee) && callee.text === "require";
        if (!isRequire && callee.kind !== ts.SyntaxKind.ImportKeyword) return undefined;
        const specifier = literal(node.arguments[0]);
        return specifier === undefined ? undefined : { specifier, typeOnly: false };
    }
    return undefined;
}

/** Pure: every import a TypeScript source makes, in the order written. */
export function importsOf(fileName: string, text: string): ImportRef[] {
    const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const found: ImportRef[] = [];
    const visit = (node: ts.Node): void => {
        const ref = importOf(node);
        if (ref) {
            const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
            found.push({ ...ref, line });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** Project-relative paths (forward slashes) of every .ts file under `root`, skipping dependencies and build output. */
export function projectFiles(root: string): string[] {
    const skip = new Set(["node_modules", ".git", "bin", ".local"]);
    const out: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
            if (skip.has(entry.name)) continue;
            const rel = dir ? `${dir}/${entry.name}` : entry.name;
            if (entry.isDirectory()) walk(rel);
            else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
        }
    };
    walk("");
    return out.sort();
}

/**
 * Pure: the project file a relative specifier names (`x.ts`, `x/index.ts`, or a non-TypeScript file such as
 * `x.json`), given the set of files that exist. Undefined for a package (bare specifier).
 */
export function resolveImport(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
    if (!specifier.startsWith(".")) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (exists(candidate)) return candidate;
    return base;
}

/** An import edge: a project file to another project file, or to a package. */
export interface ImportEdge {
    readonly from: string;
    readonly line: number;
    readonly specifier: string;
    readonly typeOnly: boolean;
    /** The project file imported; undefined when `pkg` is set. */
    readonly to?: string;
    /** The package name (`@pulumi/aws`, `pg`, `fs`) for a bare specifier. */
    readonly pkg?: string;
}

/** Pure: `@scope/name/deep` and `name/deep` to their package name. */
export function packageName(specifier: string): string {
    const parts = specifier.replace(/^node:/, "").split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Every import edge of the project under `root`. */
export function importGraph(root: string): ImportEdge[] {
    const files = projectFiles(root);
    const exists = (file: string) =>
        fs.existsSync(path.join(root, file)) && fs.statSync(path.join(root, file)).isFile();
    return files.flatMap((from) =>
        importsOf(from, fs.readFileSync(path.join(root, from), "utf8")).map((ref): ImportEdge => {
            const to = resolveImport(from, ref.specifier, exists);
            const edge = { from, line: ref.line, specifier: ref.specifier, typeOnly: ref.typeOnly };
            return to === undefined ? { ...edge, pkg: packageName(ref.specifier) } : { ...edge, to };
        }),
    );
}
