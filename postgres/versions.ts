/**
 * Which PostgreSQL and PgBouncer builds the platform accepts, as one rule each. Stack config validation and the
 * components that receive the values check the same rule, so the two can never disagree about a version.
 */

/** A rule a string must follow: its pattern and, in words, what it allows (the text errors and docs show). */
export interface VersionRule {
    readonly pattern: RegExp;
    readonly allowed: string;
}

/** The PostgreSQL major version every target runs. */
export const POSTGRES_MAJOR = 15;

/** RDS engine version: the major alone (RDS applies minor upgrades) or a pinned minor, `15.N`. */
export const ENGINE_VERSION: VersionRule = {
    pattern: new RegExp(`^${POSTGRES_MAJOR}(\\.\\d{1,2})?$`),
    allowed: `PostgreSQL ${POSTGRES_MAJOR} only: ${POSTGRES_MAJOR} or ${POSTGRES_MAJOR}.N (e.g. ${POSTGRES_MAJOR}.18)`,
};

/** Docker image of the server: the official image pinned to a minor, optionally a variant and a digest. */
export const POSTGRES_IMAGE: VersionRule = {
    pattern: new RegExp(`^postgres:${POSTGRES_MAJOR}\\.\\d{1,2}(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$`),
    allowed:
        `a pinned PostgreSQL ${POSTGRES_MAJOR} image: postgres:${POSTGRES_MAJOR}.N[-variant][@sha256:digest], ` +
        "never latest or a bare major",
};

/** PgBouncer image: any registry, tagged with the full PgBouncer version (which decides the rendered settings). */
export const PGBOUNCER_IMAGE: VersionRule = {
    pattern: /:(\d+)\.(\d+)\.\d+(-[a-z0-9.]+)?(@sha256:[0-9a-f]{64})?$/,
    allowed: "a pinned image whose tag is the PgBouncer version, e.g. ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
};

/** Pure: whether `version` is an accepted RDS engine version. */
export const isEngineVersion = (version: string): boolean => ENGINE_VERSION.pattern.test(version);

/** Pure: whether `image` is a pinned PostgreSQL image of the supported major. */
export const isPinnedPostgresImage = (image: string): boolean => POSTGRES_IMAGE.pattern.test(image);

/** Pure: whether `image` is a PgBouncer image tagged with its version. */
export const isPinnedPgbouncerImage = (image: string): boolean => PGBOUNCER_IMAGE.pattern.test(image);
