import * as assert from "assert";
import * as network from "../../policies/network";
import * as docker from "../../policies/docker";
import { check } from "./harness";
import { postgresContainer, TYPES } from "./fixtures";

describe("policies: network", () => {
    const p = network.noWorldIngressToDatabase;
    describe(p.name, () => {
        const sg = (ingress: Record<string, any>[]) => ({
            ingress,
            egress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443, protocol: "tcp" }],
        });
        it("passes security-group-to-security-group ingress, and world egress to 443", async () => {
            assert.deepEqual(
                await check(
                    p,
                    TYPES.securityGroup,
                    sg([{ securityGroups: ["sg-1"], fromPort: 5432, toPort: 5432, protocol: "tcp" }]),
                ),
                [],
            );
            assert.deepEqual(
                await check(p, TYPES.ingressRule, {
                    referencedSecurityGroupId: "sg-1",
                    fromPort: 5432,
                    toPort: 5432,
                    ipProtocol: "tcp",
                }),
                [],
            );
        });
        it("fails on an inline rule from 0.0.0.0/0 to 5432", async () =>
            assert.deepEqual(
                await check(
                    p,
                    TYPES.securityGroup,
                    sg([{ cidrBlocks: ["0.0.0.0/0"], fromPort: 5432, toPort: 5432, protocol: "tcp" }]),
                ),
                ["ingress from 0.0.0.0/0 reaches port 5432-5432."],
            ));
        it("fails on a range covering 6432 from ::/0", async () =>
            assert.deepEqual(
                await check(
                    p,
                    TYPES.securityGroup,
                    sg([{ ipv6CidrBlocks: ["::/0"], fromPort: 6000, toPort: 7000, protocol: "tcp" }]),
                ),
                ["ingress from ::/0 reaches port 6000-7000."],
            ));
        it("fails on all protocols from the world", async () =>
            assert.deepEqual(
                await check(
                    p,
                    TYPES.securityGroup,
                    sg([{ cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0, protocol: "-1" }]),
                ),
                ["ingress from 0.0.0.0/0 reaches port 0-0."],
            ));
        it("passes a world rule to another port: not this policy's concern", async () =>
            assert.deepEqual(
                await check(
                    p,
                    TYPES.securityGroup,
                    sg([{ cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443, protocol: "tcp" }]),
                ),
                [],
            ));
        it("fails on a SecurityGroupIngressRule from 0.0.0.0/0", async () =>
            assert.deepEqual(
                await check(p, TYPES.ingressRule, {
                    cidrIpv4: "0.0.0.0/0",
                    fromPort: 5432,
                    toPort: 5432,
                    ipProtocol: "tcp",
                }),
                ["ingress from 0.0.0.0/0 reaches port 5432-5432."],
            ));
        it("fails on a SecurityGroupRule of type ingress from ::/0", async () =>
            assert.deepEqual(
                await check(p, TYPES.sgRule, {
                    type: "ingress",
                    ipv6CidrBlocks: ["::/0"],
                    fromPort: 5432,
                    toPort: 5432,
                    protocol: "tcp",
                }),
                ["ingress from ::/0 reaches port 5432-5432."],
            ));
    });
    describe(network.poolerServiceInternal.name, () => {
        const svc = (type?: string) => ({ spec: { type, ports: [{ port: 5432, targetPort: 5432 }] } });
        it("passes ClusterIP (also when unset)", async () => {
            assert.deepEqual(await check(network.poolerServiceInternal, TYPES.service, svc("ClusterIP")), []);
            assert.deepEqual(await check(network.poolerServiceInternal, TYPES.service, svc()), []);
        });
        it("fails on a LoadBalancer", async () =>
            assert.deepEqual(await check(network.poolerServiceInternal, TYPES.service, svc("LoadBalancer")), [
                "Service type is LoadBalancer; ClusterIP required for a database port.",
            ]));
        it("fails on a NodePort", async () =>
            assert.deepEqual(await check(network.poolerServiceInternal, TYPES.service, svc("NodePort")), [
                "Service type is NodePort; ClusterIP required for a database port.",
            ]));
    });
    describe(network.dockerPortsLocalhost.name, () => {
        it("passes 127.0.0.1", async () =>
            assert.deepEqual(await check(network.dockerPortsLocalhost, TYPES.container, postgresContainer()), []));
        it("fails when published on every interface", async () =>
            assert.deepEqual(
                await check(network.dockerPortsLocalhost, TYPES.container, {
                    ...postgresContainer(),
                    ports: [{ internal: 5432, external: 5432 }],
                }),
                ["port 5432 is published on 0.0.0.0 (every interface); 127.0.0.1 required."],
            ));
    });
});

describe("policies: docker", () => {
    const p = docker.dockerImagePinned;
    describe(p.name, () => {
        it("passes a version tag and a digest", async () => {
            assert.deepEqual(await check(p, TYPES.image, { name: "postgres:15.18-bookworm" }), []);
            assert.deepEqual(await check(p, TYPES.image, { name: `postgres@sha256:${"a".repeat(64)}` }), []);
            assert.deepEqual(await check(p, TYPES.image, { name: "registry.example:5000/team/pgbouncer:1.23.1" }), []);
            assert.deepEqual(await check(p, TYPES.container, postgresContainer()), []);
        });
        it("fails on latest", async () =>
            assert.deepEqual(await check(p, TYPES.image, { name: "postgres:latest" }), [
                "postgres:latest uses the latest tag; pin a version such as postgres:15.18-bookworm.",
            ]));
        it("fails without a tag (a registry port is not a tag)", async () =>
            assert.deepEqual(await check(p, TYPES.image, { name: "registry.example:5000/postgres" }), [
                "registry.example:5000/postgres has no tag (Docker pulls latest); pin a version such as postgres:15.18-bookworm.",
            ]));
        it("fails on a floating tag", async () =>
            assert.deepEqual(await check(p, TYPES.image, { name: "postgres:bookworm" }), [
                "postgres:bookworm uses the floating tag bookworm; pin a version such as postgres:15.18-bookworm.",
            ]));
        it("fails when a container names an image directly", async () =>
            assert.deepEqual(await check(p, TYPES.container, { ...postgresContainer(), image: "postgres" }), [
                "postgres has no tag (Docker pulls latest); pin a version such as postgres:15.18-bookworm.",
            ]));
    });
});
