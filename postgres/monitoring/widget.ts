/** A dashboard widget before it is placed: its title, metrics, threshold lines and property overrides. */

/** A metric entry: namespace, name, dimension pairs, and optionally its options. */
export type Metric =
    | [string, string, ...string[]]
    | [string, string, string, string, { label?: string; stat?: string }];

/** One widget before it is placed: its title, metrics, threshold lines and any property overrides. */
export interface WidgetSpec {
    readonly title: string;
    readonly metrics: Metric[];
    readonly annotations: Array<{ label: string; value: number }>;
    readonly extra?: Record<string, unknown>;
}

export const spec = (
    title: string,
    metrics: Metric[],
    annotations: WidgetSpec["annotations"],
    extra?: Record<string, unknown>,
): WidgetSpec => ({ title, metrics, annotations, extra });
