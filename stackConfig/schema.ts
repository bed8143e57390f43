/**
 * The vocabulary of the key table: what a row says about one config key. A row is data only; the reader (read.ts)
 * turns it into parsing and error messages, and scripts/lib/docs/configDoc.ts into docs/config.md. Rows live next to
 * the section parser that reads them (sections/*.ts); keys.ts puts the sections together.
 */
import type { Environment, Target } from "./types";

/** A value that differs per environment. */
export interface PerEnv<T> {
    readonly perEnv: Readonly<Record<Environment, T>>;
}
/** A value that differs per target. */
export interface PerTarget<T> {
    readonly perTarget: Readonly<Record<Target, T>>;
}
/** A value that is the same everywhere, or differs per environment or per target. */
export type Varies<T> = T | PerEnv<T> | PerTarget<T>;

export const perEnv = <const T>(dev: T, prod: T): PerEnv<T> => ({ perEnv: { dev, prod } });
export const perTarget = <const T>(docker: T, aws: T): PerTarget<T> => ({ perTarget: { docker, aws } });

/** No default value: the section parser computes one from other keys. `computed` says how, for the docs. */
export interface Computed {
    readonly computed: string;
}
/** No value when the key is absent. `unset` says what that means, for the docs. */
export interface Unset {
    readonly unset: string;
}
export type Default<T> = Varies<T> | Computed | Unset;

const has = (value: unknown, field: string) => typeof value === "object" && value !== null && field in value;
export const isPerEnv = <T>(value: Varies<T>): value is PerEnv<T> => has(value, "perEnv");
export const isPerTarget = <T>(value: Varies<T>): value is PerTarget<T> => has(value, "perTarget");
export const isComputed = (value: Default<unknown>): value is Computed => has(value, "computed");
export const isUnset = (value: Default<unknown>): value is Unset => has(value, "unset");

/** A check of one string: the allowed text when it fails (the error's last part), undefined when it passes. */
export interface Check {
    readonly problem: (value: string) => string | undefined;
    /** What is allowed, as docs/config.md says it. */
    readonly doc: string;
}

/**
 * A number from `min` to `max` in steps of `step`: 1 for whole numbers, or a fraction such as 0.5. The error reads
 * "a whole number from min to max [unit] [in env] [note]" (or "a number from min to max in steps of step ...").
 */
export interface NumberType {
    readonly kind: "number";
    readonly min: Varies<number>;
    readonly max: number;
    readonly step: number;
    readonly unit?: string;
    readonly note?: string;
}
/** `true` or `false`. */
export interface BooleanType {
    readonly kind: "boolean";
}
/** One of a fixed list of words. */
export interface ChoiceType<T extends string> {
    readonly kind: "choice";
    readonly values: readonly T[];
}
/** Free text, optionally checked. */
export interface TextType {
    readonly kind: "text";
    readonly check?: Check;
}
/** A JSON list of strings, each checked; `shape` is the error when it is not a list of strings. */
export interface ListType {
    readonly kind: "list";
    readonly shape: string;
    readonly item: Check;
}
/** Any other JSON value; `shape` is the error (and the docs) when `is` refuses it. */
export interface JsonType<T> {
    readonly kind: "json";
    readonly shape: string;
    readonly is: (value: unknown) => value is T;
}
export type ValueType = NumberType | BooleanType | ChoiceType<string> | TextType | ListType | JsonType<unknown>;

/** The value a type parses to. */
export type ValueOf<V> = V extends NumberType
    ? number
    : V extends BooleanType
      ? boolean
      : V extends ChoiceType<infer T>
        ? T
        : V extends TextType
          ? string
          : V extends ListType
            ? string[]
            : V extends JsonType<infer T>
              ? T
              : never;

/**
 * A rule between keys, or a floor of one environment, that a section parser checks. A string is both the error's
 * allowed text and the docs' wording; a rule whose message needs a value from elsewhere gives both forms.
 */
export type Rule = string | { readonly doc: string; readonly message: (other: string | number | undefined) => string };

/** A rule whose error names another value (`other`); `doc` is its wording in docs/config.md. */
export const ruleWith = (doc: string, message: (other: string | number | undefined) => string): Rule => ({
    doc,
    message,
});

/** One config key: everything the parser, its errors and docs/config.md say about it. */
export interface KeyRow<V extends ValueType = ValueType, D extends Default<ValueOf<V>> = Default<ValueOf<V>>> {
    /** What it decides, in one line. */
    readonly doc: string;
    readonly type: V;
    readonly default: D;
    /** Rules the section parser checks beyond the type, by name. */
    readonly rules: Readonly<Record<string, Rule>>;
}

/** Rows by key name. */
export type KeyTable = Readonly<Record<string, KeyRow<ValueType, Default<any>>>>;

/** Builds a row, checking that its default has the type's value type and keeping its default's and rules' shapes. */
export function row<
    V extends ValueType,
    D extends Default<ValueOf<V>>,
    R extends Readonly<Record<string, Rule>> = Record<never, Rule>,
>(r: {
    readonly doc: string;
    readonly type: V;
    readonly default: D;
    readonly rules?: R;
}): KeyRow<V, D> & { readonly rules: R } {
    return { ...r, rules: r.rules ?? ({} as R) };
}

/** Words around a number's range in its error: a unit, and a note in parentheses. */
type NumberWords = { unit?: string; note?: string };
export const integer = (min: Varies<number>, max: number, words: NumberWords = {}): NumberType => ({
    kind: "number",
    min,
    max,
    step: 1,
    ...words,
});
/** A number in steps of `step` (for example Aurora capacity units, 0.5 apart). */
export const decimal = (min: Varies<number>, max: number, step: number, words: NumberWords = {}): NumberType => ({
    kind: "number",
    min,
    max,
    step,
    ...words,
});
export const boolean = (): BooleanType => ({ kind: "boolean" });
export const oneOf = <const T extends string>(values: readonly T[]): ChoiceType<T> => ({ kind: "choice", values });
export const text = (check?: Check): TextType => ({ kind: "text", check });
export const list = (shape: string, item: Check): ListType => ({ kind: "list", shape, item });
export const json = <T>(shape: string, is: (value: unknown) => value is T): JsonType<T> => ({
    kind: "json",
    shape,
    is,
});

/** A check by regular expression; `allowed` is the error text and, unless `doc` is given, the docs' text too. */
export const matches = (pattern: RegExp, allowed: string, doc = allowed): Check => ({
    problem: (value) => (pattern.test(value) ? undefined : allowed),
    doc,
});
