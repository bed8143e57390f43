/**
 * Packages a TypeScript Lambda of this repository: its sources transpiled to CommonJS (TypeScript's own transpiler,
 * at deploy time), plus the node_modules packages it needs. index.ts reads the files (programFiles.ts); this module
 * only turns their content into an archive. Deterministic: the same sources and packages give the same archive, so
 * an unchanged function shows no diff.
 */
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";

/** The node_modules packages every function gets: node-postgres (the AWS SDK v3 ships with the Node.js runtime). */
export const LAMBDA_PACKAGES: readonly string[] = ["pg"];

/** A function's code, as index.ts read it from the repository. */
export interface LambdaCode {
    /** TypeScript source text by repository-relative path; each is archived at that path with `.js` for `.ts`. */
    readonly sources: Readonly<Record<string, string>>;
    /**
     * Directory of each package the code needs at run time, by package name, dependencies included (the closure of
     * LAMBDA_PACKAGES); each is archived as `node_modules/<name>`.
     */
    readonly packages: Readonly<Record<string, string>>;
}

/** Pure: `archive path -> JavaScript` for TypeScript sources given as `repository path -> text`. */
export function transpile(sources: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [source, text] of Object.entries(sources)) {
        const js = ts.transpileModule(text, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        out[source.replace(/\.ts$/, ".js")] = js;
    }
    return out;
}

/** The archive: transpiled sources at their repository paths, and node_modules/<package> for each package. */
export function lambdaArchive(code: LambdaCode): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {};
    for (const [file, js] of Object.entries(transpile(code.sources))) assets[file] = new pulumi.asset.StringAsset(js);
    for (const [pkg, dir] of Object.entries(code.packages))
        assets[`node_modules/${pkg}`] = new pulumi.asset.FileArchive(dir);
    return new pulumi.asset.AssetArchive(assets);
}

/** Pure: the repository path of the TypeScript module a handler names (`dir/file.export` -> `dir/file.ts`). */
export function handlerSource(handler: string): string {
    return `${handler.slice(0, handler.lastIndexOf("."))}.ts`;
}
