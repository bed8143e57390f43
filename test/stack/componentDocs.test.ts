/**
 * Every field of every interface in components/ (each component's Args, and the types those Args are made of) has a
 * TSDoc comment, and an optional field's comment says what happens when it is left out. Read with the TypeScript
 * compiler's parser, so a new field without a comment fails here, named.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "../harness/stack";

interface Field {
    /** `components/…/file.ts: Interface.field[.nested]`. */
    readonly id: string;
    readonly doc: string;
    readonly optional: boolean;
}

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** The documentation comment of a node, without its tags. */
function docOf(node: ts.Node): string {
    return ts
        .getJSDocCommentsAndTags(node)
        .filter(ts.isJSDoc)
        .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
        .join(" ")
        .trim();
}

/** The property signatures of a type's members, nested type literals included. */
function fieldsOf(members: ts.NodeArray<ts.TypeElement>, owner: string): Field[] {
    return members.filter(ts.isPropertySignature).flatMap((member) => {
        const id = `${owner}.${member.name.getText()}`;
        const own: Field = { id, doc: docOf(member), optional: member.questionToken !== undefined };
        const nested = member.type && ts.isTypeLiteralNode(member.type) ? fieldsOf(member.type.members, id) : [];
        return [own, ...nested];
    });
}

/** Every interface and object type alias in components/, with its fields, and the class constructors' args types. */
function survey(): { fields: Field[]; interfaces: Set<string>; argsTypes: Map<string, string> } {
    const fields: Field[] = [];
    const interfaces = new Set<string>();
    const argsTypes = new Map<string, string>();
    for (const file of sourceFiles(path.join(ROOT, "components"))) {
        const rel = path.relative(ROOT, file);
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        const visit = (node: ts.Node) => {
            if (ts.isInterfaceDeclaration(node)) {
                interfaces.add(node.name.text);
                fields.push(...fieldsOf(node.members, `${rel}: ${node.name.text}`));
            } else if (ts.isTypeAliasDeclaration(node) && ts.isTypeLiteralNode(node.type)) {
                interfaces.add(node.name.text);
                fields.push(...fieldsOf(node.type.members, `${rel}: ${node.name.text}`));
            } else if (
                ts.isClassDeclaration(node) &&
                node.name &&
                /ComponentResource/.test(node.heritageClauses?.[0]?.getText() ?? "")
            ) {
                const ctor = node.members.find(ts.isConstructorDeclaration);
                const args = ctor?.parameters[1]?.type?.getText();
                argsTypes.set(`${rel}: ${node.name.text}`, args ?? "(none)");
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    return { fields, interfaces, argsTypes };
}

describe("component Args documentation", () => {
    const { fields, interfaces, argsTypes } = survey();

    it("finds every ComponentResource's Args interface among those it checks", () => {
        assert.ok(argsTypes.size >= 20, `expected the platform's components, found ${argsTypes.size}`);
        const unchecked = [...argsTypes]
            .filter(([, args]) => !interfaces.has(args))
            .map(([cls, args]) => `${cls}(${args})`);
        assert.deepEqual(unchecked, [], "components whose args type is not an interface declared in components/");
    });

    it("documents every field (its meaning, and its unit, default and exclusions where they apply)", () => {
        assert.ok(fields.length > 150, `expected the platform's Args fields, found ${fields.length}`);
        const undocumented = fields.filter((f) => f.doc === "").map((f) => f.id);
        assert.deepEqual(undocumented, [], "fields without a TSDoc comment");
    });

    it("says, for every optional field, what its default is or what leaving it out does", () => {
        const silent = fields
            .filter((f) => f.optional && f.doc !== "" && !/default|omit|undefined|absent|unused|none/i.test(f.doc))
            .map((f) => f.id);
        assert.deepEqual(silent, [], "optional fields whose comment states no default");
    });
});
