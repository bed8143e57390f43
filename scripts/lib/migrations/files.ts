/** The migrations and their manifest on disk (sql/migrations/*.sql, sql/migrations.sum). */
import * as fs from "fs";
import * as path from "path";
import { repoPath } from "../repo";
import type { MigrationFile } from "./manifest";

export const MIGRATIONS_DIR = repoPath("sql", "migrations");
export const MANIFEST_FILE = repoPath("sql", "migrations.sum");

/** Every migration file, in version order, with its exact text. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), "utf8") }));
}

/** The manifest's text, or "" before the first migration is recorded. */
export function readManifest(file = MANIFEST_FILE): string {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}
