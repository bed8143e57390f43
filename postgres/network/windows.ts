/**
 * RDS backup and maintenance windows as minutes of the week, so that overlap and length can be checked before
 * a preview instead of being rejected by the RDS API at `pulumi up`.
 *
 * Formats (UTC, as the RDS API takes them):
 * - backup window, daily:      `hh24:mi-hh24:mi`            e.g. `03:00-03:30`
 * - maintenance window, weekly: `ddd:hh24:mi-ddd:hh24:mi`    e.g. `sun:04:00-sun:05:00`
 * RDS requires each window to last at least 30 minutes and the two not to overlap.
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** Shortest window RDS accepts, in minutes. */
export const MIN_WINDOW_MINUTES = 30;

/** A half-open interval `[start, start + length)` on the circle of a week, in minutes from Monday 00:00 UTC. */
export interface WeekInterval {
    readonly start: number;
    readonly length: number;
}

function clock(text: string): number | undefined {
    const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
    return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** Parses a daily `hh24:mi-hh24:mi` window; returns its start and length in minutes, or undefined if malformed. */
export function parseDailyWindow(text: string): { start: number; length: number } | undefined {
    const parts = text.split("-");
    if (parts.length !== 2) return undefined;
    const [start, end] = parts.map(clock);
    if (start === undefined || end === undefined) return undefined;
    const length = (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY;
    return { start, length };
}

/** Parses a weekly `ddd:hh24:mi-ddd:hh24:mi` window into a week interval, or undefined if malformed. */
export function parseWeeklyWindow(text: string): WeekInterval | undefined {
    const m = /^([a-z]{3}):(\d\d:\d\d)-([a-z]{3}):(\d\d:\d\d)$/.exec(text.toLowerCase());
    if (!m) return undefined;
    const startDay = DAYS.indexOf(m[1] as (typeof DAYS)[number]);
    const endDay = DAYS.indexOf(m[3] as (typeof DAYS)[number]);
    const startClock = clock(m[2]);
    const endClock = clock(m[4]);
    if (startDay < 0 || endDay < 0 || startClock === undefined || endClock === undefined) return undefined;
    const start = startDay * MINUTES_PER_DAY + startClock;
    const end = endDay * MINUTES_PER_DAY + endClock;
    return { start, length: (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK };
}

function intersects(a: WeekInterval, b: WeekInterval): boolean {
    // On a circle, two arcs meet if either one's start lies inside the other.
    const inside = (point: number, arc: WeekInterval) =>
        (point - arc.start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < arc.length;
    return a.length > 0 && b.length > 0 && (inside(a.start, b) || inside(b.start, a));
}

/** True when the daily backup window meets the weekly maintenance window on any day of the week. */
export function windowsOverlap(backupWindow: string, maintenanceWindow: string): boolean {
    const daily = parseDailyWindow(backupWindow);
    const weekly = parseWeeklyWindow(maintenanceWindow);
    if (!daily || !weekly)
        throw new Error(`cannot compare malformed windows "${backupWindow}" and "${maintenanceWindow}"`);
    return DAYS.some((_, day) =>
        intersects({ start: day * MINUTES_PER_DAY + daily.start, length: daily.length }, weekly),
    );
}
