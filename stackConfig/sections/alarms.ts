/** The alarms-and-tags section: where alarms go, and the tags every resource carries. */
import * as c from "../checks";
import type { Reader } from "../read";
import { json, row, text } from "../schema";
import type { StackConfig } from "../types";

export const ALARM_AND_TAG_KEYS = {
    alarmEmail: row({
        doc: "where alarms go",
        type: text(c.EMAIL),
        default: { unset: "none" },
        rules: { prod: "required in prod: alarms must reach a person" },
    }),
    tags: row({
        doc: "added to `project`, `environment`, `managed-by` on every resource",
        type: json("a map of string to string", c.isStringMap),
        default: {},
        rules: {
            key: `tag keys of 1 to ${c.TAG_KEY_MAX} characters, not starting with aws:`,
            value: `tag values of at most ${c.TAG_VALUE_MAX} characters`,
        },
    }),
};

/** Reads the alarm address (always set in prod) and the tags, which add to the ones every stack sets. */
export function readAlarmsAndTags(r: Reader<typeof ALARM_AND_TAG_KEYS>): Pick<StackConfig, "alarmEmail" | "tags"> {
    const alarmEmail = r.read("alarmEmail");
    if (r.prod && alarmEmail === undefined) r.breaks("alarmEmail", "prod", undefined);
    const tags = r.read("tags");
    for (const [key, value] of Object.entries(tags)) {
        if (c.badTagKey(key)) r.breaks("tags", "key", key);
        if (value.length > c.TAG_VALUE_MAX) r.breaks("tags", "value", value);
    }
    return {
        alarmEmail,
        tags: { project: "metacortex", environment: r.environment!, "managed-by": "pulumi", ...tags },
    };
}
