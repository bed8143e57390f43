/** The Docker section: the dev container (target docker). */
import * as c from "../checks";
import type { Reader } from "../read";
import { integer, row, text } from "../schema";
import type { DockerConfig } from "../types";

export const TCP_PORT_ON_LOCALHOST = { note: "(TCP port, bound to 127.0.0.1)" };

export const DOCKER_KEYS = {
    dockerImage: row({
        doc: "the dev container's image",
        type: text(c.DOCKER_IMAGE),
        default: "postgres:15.18-bookworm",
    }),
    dockerHostPort: row({
        doc: "the dev container's port on the host",
        type: integer(1024, 65535, TCP_PORT_ON_LOCALHOST),
        default: 5432,
    }),
};

export function readDocker(r: Reader<typeof DOCKER_KEYS>): DockerConfig {
    return { image: r.read("dockerImage"), hostPort: r.read("dockerHostPort") };
}
