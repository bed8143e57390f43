/**
 * The architecture as data: every package of the repository, what it holds, and what it may import. The layering
 * test checks every import against this table, and docs/architecture.md and its picture are rendered from it.
 *
 * A package is a file (`index.ts`), a folder with everything beneath it (`scripts/`), or a folder's own files only
 * (`postgres/`, whose subfolders are packages of their own). Imports only go toward the core (`postgres/`).
 */

export interface PackageRule {
    /** A file, or a folder ending in `/`. */
    readonly path: string;
    /** For a folder: true when it holds everything beneath it, false when only its own files. */
    readonly deep: boolean;
    /** One line for the picture and the document. */
    readonly what: string;
    /** Packages this one may import besides itself; a folder allows every package beneath it. */
    readonly mayImport: readonly string[];
    /** External packages it must not import (npm or node), with what they stand for. */
    readonly refuses?: readonly { readonly pattern: RegExp; readonly what: string }[];
    /** Non-TypeScript packages whose files it reads (drawn dashed; not an import). */
    readonly reads?: readonly string[];
}

export interface Layer {
    /** The layer's path: a file or a folder ending in `/`. */
    readonly name: string;
    readonly title: string;
    readonly packages: readonly PackageRule[];
}

const CORE = "postgres/";
const SUPPORT = "components/support/";
/** Cloud, container and Pulumi SDKs: the core is PostgreSQL knowledge, rendered to every target by others. */
const DEPLOY_TOOLING = [
    { pattern: /^@pulumi\//, what: "Pulumi" },
    { pattern: /^(aws-sdk|@aws-sdk\/.*)$/, what: "AWS" },
    { pattern: /^(dockerode|docker-.*)$/, what: "Docker" },
    { pattern: /^@kubernetes\//, what: "Kubernetes" },
];
const TARGETS = ["aws", "docker", "kubernetes", "postgresql", "tls"] as const;
const TARGET_WHAT: Record<(typeof TARGETS)[number], string> = {
    aws: "prod on RDS: instance or Aurora cluster, network, KMS, backup, monitoring, proxy; lambda/ handlers",
    docker: "dev: the PostgreSQL and PgBouncer containers",
    kubernetes: "prod: PgBouncer and its metrics exporter",
    postgresql: "roles, grants, extensions (both targets)",
    tls: "the generated CA and server certificate (shared)",
};
const core = (name: string, what: string): PackageRule => ({
    path: `${CORE}${name}`,
    deep: name !== "",
    what,
    mayImport: [CORE],
    refuses: DEPLOY_TOOLING,
});

export const LAYERS: readonly Layer[] = [
    {
        name: "test/",
        title: "tests",
        packages: [
            {
                path: "test/",
                deep: true,
                what: "mocha tests by tier; imports any package, nothing imports it",
                mayImport: [
                    "index.ts",
                    "programFiles.ts",
                    "config.ts",
                    "stackConfig/",
                    "components/",
                    "policies/",
                    "scripts/",
                    CORE,
                ],
                reads: ["sql/"],
            },
        ],
    },
    {
        name: "index.ts",
        title: "the program",
        packages: [
            {
                path: "index.ts",
                deep: false,
                what: "reads config and files once, wires components",
                mayImport: ["config.ts", "programFiles.ts", "components/", CORE],
            },
        ],
    },
    {
        name: "scripts/",
        title: "npm commands",
        packages: [
            {
                path: "scripts/",
                deep: true,
                what: "npm commands; lib/ by job (local, stack, docs, bench, seed, drill, migrations, architecture, tuning, repack)",
                mayImport: ["config.ts", "stackConfig/", "policies/", CORE],
                reads: ["sql/"],
            },
        ],
    },
    {
        name: "config.ts",
        title: "stack config",
        packages: [
            {
                path: "config.ts",
                deep: false,
                what: "all stack config, read and validated once",
                mayImport: ["stackConfig/", CORE],
            },
        ],
    },
    {
        name: "programFiles.ts",
        title: "the program's files",
        packages: [
            {
                path: "programFiles.ts",
                deep: false,
                what: "the files components need (CA bundle, Lambda sources), read for index.ts",
                mayImport: ["components/", CORE],
            },
        ],
    },
    {
        name: "components/",
        title: "Pulumi ComponentResources by target",
        packages: [
            {
                path: "components/",
                deep: false,
                what: "MetacortexDatabase: composes the targets",
                mayImport: [CORE, ...TARGETS.map((t) => `components/${t}/`), "components/metacortex/", SUPPORT],
            },
            {
                path: "components/metacortex/",
                deep: true,
                what: "MetacortexDatabase's Args and the functions that build its parts",
                mayImport: [CORE, ...TARGETS.map((t) => `components/${t}/`), SUPPORT],
            },
            {
                path: SUPPORT,
                deep: true,
                what: "helpers shared by components (ResourceError wrapping)",
                mayImport: [CORE],
            },
            ...TARGETS.map(
                (t): PackageRule => ({
                    path: `components/${t}/`,
                    deep: true,
                    what: TARGET_WHAT[t],
                    mayImport: t === "tls" ? [CORE, SUPPORT] : [CORE, "components/tls/", SUPPORT],
                }),
            ),
        ],
    },
    {
        name: "stackConfig/",
        title: "the config table",
        packages: [
            {
                path: "stackConfig/",
                deep: true,
                what: "the key table, section parsers and types: pure",
                mayImport: [CORE],
                refuses: DEPLOY_TOOLING,
            },
        ],
    },
    {
        name: "policies/",
        title: "CrossGuard policy pack",
        packages: [
            {
                path: "policies/",
                deep: true,
                what: "one file per area; the pack and its config",
                mayImport: [CORE],
            },
        ],
    },
    {
        name: CORE,
        title: "domain core: pure, target-independent",
        packages: [
            core("settings/", "catalog, sizing, renderers"),
            core("roles/", "the role model and its SQL"),
            core("pooling/", "PgBouncer ini, pool and proxy sizing"),
            core("health/", "health checks, restore validation"),
            core("monitoring/", "alarm thresholds, dashboard body"),
            core("network/", "CIDR and window maths"),
            core("", "instance classes, extensions, queries"),
        ],
    },
    {
        name: "sql/",
        title: "the schema",
        packages: [
            {
                path: "sql/",
                deep: true,
                what: "dbmate migrations, the committed dump, their checksums",
                mayImport: [],
            },
        ],
    },
];

export const PACKAGES: readonly PackageRule[] = LAYERS.flatMap((l) => l.packages);
