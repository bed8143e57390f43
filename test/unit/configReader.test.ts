/** The reader against a small table of its own: every kind of row, read as its row says, with the errors it gives. */
import { strict as assert } from "assert";
import * as fc from "fast-check";
import { Reader } from "../../stackConfig/read";
import {
    boolean,
    decimal,
    integer,
    list,
    matches,
    oneOf,
    perEnv,
    perTarget,
    row,
    ruleWith,
    text,
} from "../../stackConfig/schema";
import type { Environment, RawConfig, Target } from "../../stackConfig/types";

const TABLE = {
    readers: row({ doc: "readers", type: integer(perEnv(0, 1), 15, { unit: "readers" }), default: perEnv(0, 2) }),
    minAcu: row({ doc: "capacity", type: decimal(0, 256, 0.5, { unit: "ACUs" }), default: 0.5 }),
    engine: row({ doc: "engine", type: oneOf(["rds", "aurora"]), default: "rds" }),
    region: row({
        doc: "region",
        type: text(matches(/^[a-z]{2}-[a-z]+-\d$/, "a region")),
        default: { unset: "none" },
        rules: { other: ruleWith("not the stack's region", (r) => `not the stack's region (${r})`) },
    }),
    path: row({ doc: "path", type: text(), default: perTarget("docker.pem", "aws.pem") }),
    copy: row({ doc: "copy", type: integer(1, 10), default: { computed: "twice readers" } }),
    ids: row({ doc: "ids", type: list("a list of ids", matches(/^id-\d+$/, "id-<digits>")), default: [] }),
    on: row({ doc: "on", type: boolean(), default: false }),
};

function reader(raw: RawConfig, environment: Environment = "prod", target: Target = "aws") {
    const r = new Reader(raw, environment, TABLE);
    r.environment = environment;
    r.target = target;
    return r;
}

describe("config reader: values", () => {
    it("reads defaults per environment and target, computed and unset ones", () => {
        const prod = reader({});
        assert.deepEqual(
            [prod.read("readers"), prod.read("minAcu"), prod.read("engine"), prod.read("region"), prod.read("path")],
            [2, 0.5, "rds", undefined, "aws.pem"],
        );
        assert.equal(prod.read("copy", 4), 4);
        const dev = reader({}, "dev", "docker");
        assert.deepEqual(
            [dev.read("readers"), dev.read("path"), dev.read("ids"), dev.read("on")],
            [0, "docker.pem", [], false],
        );
        assert.deepEqual([...prod.issues, ...dev.issues], []);
    });

    it("reads given values", () => {
        const r = reader({
            readers: "15",
            minAcu: "2.5",
            engine: "aurora",
            region: "eu-west-1",
            ids: '["id-1"]',
            on: "true",
        });
        assert.deepEqual(
            [r.read("readers"), r.read("minAcu"), r.read("engine"), r.read("region"), r.read("ids"), r.read("on")],
            [15, 2.5, "aurora", "eu-west-1", ["id-1"], true],
        );
        assert.deepEqual(r.issues, []);
    });
});

describe("config reader: refusals", () => {
    it("fails when values break their rows, naming the key, the value and what is allowed, and reads on", () => {
        const r = reader({
            readers: "0",
            minAcu: "0.3",
            engine: "mysql",
            region: "x",
            ids: '["id-1", "nope"]',
            on: "1",
        });
        assert.deepEqual(
            [r.read("readers"), r.read("minAcu"), r.read("engine"), r.read("region"), r.read("ids"), r.read("on")],
            [2, 0.5, undefined, "x", ["id-1", "nope"], false],
        );
        r.breaks("region", "other", "x", "eu-west-1");
        assert.deepEqual(r.issues, [
            { key: "readers", value: "0", allowed: "a whole number from 1 to 15 readers in prod" },
            { key: "minAcu", value: "0.3", allowed: "a number from 0 to 256 in steps of 0.5 ACUs" },
            { key: "engine", value: "mysql", allowed: "one of rds, aurora" },
            { key: "region", value: "x", allowed: "a region" },
            { key: "ids", value: "nope", allowed: "id-<digits>" },
            { key: "on", value: "1", allowed: "true or false" },
            { key: "region", value: "x", allowed: "not the stack's region (eu-west-1)" },
        ]);
        assert.throws(() => r.finish(), /invalid stack configuration \(7 problems\)/);
    });

    it("accepts exactly the multiples of a decimal's step within its range", () => {
        fc.assert(
            fc.property(fc.integer({ min: -20, max: 600 }), (halves) => {
                const r = reader({ minAcu: String(halves / 2) });
                const value = r.read("minAcu");
                const inRange = halves >= 0 && halves <= 512;
                assert.equal(r.issues.length === 0, inRange, String(halves / 2));
                assert.equal(value, inRange ? halves / 2 : 0.5);
            }),
        );
        for (const text of ["0.25", "1e1", "", "one"]) {
            const r = reader({ minAcu: text });
            r.read("minAcu");
            assert.equal(r.issues.length, 1, `${JSON.stringify(text)} was accepted`);
        }
    });
});
