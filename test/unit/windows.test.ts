import { strict as assert } from "assert";
import * as fc from "fast-check";
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "../../postgres/network/windows";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Oracle: mark every minute of the week each window covers and look for a shared minute. */
function bruteForceOverlap(dailyStart: number, dailyLen: number, weeklyStart: number, weeklyLen: number): boolean {
    const week = 7 * 1440;
    const covered = new Uint8Array(week);
    for (let d = 0; d < 7; d++) for (let i = 0; i < dailyLen; i++) covered[(d * 1440 + dailyStart + i) % week] = 1;
    for (let i = 0; i < weeklyLen; i++) if (covered[(weeklyStart + i) % week]) return true;
    return false;
}

describe("RDS windows", () => {
    it("parses daily and weekly windows, including ones that wrap midnight and the week", () => {
        assert.deepEqual(parseDailyWindow("23:30-00:15"), { start: 1410, length: 45 });
        assert.deepEqual(parseWeeklyWindow("sun:23:00-mon:01:00"), { start: 6 * 1440 + 1380, length: 120 });
        assert.equal(parseDailyWindow("24:00-01:00"), undefined);
        assert.equal(parseWeeklyWindow("sun:04:00"), undefined);
    });

    it("finds the overlaps an operator would", () => {
        assert.equal(windowsOverlap("03:00-03:30", "sun:04:00-sun:05:00"), false);
        assert.equal(windowsOverlap("03:00-03:30", "sun:03:29-sun:04:00"), true);
        assert.equal(windowsOverlap("03:00-03:30", "sun:03:30-sun:04:00"), false, "touching is not overlapping");
        assert.equal(windowsOverlap("23:45-00:30", "mon:00:15-mon:01:00"), true, "daily window wrapping midnight");
        assert.equal(windowsOverlap("01:00-01:30", "sun:23:00-mon:01:15"), true, "weekly window wrapping the week");
    });

    it("agrees with a minute-by-minute oracle on random windows", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 1439 }),
                fc.integer({ min: 30, max: 600 }),
                fc.integer({ min: 0, max: 7 * 1440 - 1 }),
                fc.integer({ min: 30, max: 1440 }),
                (ds, dl, ws, wl) => {
                    const daily = `${hhmm(ds)}-${hhmm(ds + dl)}`;
                    const we = ws + wl;
                    const weekly = `${DAYS[Math.floor(ws / 1440)]}:${hhmm(ws % 1440)}-${DAYS[Math.floor(we / 1440) % 7]}:${hhmm(we % 1440)}`;
                    return windowsOverlap(daily, weekly) === bruteForceOverlap(ds, dl, ws, wl);
                },
            ),
            { numRuns: 300 },
        );
    });
});
