import * as assert from "assert";
import * as rds from "../../policies/rds";
import { check } from "./harness";
import { instance, TYPES } from "./fixtures";

type Case = [string, (db: Record<string, any>) => void, string[]];

/** One policy: the prod fixture passes, each case changes one property and gets exactly these messages. */
function cases(policy: (typeof rds.rdsPolicies)[number], list: Case[], config: Record<string, unknown> = {}) {
    describe(policy.name, () => {
        it("passes the prod instance", async () =>
            assert.deepEqual(await check(policy, TYPES.instance, instance(), config), []));
        it("does not apply to other resource types", async () =>
            assert.equal(await check(policy, TYPES.vault, instance(), config), "n/a"));
        for (const [title, change, expected] of list) {
            it(`fails on ${title}`, async () => {
                const db = instance();
                change(db);
                assert.deepEqual(await check(policy, TYPES.instance, db, config), expected);
            });
        }
    });
}

describe("policies: RDS instance", () => {
    cases(rds.rdsEncryptedWithCmk, [
        ["unencrypted storage", (d) => (d.storageEncrypted = false), ["storageEncrypted must be true."]],
        [
            "the AWS-managed key",
            (d) => delete d.kmsKeyId,
            ["kmsKeyId must be a customer-managed KMS key ARN, got none (the AWS-managed aws/rds key)."],
        ],
        [
            "a key alias",
            (d) => (d.kmsKeyId = "alias/aws/rds"),
            ["kmsKeyId must be a customer-managed KMS key ARN, got alias/aws/rds."],
        ],
    ]);
    cases(rds.rdsNotPublic, [
        ["publicly accessible", (d) => (d.publiclyAccessible = true), ["publiclyAccessible must be false."]],
    ]);
    cases(rds.rdsBackupRetention, [
        ["1 day", (d) => (d.backupRetentionPeriod = 1), ["backupRetentionPeriod is 1 days; at least 7 required."]],
        [
            "backups off",
            (d) => (d.backupRetentionPeriod = 0),
            ["backupRetentionPeriod is 0 days; at least 7 required."],
        ],
    ]);
    cases(
        rds.rdsBackupRetention,
        [
            [
                "10 days under prod's minimum of 14",
                (d) => (d.backupRetentionPeriod = 10),
                ["backupRetentionPeriod is 10 days; at least 14 required."],
            ],
        ],
        { minDays: 14 },
    );
    cases(rds.rdsMultiAz, [["single-AZ", (d) => (d.multiAz = false), ["multiAz must be true."]]]);
    cases(rds.rdsDeletionProtection, [
        ["unprotected", (d) => (d.deletionProtection = false), ["deletionProtection must be true."]],
    ]);
    cases(rds.rdsIamAuth, [
        [
            "IAM auth off",
            (d) => delete d.iamDatabaseAuthenticationEnabled,
            ["iamDatabaseAuthenticationEnabled must be true."],
        ],
    ]);
    cases(rds.rdsEnhancedMonitoring, [
        [
            "monitoring off",
            (d) => (d.monitoringInterval = 0),
            ["monitoringInterval is 0; between 1 and 60 seconds required."],
        ],
        ["no role", (d) => delete d.monitoringRoleArn, ["monitoringRoleArn must be set."]],
    ]);
    cases(
        rds.rdsEnhancedMonitoring,
        [
            [
                "60 s where 15 s is required",
                (d) => (d.monitoringInterval = 60),
                ["monitoringInterval is 60; between 1 and 15 seconds required."],
            ],
        ],
        { maxIntervalSeconds: 15 },
    );
    cases(rds.rdsPerformanceInsights, [
        ["off", (d) => (d.performanceInsightsEnabled = false), ["performanceInsightsEnabled must be true."]],
        [
            "on the AWS-managed key",
            (d) => delete d.performanceInsightsKmsKeyId,
            ["performanceInsightsKmsKeyId must be a customer-managed KMS key ARN, got none."],
        ],
    ]);
    cases(rds.rdsLogExports, [
        [
            "no upgrade log",
            (d) => (d.enabledCloudwatchLogsExports = ["postgresql"]),
            ["enabledCloudwatchLogsExports lacks upgrade."],
        ],
        [
            "no exports",
            (d) => delete d.enabledCloudwatchLogsExports,
            ["enabledCloudwatchLogsExports lacks postgresql, upgrade."],
        ],
    ]);
    cases(rds.rdsAutoMinorUpgrade, [
        ["minor upgrades off", (d) => (d.autoMinorVersionUpgrade = false), ["autoMinorVersionUpgrade must be true."]],
        [
            "major upgrades allowed",
            (d) => (d.allowMajorVersionUpgrade = true),
            ["allowMajorVersionUpgrade must be false: a major upgrade is a planned change, not a side effect."],
        ],
    ]);
    cases(rds.rdsCurrentCa, [
        [
            "the retired rds-ca-2019",
            (d) => (d.caCertIdentifier = "rds-ca-2019"),
            [
                "caCertIdentifier is rds-ca-2019; one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1 required.",
            ],
        ],
        [
            "unset",
            (d) => delete d.caCertIdentifier,
            [
                "caCertIdentifier is unset (the region default); one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1 required.",
            ],
        ],
    ]);
    cases(rds.rdsCopyTagsToSnapshot, [
        ["off", (d) => (d.copyTagsToSnapshot = false), ["copyTagsToSnapshot must be true."]],
    ]);
    cases(rds.rdsFinalSnapshot, [
        ["skipped", (d) => (d.skipFinalSnapshot = true), ["skipFinalSnapshot must be false."]],
        ["no identifier", (d) => delete d.finalSnapshotIdentifier, ["finalSnapshotIdentifier must be set."]],
    ]);
    cases(rds.rdsManagedMasterPassword, [
        ["not managed", (d) => (d.manageMasterUserPassword = false), ["manageMasterUserPassword must be true."]],
        [
            "a password passed in",
            (d) => (d.password = "hunter2"),
            ["password must not be set: RDS generates and stores the master password."],
        ],
    ]);
    cases(rds.rdsEngineVersion, [
        ["PostgreSQL 16", (d) => (d.engineVersion = "16.4"), ["engineVersion is 16.4; PostgreSQL 15.x required."]],
        ["MySQL", (d) => (d.engine = "mysql"), ["engine is mysql; postgres required."]],
    ]);
});

describe("policies: RDS Proxy", () => {
    const proxy = () =>
        ({
            requireTls: true,
            auths: [
                {
                    description: "app role",
                    iamAuth: "REQUIRED",
                    secretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app",
                },
            ],
        }) as Record<string, any>;
    const type = "aws:rds/proxy:Proxy";
    describe(rds.rdsProxyTlsIam.name, () => {
        it("passes TLS and IAM required", async () =>
            assert.deepEqual(await check(rds.rdsProxyTlsIam, type, proxy()), []));
        it("fails when TLS is optional", async () =>
            assert.deepEqual(await check(rds.rdsProxyTlsIam, type, { ...proxy(), requireTls: false }), [
                "requireTls must be true.",
            ]));
        it("fails when password logins are allowed", async () => {
            const p = proxy();
            p.auths[0].iamAuth = "DISABLED";
            assert.deepEqual(await check(rds.rdsProxyTlsIam, type, p), [
                "auth app role has iamAuth DISABLED; REQUIRED required.",
            ]);
        });
    });
});
