/** A small, fast, seedable PRNG (sfc32, seeded through a string hash) so the same --seed gives the same data. */
import { createHash } from "crypto";

export class Random {
    private a: number;
    private b: number;
    private c: number;
    private d: number;

    /** Seeds from any string, e.g. `${seed}/user/${index}`: independent streams per key. */
    constructor(key: string) {
        const h = createHash("sha256").update(key).digest();
        this.a = h.readUInt32LE(0);
        this.b = h.readUInt32LE(4);
        this.c = h.readUInt32LE(8);
        this.d = h.readUInt32LE(12);
        for (let i = 0; i < 12; i++) this.next();
    }

    /** Uniform in [0, 1). */
    next(): number {
        this.a >>>= 0;
        this.b >>>= 0;
        this.c >>>= 0;
        this.d >>>= 0;
        const t = (this.a + this.b) | 0;
        this.a = this.b ^ (this.b >>> 9);
        this.b = (this.c + (this.c << 3)) | 0;
        this.c = (this.c << 21) | (this.c >>> 11);
        this.d = (this.d + 1) | 0;
        const r = (t + this.d) | 0;
        this.c = (this.c + r) | 0;
        return (r >>> 0) / 4294967296;
    }

    /** Integer in [min, max]. */
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }

    chance(p: number): boolean {
        return this.next() < p;
    }

    pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }

    /** A shuffled copy (Fisher-Yates). */
    shuffle<T>(items: readonly T[]): T[] {
        const out = [...items];
        for (let i = out.length - 1; i > 0; i--) {
            const j = Math.floor(this.next() * (i + 1));
            [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
    }

    /** Picks by weight: `[[value, weight], ...]`. */
    weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
        const total = choices.reduce((s, [, w]) => s + w, 0);
        let x = this.next() * total;
        for (const [value, w] of choices) {
            x -= w;
            if (x < 0) return value;
        }
        return choices[choices.length - 1][0];
    }

    /** Exponentially distributed with the given mean (a long tail of heavy users), capped. */
    exponential(mean: number, cap: number): number {
        return Math.min(cap, Math.floor(-Math.log(1 - this.next()) * mean));
    }

    /** A UUIDv7 for a time in ms: the same layout as app.uuid_generate_v7(), with bits from this stream. */
    uuidv7(ms: number): string {
        const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, "0");
        const time = hex(ms, 12);
        const randA = hex(this.int(0, 0xfff), 3);
        const variant = hex(0x8000 | this.int(0, 0x3fff), 4);
        const randB = hex(this.int(0, 0xffffff), 6) + hex(this.int(0, 0xffffff), 6);
        return `${time.slice(0, 8)}-${time.slice(8)}-7${randA}-${variant}-${randB}`;
    }
}
