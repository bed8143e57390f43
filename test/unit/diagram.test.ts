/** The diagram layout behind docs/architecture.svg: boxes ranked above what they point to, arrows around boxes. */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { renderArchitectureSvg, wrap } from "../../scripts/lib/docs/architectureSvg";
import { type Arrow, type Box, layout, type Placed } from "../../scripts/lib/docs/diagram/layout";
import { PACKAGES } from "../../scripts/lib/architecture/layers";

/** Whether an axis-parallel segment passes through the inside of a box. */
function crosses([x1, y1]: [number, number], [x2, y2]: [number, number], b: Placed): boolean {
    const [left, right] = [Math.min(x1, x2), Math.max(x1, x2)];
    const [top, bottom] = [Math.min(y1, y2), Math.max(y1, y2)];
    return right > b.x && left < b.x + b.w && bottom > b.y && top < b.y + b.h;
}

const graphs = fc
    .array(fc.record({ w: fc.integer({ min: 60, max: 220 }), h: fc.integer({ min: 30, max: 120 }) }), {
        minLength: 2,
        maxLength: 9,
    })
    .chain((sizes) =>
        fc
            .uniqueArray(
                fc
                    .tuple(fc.nat(sizes.length - 1), fc.nat(sizes.length - 1))
                    .filter(([a, b]) => a < b)
                    .map(([a, b]) => `${a}>${b}`),
            )
            .map((pairs) => ({
                boxes: sizes.map((s, i): Box => ({ id: `b${i}`, ...s })),
                arrows: pairs.map((p): Arrow => ({ from: `b${p.split(">")[0]}`, to: `b${p.split(">")[1]}` })),
            })),
    );

describe("diagram layout", () => {
    it("places each box above every box it points to, and routes each arrow at right angles around the boxes", () => {
        fc.assert(
            fc.property(graphs, ({ boxes, arrows }) => {
                const l = layout(boxes, arrows, 3);
                const at = new Map(l.boxes.map((b) => [b.id, b]));
                for (const { arrow, points } of l.routes) {
                    const [s, t] = [at.get(arrow.from)!, at.get(arrow.to)!];
                    assert.ok(s.y + s.h < t.y, `${arrow.from} above ${arrow.to}`);
                    assert.deepEqual([points[0][1], points[points.length - 1][1]], [s.y + s.h, t.y]);
                    for (let i = 1; i < points.length; i++) {
                        const [a, b] = [points[i - 1], points[i]];
                        assert.ok(a[0] === b[0] || a[1] === b[1], "right angles only");
                        for (const box of l.boxes)
                            assert.ok(!crosses(a, b, box), `${arrow.from}->${arrow.to} crosses ${box.id}`);
                    }
                }
            }),
            { numRuns: 200 },
        );
    });

    it("refuses arrows that form a cycle", () => {
        const boxes = [
            { id: "a", w: 50, h: 30 },
            { id: "b", w: 50, h: 30 },
        ];
        assert.throws(
            () =>
                layout(boxes, [
                    { from: "a", to: "b" },
                    { from: "b", to: "a" },
                ]),
            /arrows form a cycle through a/,
        );
    });

    it("wraps labels at word boundaries", () => {
        assert.deepEqual(wrap("catalog, sizing, renderers", 12), ["catalog,", "sizing,", "renderers"]);
        assert.deepEqual(wrap("a b c", 10), ["a b c"]);
    });
});

describe("docs/architecture.svg", () => {
    const svg = renderArchitectureSvg();

    it("is one SVG document that names every package of the table", () => {
        assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>\n$/);
        assert.equal(svg.match(/<svg/g)!.length, 1);
        for (const p of PACKAGES) {
            const last = p.path.endsWith("/") ? p.path.split("/").slice(-2)[0] : p.path;
            assert.ok(svg.includes(`>${last}`), `${p.path} is drawn`);
        }
    });

    it("draws one arrow per allowed import between layers and inside components, the tests' none", () => {
        // Between layers: index.ts 4, scripts 4 + 1 read, config 2, programFiles 2, components, stackConfig and
        // policies 1 each (16). Inside components: the root 7, metacortex 6, aws, docker, kubernetes and postgresql 2
        // each, tls 1 (22).
        assert.equal(svg.match(/<polyline /g)!.length, 38);
        assert.equal(svg.match(/stroke-dasharray/g)!.length, 1);
    });
});
