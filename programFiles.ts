/**
 * The program's file system, in one place: what index.ts reads for the components and the one file dev writes. No
 * component touches the file system; they take what is read here as content (and dev's CA write as a function).
 */
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { HEALTH_CHECK_SOURCES } from "./components/aws/healthCheck";
import { RESTORE_VALIDATION_SOURCES } from "./components/aws/restoreTesting";
import { LAMBDA_PACKAGES, type LambdaCode } from "./components/aws/support/lambdaArchive";
import type { ProgramFiles } from "./components/metacortexDatabase";

const ROOT = __dirname;

/** The files the components need, for a stack whose admin CA bundle is at `caPath` (relative to the cwd). */
export function readProgramFiles(caPath: string): ProgramFiles {
    return {
        caBundlePem: fs.existsSync(caPath) ? fs.readFileSync(caPath, "utf8") : undefined,
        // The postgresql provider's sslrootcert is a file path (its inline option needs a client certificate too), and
        // dev's CA exists only once the tls provider has generated it: write it then, and resolve to the path after.
        writeCaFile: (pem: pulumi.Output<string>) =>
            pem.apply((text) => {
                fs.mkdirSync(path.dirname(path.resolve(caPath)), { recursive: true });
                fs.writeFileSync(caPath, text);
                return caPath;
            }),
        lambdas: {
            healthCheck: readLambdaCode(HEALTH_CHECK_SOURCES),
            restoreValidation: readLambdaCode(RESTORE_VALIDATION_SOURCES),
        },
    };
}

/**
 * The repository modules `entries` load at run time, transitively: every relative import that is not `import type`
 * (type-only imports emit no require). Repository-relative paths, sorted.
 */
export function sourceClosure(entries: readonly string[], root = ROOT): string[] {
    const seen = new Set<string>();
    const visit = (file: string) => {
        if (seen.has(file)) return;
        seen.add(file);
        const text = fs.readFileSync(path.join(root, file), "utf8");
        for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gms))
            visit(path.relative(root, path.resolve(path.dirname(path.join(root, file)), `${spec}.ts`)));
    };
    entries.forEach(visit);
    return [...seen].sort();
}

/** A Lambda's TypeScript sources (its entry modules and what they import) and its packages, read from this checkout. */
export function readLambdaCode(sources: readonly string[], packages: readonly string[] = LAMBDA_PACKAGES): LambdaCode {
    const nodeModules = path.join(ROOT, "node_modules");
    return {
        sources: Object.fromEntries(
            sourceClosure(sources).map((s) => [s, fs.readFileSync(path.join(ROOT, s), "utf8")]),
        ),
        packages: Object.fromEntries(
            dependencyClosure(packages, nodeModules).map((p) => [p, path.join(nodeModules, p)]),
        ),
    };
}

/** The packages `names` need at run time (dependencies, transitively), sorted. */
export function dependencyClosure(names: readonly string[], nodeModules: string): string[] {
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
