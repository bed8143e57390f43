/** Pure: the trust policy that lets one AWS service assume a role, optionally under a condition (confused-deputy guard). */
export function serviceAssumeRolePolicy(service: string, condition?: Record<string, unknown>): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                ...(condition ? { Condition: condition } : {}),
            },
        ],
    });
}
