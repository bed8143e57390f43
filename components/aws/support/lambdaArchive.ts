/**
 * Packages a TypeScript Lambda from this repository: its sources transpiled to CommonJS (TypeScript's own transpiler,
 * at deploy time), plus the node_modules packages it needs and their dependency closure. Deterministic: the same
 * sources and lockfile give the same archive, so an unchanged function shows no diff.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Pure given the files: `archive path -> JavaScript` for repository-relative TypeScript sources. */
export function transpile(sources: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const source of sources) {
        const text = fs.readFileSync(path.join(ROOT, source), "utf8");
        const js = ts.transpileModule(text, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        out[source.replace(/\.ts$/, ".js")] = js;
    }
    return out;
}

/** Pure given node_modules: the packages `names` need at run time (dependencies, transitively), sorted. */
export function dependencyClosure(names: readonly string[], nodeModules = path.join(ROOT, "node_modules")): string[] {
    const seen = new Set<string>();
    const visit = (name: string) => {
        if (seen.has(name)) return;
        const manifest = path.join(nodeModules, name, "package.json");
        if (!fs.existsSync(manifest)) throw new Error(`lambda dependency ${name} is not installed (npm ci)`);
        seen.add(name);
        const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
    };
    names.forEach(visit);
    return [...seen].sort();
}

/** The archive: transpiled sources at their component paths, and node_modules/<package> for each dependency. */
export function lambdaArchive(sources: readonly string[], packages: readonly string[]): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset | pulumi.asset.Archive> = {};
    for (const [file, js] of Object.entries(transpile(sources))) assets[file] = new pulumi.asset.StringAsset(js);
    for (const pkg of dependencyClosure(packages))
        assets[`node_modules/${pkg}`] = new pulumi.asset.FileArchive(path.join(ROOT, "node_modules", pkg));
    return new pulumi.asset.AssetArchive(assets);
}
