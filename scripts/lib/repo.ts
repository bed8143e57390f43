import * as path from "path";

/** The repository's root folder, whatever the working directory a command was started from. */
export const REPO = path.resolve(__dirname, "..", "..");

/** A path inside the repository. */
export const repoPath = (...parts: string[]): string => path.join(REPO, ...parts);
