/** Documents rendered from code: path (from the repository root) to renderer. */
import { renderSettingsDoc } from "./settingsDoc";

export const GENERATED_DOCS: Record<string, () => string | Promise<string>> = {
    "docs/settings.md": renderSettingsDoc,
};
