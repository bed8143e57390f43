/**
 * The reader: reads one key of the raw config as its row in the key table says (type, bounds, default), collects
 * every rejected value, and gives section parsers the words of their rules. It never throws for a bad value, so a
 * run reports every problem at once.
 */
import { isStringList } from "./checks";
import {
    type BooleanType,
    type ChoiceType,
    type Default,
    type NumberType,
    isComputed,
    isPerEnv,
    isPerTarget,
    isUnset,
    type JsonType,
    type KeyTable,
    type ListType,
    type Rule,
    type TextType,
    type Unset,
    type ValueOf,
    type Varies,
} from "./schema";
import { ConfigError, type ConfigIssue, type Environment, type RawConfig, type Target } from "./types";

type Row = KeyTable[string];
/** What `read` returns for a row: a refused choice, and an absent key without a default, read as undefined. */
export type ReadValue<R extends Row> =
    R["type"] extends ChoiceType<infer T>
        ? T | undefined
        : R["default"] extends Unset
          ? ValueOf<R["type"]> | undefined
          : ValueOf<R["type"]>;

/** The allowed text of a number key in one environment, as its errors say it. */
export function numberAllowed(type: NumberType, environment: Environment): string {
    const perEnvironment = isPerEnv(type.min);
    const min = resolveVaries(type.min, environment, undefined);
    return [
        type.step === 1
            ? `a whole number from ${min} to ${type.max}`
            : `a number from ${min} to ${type.max} in steps of ${type.step}`,
        type.unit,
        perEnvironment ? `in ${environment}` : undefined,
        type.note,
    ]
        .filter((part) => part !== undefined)
        .join(" ");
}

/** A value for this environment and target; per-target values need the target. */
export function resolveVaries<T>(value: Varies<T>, environment: Environment, target: Target | undefined): T {
    if (isPerEnv(value)) return value.perEnv[environment];
    if (isPerTarget(value)) {
        if (target === undefined) throw new Error("a per-target value was read before the target");
        return value.perTarget[target];
    }
    return value as T;
}

/**
 * Reads the keys of one raw config by their rows and collects what is wrong with them. `T` is the table a section
 * parser may read from (its own rows), so a key or rule name that is not in it does not compile.
 */
export class Reader<T extends KeyTable> {
    readonly issues: ConfigIssue[] = [];
    /** Set by the stack section once read; defaults and bounds per environment need it. */
    environment?: Environment;
    /** Set by the stack section once read; defaults per target need it. */
    target?: Target;

    constructor(
        readonly raw: RawConfig,
        readonly stack: string,
        private readonly keys: T,
    ) {}

    get prod(): boolean {
        return this.environment === "prod";
    }

    reject(key: string, value: unknown, allowed: string): void {
        this.issues.push({ key, value, allowed });
    }

    /** Reports that `value` breaks the key's named rule; `other` fills a rule whose words need another value. */
    breaks<K extends keyof T & string>(
        key: K,
        rule: keyof T[K]["rules"] & string,
        value: unknown,
        other?: string | number,
    ): void {
        const r: Rule = this.keys[key].rules[rule];
        this.reject(key, value, typeof r === "string" ? r : r.message(other));
    }

    /** Whether a value of this key was already refused. */
    failed(key: keyof T & string): boolean {
        return this.issues.some((issue) => issue.key === key);
    }

    /** Throws every problem found, if any. */
    finish(): void {
        if (this.issues.length > 0) throw new ConfigError(this.issues);
    }

    /** Reads a key by its row; `computed` is the default of a row whose default the section parser computes. */
    read<K extends keyof T & string>(key: K, computed?: ValueOf<T[K]["type"]>): ReadValue<T[K]> {
        const { type, default: def } = this.keys[key];
        const fallback = this.fallback(def, computed);
        return this.readAs(key, type, fallback) as ReadValue<T[K]>;
    }

    private readAs(key: string, type: Row["type"], fallback: any): unknown {
        switch (type.kind) {
            case "number":
                return this.number(key, type, fallback);
            case "boolean":
                return this.boolean(key, type, fallback);
            case "choice":
                return this.choice(key, type, fallback);
            case "text":
                return this.text(key, type, fallback);
            case "list":
                return this.list(key, type, fallback);
            case "json":
                return this.json(key, type, fallback);
        }
    }

    private fallback(def: Default<unknown>, computed: unknown): unknown {
        if (isUnset(def)) return undefined;
        if (isComputed(def)) return computed;
        if (this.environment === undefined) throw new Error("a key with a default was read before the environment");
        return resolveVaries(def as Varies<unknown>, this.environment, this.target);
    }

    private number(key: string, type: NumberType, fallback: number | undefined): number | undefined {
        const text = this.raw[key];
        if (text === undefined) return fallback;
        const value = Number(text);
        const min = resolveVaries(type.min, this.environment!, this.target);
        const form = type.step === 1 ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
        const onStep = Math.abs(Math.round(value / type.step) * type.step - value) < 1e-9;
        if (!form.test(text.trim()) || !onStep || value < min || value > type.max) {
            this.reject(key, text, numberAllowed(type, this.environment!));
            return fallback;
        }
        return value;
    }

    private boolean(key: string, _type: BooleanType, fallback: boolean): boolean {
        const text = this.raw[key];
        if (text === undefined) return fallback;
        if (text !== "true" && text !== "false") {
            this.reject(key, text, "true or false");
            return fallback;
        }
        return text === "true";
    }

    private choice(key: string, type: ChoiceType<string>, fallback: string | undefined): string | undefined {
        const value = this.raw[key] ?? fallback;
        if (value === undefined) return undefined;
        if (!type.values.includes(value)) {
            this.reject(key, value, `one of ${type.values.join(", ")}`);
            return undefined;
        }
        return value;
    }

    private text(key: string, type: TextType, fallback: string | undefined): string | undefined {
        const value = this.raw[key] ?? fallback;
        const problem = value === undefined ? undefined : type.check?.problem(value);
        if (problem !== undefined) this.reject(key, value, problem);
        return value;
    }

    private list(key: string, type: ListType, fallback: string[]): string[] {
        const value = this.json(key, { kind: "json", shape: type.shape, is: isStringList }, fallback);
        for (const item of value) {
            const problem = type.item.problem(item);
            if (problem !== undefined) this.reject(key, item, problem);
        }
        return value;
    }

    private json<T>(key: string, type: JsonType<T>, fallback: T): T {
        const text = this.raw[key];
        if (text === undefined) return fallback;
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            value = text;
        }
        if (!type.is(value)) {
            this.reject(key, text, type.shape);
            return fallback;
        }
        return value;
    }
}
