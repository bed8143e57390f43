/**
 * Pure: the fenced code blocks of a Markdown document with their info strings, so tests can run a runbook's steps as
 * written. A block marked ```sh local runs against the local environment; ```sh aws names AWS resources that a test
 * checks against the prod stack. Blocks inside list items are dedented by their fence's indentation.
 */

export interface CodeBlock {
    readonly file: string;
    /** 1-based line of the opening fence. */
    readonly line: number;
    /** The info string's words, e.g. ["sh", "local"]. */
    readonly info: readonly string[];
    readonly code: string;
}

/** Pure: every fenced block of `markdown`, in order. */
export function codeBlocks(markdown: string, file: string): CodeBlock[] {
    const lines = markdown.split("\n");
    const blocks: CodeBlock[] = [];
    for (let i = 0; i < lines.length; i++) {
        const open = /^(\s*)```(.*)$/.exec(lines[i]);
        if (!open) continue;
        const indent = open[1].length;
        const body: string[] = [];
        let j = i + 1;
        while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++]);
        const dedent = (l: string) => (l.slice(0, indent).trim() === "" ? l.slice(indent) : l.trimStart());
        blocks.push({
            file,
            line: i + 1,
            info: open[2].trim().split(/\s+/).filter(Boolean),
            code: body.map(dedent).join("\n"),
        });
        i = j;
    }
    return blocks;
}

/** Pure: the blocks marked with every word of `tags` (e.g. ["sh", "local"]). */
export function blocksTagged(blocks: readonly CodeBlock[], tags: readonly string[]): CodeBlock[] {
    return blocks.filter((b) => tags.every((t) => b.info.includes(t)));
}

/** Pure: shell commands of a block, one per logical line (backslash continuations joined, comments dropped). */
export function shellCommands(code: string): string[] {
    return code
        .replace(/\\\n\s*/g, " ")
        .split("\n")
        .map((l) => l.replace(/\s+#.*$/, "").trim())
        .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Pure: shell words of one command line, keeping quoted strings and $(...) substitutions whole (quotes removed). */
export function shellWords(line: string): string[] {
    const words: string[] = [];
    let word = "";
    let depth = 0;
    let quote = "";
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
            if (c === quote) quote = "";
            else word += c;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === "$" && line[i + 1] === "(") {
            depth++;
            word += "$(";
            i++;
        } else if (c === ")" && depth > 0) {
            depth--;
            word += c;
        } else if (/\s/.test(c) && depth === 0) {
            if (word) words.push(word);
            word = "";
        } else word += c;
    }
    if (word) words.push(word);
    return words;
}

/** Pure: the commands of a pipeline (`a | b | c`), split on pipes outside quotes and $(...) substitutions. */
export function pipelineCommands(line: string): string[] {
    const commands: string[] = [];
    let current = "";
    let depth = 0;
    let quote = "";
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
            if (c === quote) quote = "";
        } else if (c === "'" || c === '"') quote = c;
        else if (c === "$" && line[i + 1] === "(") depth++;
        else if (c === ")" && depth > 0) depth--;
        else if (c === "|" && depth === 0) {
            commands.push(current.trim());
            current = "";
            continue;
        }
        current += c;
    }
    commands.push(current.trim());
    return commands.filter((c) => c !== "");
}

export interface AwsCommand {
    /** `rds describe-db-instances` */
    readonly operation: string;
    /** Flag to value; `true` for a flag without one. */
    readonly flags: Readonly<Record<string, string | true>>;
}

/** Pure: an `aws <service> <operation> --flag value ...` line as its operation and flags; undefined for other lines. */
export function parseAwsCommand(line: string): AwsCommand | undefined {
    const words = shellWords(line);
    if (words[0] !== "aws") return undefined;
    const flags: Record<string, string | true> = {};
    for (let i = 3; i < words.length; i++) {
        if (!words[i].startsWith("--")) continue;
        const next = words[i + 1];
        flags[words[i]] = next !== undefined && !next.startsWith("--") ? words[++i] : true;
    }
    return { operation: `${words[1]} ${words[2]}`, flags };
}
