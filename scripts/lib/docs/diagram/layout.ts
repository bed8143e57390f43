/**
 * Pure: a small layered layout for box-and-arrow diagrams. Boxes are ranked so that every arrow points down (a box
 * sits above everything it points to), rows are centred, and arrows are routed at right angles: down from the
 * source, along a track in the gutter under its row, down a free lane past any rows in between, into the target.
 */

export interface Box {
    readonly id: string;
    readonly w: number;
    readonly h: number;
}

export interface Arrow {
    readonly from: string;
    readonly to: string;
    readonly dashed?: boolean;
    /** Ranks the boxes (the source sits above the target) but is not drawn. */
    readonly hidden?: boolean;
}

export interface Placed {
    readonly id: string;
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
}

export interface Route {
    readonly arrow: Arrow;
    /** Corner points from the source's bottom edge to the target's top edge. */
    readonly points: readonly [number, number][];
}

export interface Layout {
    readonly w: number;
    readonly h: number;
    readonly boxes: readonly Placed[];
    readonly routes: readonly Route[];
}

const GAP = 40;
const TRACK = 9;
const MARGIN = 24;
/** Room one lane takes beside the boxes (lanes keep 4 px either side free). */
const LANE = 10;

/** Rank of each box: 0 for boxes that point nowhere, otherwise one more than the highest box it points to. */
export function ranks(boxes: readonly Box[], arrows: readonly Arrow[]): Map<string, number> {
    const rank = new Map<string, number>();
    const visiting = new Set<string>();
    const of = (id: string): number => {
        if (rank.has(id)) return rank.get(id)!;
        if (visiting.has(id)) throw new Error(`diagram: arrows form a cycle through ${id}`);
        visiting.add(id);
        const below = arrows.filter((a) => a.from === id && a.to !== id).map((a) => of(a.to) + 1);
        rank.set(id, Math.max(0, ...below));
        return rank.get(id)!;
    };
    for (const b of boxes) of(b.id);
    return rank;
}

/** Rows top to bottom: highest rank first, boxes in input order, at most `perRow` boxes a row. */
function rows(boxes: readonly Box[], arrows: readonly Arrow[], perRow: number): Box[][] {
    const rank = ranks(boxes, arrows);
    const top = Math.max(0, ...rank.values());
    const out: Box[][] = [];
    for (let r = top; r >= 0; r--) {
        const row = boxes.filter((b) => rank.get(b.id) === r);
        for (let i = 0; i < row.length; i += perRow) out.push(row.slice(i, i + perRow));
    }
    return out.filter((row) => row.length > 0);
}

/** The gutter (index of the row above it) where an arrow turns first, and where it turns last. */
function gutters(arrow: Arrow, rowOf: Map<string, number>): [number, number] {
    return [rowOf.get(arrow.from)!, rowOf.get(arrow.to)! - 1];
}

/** Places rows centred under each other, each gutter tall enough for the tracks that run through it. */
function place(
    grid: Box[][],
    arrows: readonly Arrow[],
): { boxes: Placed[]; gutterTop: number[]; w: number; h: number } {
    const rowOf = new Map(grid.flatMap((row, i) => row.map((b): [string, number] => [b.id, i])));
    const tracks = grid.map((_, i) => arrows.filter((a) => gutters(a, rowOf).includes(i)).length);
    const widths = grid.map((row) => row.reduce((s, b) => s + b.w, 0) + GAP * (row.length - 1));
    // Arrows that skip rows go down lanes beside the boxes when the rows between leave none: room for each, both sides.
    const long = arrows.filter((a) => rowOf.get(a.to)! - rowOf.get(a.from)! > 1).length;
    const w = Math.max(...widths) + 2 * (MARGIN + Math.ceil(long / 2) * LANE);
    const boxes: Placed[] = [];
    const gutterTop: number[] = [];
    let y = MARGIN;
    grid.forEach((row, i) => {
        let x = (w - widths[i]) / 2;
        const h = Math.max(...row.map((b) => b.h));
        for (const b of row) {
            boxes.push({ id: b.id, x, y, w: b.w, h: b.h });
            x += b.w + GAP;
        }
        y += h;
        gutterTop.push(y);
        y += i < grid.length - 1 ? Math.max(GAP, (tracks[i] + 1) * TRACK + 12) : MARGIN;
    });
    return { boxes, gutterTop, w, h: y };
}

/** Evenly spread points along a span, in the order given. */
function spread(left: number, width: number, n: number, i: number): number {
    return Math.round(left + (width * (i + 1)) / (n + 1));
}

/** An x free of boxes in every row strictly between `fromRow` and `toRow`, nearest to `want`. */
function lane(grid: Placed[][], fromRow: number, toRow: number, want: number, used: Set<number>, w: number): number {
    const between = grid.slice(fromRow + 1, toRow);
    const free = (x: number) =>
        !used.has(x) && between.every((row) => row.every((b) => x < b.x - 6 || x > b.x + b.w + 6));
    for (let d = 0; d < w; d += 4) {
        for (const x of [Math.round(want - d), Math.round(want + d)]) {
            if (x > 4 && x < w - 4 && free(x)) return x;
        }
    }
    throw new Error("diagram: no free lane for an arrow");
}

/** Lays out boxes and arrows; arrows must all point from a higher rank to a lower one. */
export function layout(input: readonly Box[], all: readonly Arrow[], perRow = 4): Layout {
    const grid = rows(input, all, perRow);
    const arrows = all.filter((a) => !a.hidden);
    const { boxes, gutterTop, w, h } = place(grid, arrows);
    const at = new Map(boxes.map((b) => [b.id, b]));
    const rowOf = new Map(grid.flatMap((row, i) => row.map((b): [string, number] => [b.id, i])));
    const placedGrid = grid.map((row) => row.map((b) => at.get(b.id)!));
    const centre = (id: string) => at.get(id)!.x + at.get(id)!.w / 2;
    const outOf = (id: string) => arrows.filter((a) => a.from === id).sort((a, b) => centre(a.to) - centre(b.to));
    const into = (id: string) => arrows.filter((a) => a.to === id).sort((a, b) => centre(a.from) - centre(b.from));
    const nextTrack = gutterTop.map(() => 0);
    const usedLanes = new Set<number>();
    const routes = arrows.map((arrow): Route => {
        const s = at.get(arrow.from)!;
        const t = at.get(arrow.to)!;
        const sx = spread(s.x, s.w, outOf(s.id).length, outOf(s.id).indexOf(arrow));
        const tx = spread(t.x, t.w, into(t.id).length, into(t.id).indexOf(arrow));
        const [first, last] = gutters(arrow, rowOf);
        const y1 = gutterTop[first] + TRACK * ++nextTrack[first];
        if (first === last)
            return {
                arrow,
                points: [
                    [sx, s.y + s.h],
                    [sx, y1],
                    [tx, y1],
                    [tx, t.y],
                ],
            };
        const x = lane(placedGrid, first, last + 1, tx, usedLanes, w);
        for (let d = -4; d <= 4; d++) usedLanes.add(x + d);
        const y2 = gutterTop[last] + TRACK * ++nextTrack[last];
        const points: [number, number][] = [
            [sx, s.y + s.h],
            [sx, y1],
            [x, y1],
            [x, y2],
            [tx, y2],
            [tx, t.y],
        ];
        return { arrow, points };
    });
    return { w, h, boxes, routes };
}
