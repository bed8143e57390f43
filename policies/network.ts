/**
 * Network policies: nothing admits the internet (0.0.0.0/0 or ::/0) to a database or pooler port, whether through an
 * inline security-group rule, a separate rule resource, a Kubernetes Service or a published Docker port.
 */
import * as aws from "@pulumi/aws";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

const WORLD = ["0.0.0.0/0", "::/0"];
const portsSchema = {
    properties: { ports: { type: "array" as const, items: { type: "integer" as const }, default: [5432, 6432] } },
};

/** Pure: does a rule's port range (protocol "-1"/"all" = every port) cover any of `ports`? */
export function coversPort(
    protocol: string | undefined,
    from: number | undefined,
    to: number | undefined,
    ports: number[],
): boolean {
    if (protocol === "-1" || protocol === "all") return true;
    if (from === undefined || to === undefined) return false;
    return ports.some((p) => from <= p && p <= to);
}

export const noWorldIngressToDatabase: ResourceValidationPolicy = {
    name: "no-world-ingress-to-database",
    description: "No security group rule admits 0.0.0.0/0 or ::/0 to a database or pooler port.",
    severity: "critical",
    configSchema: portsSchema,
    validateResource: [
        validateResourceOfType(aws.ec2.SecurityGroup, (sg, args, report) => {
            const { ports } = args.getConfig<{ ports: number[] }>();
            for (const rule of sg.ingress ?? []) {
                const world = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].filter((c) =>
                    WORLD.includes(c),
                );
                if (world.length > 0 && coversPort(rule.protocol, rule.fromPort, rule.toPort, ports))
                    report(`ingress from ${world.join(", ")} reaches port ${rule.fromPort}-${rule.toPort}.`);
            }
        }),
        validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, report) => {
            const { ports } = args.getConfig<{ ports: number[] }>();
            const cidr = rule.cidrIpv4 ?? rule.cidrIpv6;
            if (cidr && WORLD.includes(cidr) && coversPort(rule.ipProtocol, rule.fromPort, rule.toPort, ports))
                report(`ingress from ${cidr} reaches port ${rule.fromPort}-${rule.toPort}.`);
        }),
        validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, report) => {
            const { ports } = args.getConfig<{ ports: number[] }>();
            const world = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].filter((c) => WORLD.includes(c));
            if (
                rule.type === "ingress" &&
                world.length > 0 &&
                coversPort(rule.protocol, rule.fromPort, rule.toPort, ports)
            )
                report(`ingress from ${world.join(", ")} reaches port ${rule.fromPort}-${rule.toPort}.`);
        }),
    ],
};

export const poolerServiceInternal: ResourceValidationPolicy = {
    name: "pooler-service-internal",
    description: "Kubernetes Services in front of the database or pooler stay inside the cluster (ClusterIP).",
    severity: "critical",
    configSchema: portsSchema,
    validateResource: validateResourceOfType(k8s.core.v1.Service, (svc, args, report) => {
        const { ports } = args.getConfig<{ ports: number[] }>();
        const type = svc.spec?.type ?? "ClusterIP";
        const dbPorts = (svc.spec?.ports ?? []).filter(
            (p: any) => ports.includes(Number(p.port)) || ports.includes(Number(p.targetPort)),
        );
        if (dbPorts.length > 0 && type !== "ClusterIP")
            report(`Service type is ${type}; ClusterIP required for a database port.`);
    }),
};

export const dockerPortsLocalhost: ResourceValidationPolicy = {
    name: "docker-ports-localhost",
    description: "Docker containers publish ports on the loopback address only.",
    severity: "critical",
    validateResource: validateResourceOfType(docker.Container, (c, _args, report) => {
        for (const p of c.ports ?? []) {
            if (p.ip !== "127.0.0.1" && p.ip !== "::1")
                report(
                    `port ${p.internal} is published on ${p.ip ?? "0.0.0.0 (every interface)"}; 127.0.0.1 required.`,
                );
        }
    }),
};

export const networkPolicies = [noWorldIngressToDatabase, poolerServiceInternal, dockerPortsLocalhost];
