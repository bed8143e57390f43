import { strict as assert } from "assert";
import {
    isEngineVersion,
    isPinnedPgbouncerImage,
    isPinnedPostgresImage,
    POSTGRES_MAJOR,
} from "../../postgres/versions";

const DIGEST = `@sha256:${"a".repeat(64)}`;

/** Each rule against values it must accept and values it must refuse, including ones older copies of it let through. */
describe("version rules", () => {
    it("accept the major alone or a pinned minor as the RDS engine version", () => {
        for (const v of ["15", "15.0", "15.7", "15.18"]) assert.ok(isEngineVersion(v), v);
        for (const v of ["14", "16.2", "15.123", "15.", "15.x", " 15", "15.7.1", "v15", ""])
            assert.ok(!isEngineVersion(v), v);
        assert.ok(isEngineVersion(String(POSTGRES_MAJOR)));
    });

    it("accept only the official PostgreSQL image pinned to a minor", () => {
        for (const image of ["postgres:15.18", "postgres:15.18-bookworm", `postgres:15.7-alpine3.20${DIGEST}`])
            assert.ok(isPinnedPostgresImage(image), image);
        for (const image of [
            "postgres",
            "postgres:latest",
            "postgres:15",
            "postgres:bookworm",
            "postgres:16.4",
            "postgres:14.12-bookworm",
            "postgres:15.18@sha256:abc",
            "docker.io/library/postgres:15.18",
        ])
            assert.ok(!isPinnedPostgresImage(image), image);
    });

    it("accept a PgBouncer image from any registry whose tag is its full version", () => {
        for (const image of [
            "ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
            `pgbouncer:1.24.0-1${DIGEST}`,
            "r:5000/b:1.21.0",
        ])
            assert.ok(isPinnedPgbouncerImage(image), image);
        for (const image of ["pgbouncer", "pgbouncer:latest", "pgbouncer:1.23", "pgbouncer:1.23.1@sha256:abc"])
            assert.ok(!isPinnedPgbouncerImage(image), image);
    });
});
