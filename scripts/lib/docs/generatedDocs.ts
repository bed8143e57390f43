/** Documents rendered from code (path from the repository root to renderer); tests fail when they are stale. */
import type { ClientConfig } from "pg";
import { renderConfigDoc } from "./configDoc";
import { renderArchitectureDoc } from "./architectureDoc";
import { renderArchitectureSvg } from "./architectureSvg";
import { renderErd } from "./erd";
import { renderPolicyDoc } from "./policyDoc";
import { renderSettingsDoc } from "./settingsDoc";

/** Rendered from code alone. */
export const GENERATED_DOCS: Record<string, () => string | Promise<string>> = {
    "docs/config.md": renderConfigDoc,
    "docs/settings.md": renderSettingsDoc,
    "docs/policies.md": renderPolicyDoc,
    "docs/architecture.md": renderArchitectureDoc,
    "docs/architecture.svg": renderArchitectureSvg,
};

/** Rendered from a database migrated from empty (npm run docs builds a throwaway one). */
export const DATABASE_DOCS: Record<string, (admin: ClientConfig) => Promise<string>> = {
    "docs/erd.md": renderErd,
};
