import * as pulumi from "@pulumi/pulumi";

/**
 * Runs a computation of the domain core (pool sizes, ingress rules) inside a component, so that a refusal surfaces
 * as a ResourceError naming the component (Pulumi prints its URN), with the core's own message.
 */
export function withResource<T>(resource: pulumi.Resource, compute: () => T): T {
    try {
        return compute();
    } catch (error) {
        if (error instanceof pulumi.ResourceError || !(error instanceof Error)) throw error;
        throw new pulumi.ResourceError(error.message, resource);
    }
}
