/** Helpers for the component-guard tests: each component is built directly under mocks with one bad argument. */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { drain } from "./stack";

/** Asserts that `build` throws a ResourceError for a `type` resource, with exactly `message`. */
export function refuses(build: () => unknown, type: new (...args: any[]) => pulumi.Resource, message: string): void {
    assert.throws(build, (error: unknown) => {
        assert.ok(pulumi.ResourceError.isInstance(error), `expected a ResourceError, got ${error}`);
        assert.ok(error.resource instanceof type, `the error names the ${type.name} it comes from`);
        assert.equal(error.message, message);
        return true;
    });
}

export const tags = { project: "metacortex" };
let seq = 0;
/** A fresh resource name per construction (mocks refuse none, but names stay readable in failures). */
export const name = (base: string) => `${base}-${++seq}`;

/** Installs mocks that echo inputs with an ARN-shaped id, and waits for every registration before the next file. */
export function guardMocks(): void {
    before(async () => {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => ({
                    id: `${args.name}-id`,
                    state: { ...args.inputs, arn: `arn:aws:mock:${args.name}` },
                }),
                call: (args) => ({ accountId: "123456789012", partition: "aws", name: "eu-west-1", id: args.token }),
            },
            "metacortex-db",
            "guards",
            false,
        );
    });
    // Every registration started here reaches the mock monitor before the next file's tests set their own mocks.
    after(() => drain());
}
