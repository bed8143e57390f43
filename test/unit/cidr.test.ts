import { strict as assert } from "assert";
import { checkCidr } from "../../postgres/network/cidr";
import { ingressRules } from "../../components/aws/databaseNetwork";

describe("CIDR rules", () => {
    it("accepts private ranges of both families", () => {
        assert.deepEqual(checkCidr("10.0.0.0/8"), { ok: true, family: 4, prefix: 8 });
        assert.deepEqual(checkCidr("192.168.1.0/24"), { ok: true, family: 4, prefix: 24 });
        assert.deepEqual(checkCidr("fd00:1234::/48"), { ok: true, family: 6, prefix: 48 });
    });

    it("refuses the whole internet and anything nearly as wide", () => {
        for (const cidr of ["0.0.0.0/0", "::/0", "0.0.0.0/1", "10.0.0.0/7", "2000::/3"]) {
            const check = checkCidr(cidr);
            assert.equal(check.ok, false, cidr);
        }
    });

    it("refuses malformed ranges", () => {
        for (const cidr of ["10.0.0.0", "10.0.0.256/24", "10.0.0/24", "fd00::/129", "fd00:::1/64", "example.com/24"]) {
            assert.equal(checkCidr(cidr).ok, false, cidr);
        }
    });

    it("turns sources into stable, per-family ingress rules", () => {
        const rules = ingressRules(["10.20.0.0/16", "fd00:1::/64"], ["sg-0123456789abcdef0"]);
        assert.deepEqual(rules, [
            { id: "cidr-10-20-0-0-16", description: "PostgreSQL from 10.20.0.0/16", cidrIpv4: "10.20.0.0/16" },
            { id: "cidr-fd00-1-64", description: "PostgreSQL from fd00:1::/64", cidrIpv6: "fd00:1::/64" },
            {
                id: "sg-0123456789abcdef0",
                description: "PostgreSQL from sg-0123456789abcdef0",
                referencedSecurityGroupId: "sg-0123456789abcdef0",
            },
        ]);
        assert.throws(() => ingressRules(["0.0.0.0/0"], []), /refusing database ingress from 0\.0\.0\.0\/0/);
    });
});
