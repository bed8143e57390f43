/**
 * The RDS instance classes this platform sizes PostgreSQL for: vCPUs and memory as AWS publishes them
 * (Amazon RDS User Guide, "DB instance classes" > "Hardware specifications for DB instance classes").
 * Sizing (shared_buffers, max_connections, pool sizes, alarm thresholds) is derived from these two numbers,
 * so a class missing here is refused at preview rather than guessed.
 *
 * Graviton (g) classes only: they are the price/performance default for PostgreSQL 15 on RDS.
 * The dev stack's Docker container and the local cluster are sized as if they were the dev class.
 */
export interface InstanceClass {
    /** RDS name, e.g. `db.r6g.large`. */
    readonly name: string;
    readonly vcpus: number;
    /** Memory in GiB. */
    readonly memoryGiB: number;
    /** Burstable (t-family): CPU credits matter and sustained CPU alarms are tighter. */
    readonly burstable: boolean;
}

const table: Array<[string, number, number]> = [
    ["db.t4g.micro", 2, 1],
    ["db.t4g.small", 2, 2],
    ["db.t4g.medium", 2, 4],
    ["db.t4g.large", 2, 8],
    ["db.t4g.xlarge", 4, 16],
    ["db.t4g.2xlarge", 8, 32],
    ["db.m6g.large", 2, 8],
    ["db.m6g.xlarge", 4, 16],
    ["db.m6g.2xlarge", 8, 32],
    ["db.m6g.4xlarge", 16, 64],
    ["db.m6g.8xlarge", 32, 128],
    ["db.m7g.large", 2, 8],
    ["db.m7g.xlarge", 4, 16],
    ["db.m7g.2xlarge", 8, 32],
    ["db.m7g.4xlarge", 16, 64],
    ["db.r6g.large", 2, 16],
    ["db.r6g.xlarge", 4, 32],
    ["db.r6g.2xlarge", 8, 64],
    ["db.r6g.4xlarge", 16, 128],
    ["db.r6g.8xlarge", 32, 256],
    ["db.r7g.large", 2, 16],
    ["db.r7g.xlarge", 4, 32],
    ["db.r7g.2xlarge", 8, 64],
    ["db.r7g.4xlarge", 16, 128],
];

/** Every supported class, keyed by RDS name. */
export const INSTANCE_CLASSES: ReadonlyMap<string, InstanceClass> = new Map(
    table.map(([name, vcpus, memoryGiB]) => [name, { name, vcpus, memoryGiB, burstable: name.startsWith("db.t") }]),
);

/**
 * The classes of the table Aurora PostgreSQL 15 offers (Amazon Aurora User Guide, "Supported DB engines for DB
 * instance classes"): the r6g and r7g families and db.t4g.medium and large; no m family, no smaller or larger t4g.
 */
export const AURORA_INSTANCE_CLASSES: readonly string[] = [...INSTANCE_CLASSES.keys()].filter(
    (name) => /^db\.r[67]g\./.test(name) || name === "db.t4g.medium" || name === "db.t4g.large",
);

/** The instance class of every Aurora Serverless v2 instance; its capacity is the cluster's ACU range. */
export const SERVERLESS_CLASS = "db.serverless";
/** Memory per Aurora capacity unit: "each ACU corresponds to approximately 2 GiB of memory" (Aurora User Guide). */
export const GIB_PER_ACU = 2;
/** Memory per vCPU of the memory-optimised (r) families, which a Serverless v2 instance is sized like. */
const GIB_PER_VCPU = 8;
const SERVERLESS_SIZING = /^db\.serverless\/(\d+(\.5)?)$/;

/**
 * The name a Serverless v2 instance is sized as: `db.serverless/<maximum ACUs>`. Aurora derives max_connections from
 * the memory at the maximum capacity, and holds it while the instance scales down; this platform sizes every
 * setting, pool and alarm the same way.
 */
export const serverlessSizing = (maxAcu: number): string => `${SERVERLESS_CLASS}/${maxAcu}`;

/** Whether `name` is a Serverless v2 sizing (`db.serverless/<max ACU>`) rather than a provisioned class. */
export const isServerlessSizing = (name: string): boolean => SERVERLESS_SIZING.test(name);

/**
 * Looks a class up by name; throws naming the supported classes when it is unknown. A Serverless v2 sizing
 * (`db.serverless/<max ACU>`) is 2 GiB per ACU, with a vCPU per 8 GiB as in the r family (at least 2).
 */
export function instanceClass(name: string): InstanceClass {
    const serverless = SERVERLESS_SIZING.exec(name);
    if (serverless) {
        const memoryGiB = Number(serverless[1]) * GIB_PER_ACU;
        return { name, vcpus: Math.max(2, Math.floor(memoryGiB / GIB_PER_VCPU)), memoryGiB, burstable: false };
    }
    const found = INSTANCE_CLASSES.get(name);
    if (!found)
        throw new Error(`unknown instance class "${name}"; supported: ${[...INSTANCE_CLASSES.keys()].join(", ")}`);
    return found;
}
