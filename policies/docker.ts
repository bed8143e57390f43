/**
 * Docker policies (the dev stack): images are pinned to a version, never `latest` or an untagged name, so dev runs
 * the PostgreSQL and PgBouncer builds that were tested.
 */
import * as docker from "@pulumi/docker";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Pure: why an image reference is not pinned, or undefined when it is (a digest, or a tag other than latest). */
export function unpinnedReason(image: string): string | undefined {
    if (/^sha256:[0-9a-f]{64}$/.test(image) || /@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
    const lastSegment = image.split("/").pop() ?? image;
    const tag = lastSegment.includes(":") ? lastSegment.split(":").pop()! : undefined;
    if (tag === undefined) return `${image} has no tag (Docker pulls latest)`;
    if (tag === "latest") return `${image} uses the latest tag`;
    if (!/\d/.test(tag)) return `${image} uses the floating tag ${tag}`;
    return undefined;
}

export const dockerImagePinned: ResourceValidationPolicy = {
    name: "docker-image-pinned",
    description: "Docker images are pinned to a version tag or digest, never latest.",
    severity: "high",
    validateResource: [
        validateResourceOfType(docker.RemoteImage, (img, _args, report) => {
            const reason = unpinnedReason(img.name ?? "");
            if (reason) report(`${reason}; pin a version such as postgres:15.18-bookworm.`);
        }),
        validateResourceOfType(docker.Container, (c, _args, report) => {
            const reason = unpinnedReason(c.image ?? "");
            if (reason) report(`${reason}; pin a version such as postgres:15.18-bookworm.`);
        }),
    ],
};

export const dockerPolicies = [dockerImagePinned];
