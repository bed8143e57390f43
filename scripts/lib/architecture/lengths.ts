/**
 * Pure: the length of a TypeScript file and of every function in it, read with the TypeScript parser. A function's
 * length runs from its first line (signature) to its last (closing brace), nested functions included. In test
 * files, the callbacks handed to mocha's describe/it/before/after hooks are specifications, not functions.
 */
import * as ts from "typescript";

export interface FunctionLength {
    /** A readable name: `name`, `Class.method`, `name` of the variable or property an arrow is assigned to. */
    readonly name: string;
    /** 1-based first line. */
    readonly line: number;
    readonly lines: number;
}

const MOCHA = new Set(["describe", "it", "before", "after", "beforeEach", "afterEach", "context", "specify"]);

/** Lines in a text as an editor numbers them (a final newline does not start a line). */
export function lineCount(text: string): number {
    if (text === "") return 0;
    return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
    const named = (n: ts.Node & { name?: ts.Node }) => (n.name ? n.name.getText(source) : undefined);
    if (ts.isConstructorDeclaration(node)) return `${named(node.parent as ts.ClassDeclaration) ?? "class"}.constructor`;
    if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
        const owner = ts.isClassLike(node.parent) ? named(node.parent) : undefined;
        return owner ? `${owner}.${named(node)}` : named(node)!;
    }
    const own = named(node as ts.FunctionDeclaration);
    if (own) return own;
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
        return parent.name.getText(source);
    if (ts.isCallExpression(parent)) return `${parent.expression.getText(source)}(...) callback`;
    return "<anonymous>";
}

function isMochaCallback(node: ts.Node): boolean {
    const call = node.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return false;
    const callee = call.expression;
    const base = ts.isPropertyAccessExpression(callee) ? callee.expression : callee; // describe.skip, it.only
    return ts.isIdentifier(base) && MOCHA.has(base.text);
}

/** Every function-like node with a body in a file, with its length; mocha callbacks left out when `isTest`. */
export function functionLengths(fileName: string, text: string, isTest: boolean): FunctionLength[] {
    const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const out: FunctionLength[] = [];
    const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
    const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body && !(isTest && isMochaCallback(node))) {
            const line = lineOf(node.getStart(source));
            out.push({ name: nameOf(node, source), line, lines: lineOf(node.getEnd()) - line + 1 });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return out;
}

export interface Allowance {
    readonly file: string;
    /** A function's name as functionLengths gives it; absent for the file's own length. */
    readonly fn?: string;
    /** Why this is a data table rather than code to split. */
    readonly reason: string;
}

export interface LengthLimits {
    readonly fileLines: number;
    readonly functionLines: number;
}

/** One line per file or function over its limit that no allowance covers; and allowances that cover nothing. */
export function lengthViolations(
    files: readonly { readonly file: string; readonly text: string }[],
    limits: LengthLimits,
    allowances: readonly Allowance[],
    isTest: (file: string) => boolean,
): { violations: string[]; unused: string[] } {
    const used = new Set<Allowance>();
    const allowed = (file: string, fn?: string) => {
        const hit = allowances.find((a) => a.file === file && a.fn === fn);
        if (hit) used.add(hit);
        return hit !== undefined;
    };
    const violations: string[] = [];
    for (const { file, text } of files) {
        const lines = lineCount(text);
        if (lines > limits.fileLines && !allowed(file))
            violations.push(`${file}: ${lines} lines (limit ${limits.fileLines})`);
        for (const f of functionLengths(file, text, isTest(file))) {
            if (f.lines > limits.functionLines && !allowed(file, f.name))
                violations.push(`${file}:${f.line} ${f.name}: ${f.lines} lines (limit ${limits.functionLines})`);
        }
    }
    const unused = allowances.filter((a) => !used.has(a)).map((a) => `${a.file}${a.fn ? ` ${a.fn}` : ""}`);
    return { violations, unused };
}
