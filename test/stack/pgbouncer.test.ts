/** PgBouncer on Kubernetes in prod, under mocks: sizing from the database, security, TLS, auth. */
import { strict as assert } from "assert";
import { poolSizing } from "../../postgres/pooling/poolSizing";
import { sharedStackRun, type StackRun } from "../harness/stack";

describe("prod PgBouncer on Kubernetes under mocks", () => {
    let run: StackRun;
    let ini: string;
    before(async () => {
        run = await sharedStackRun("prod");
        ini = run.one("kubernetes:core/v1:ConfigMap").inputs.data["pgbouncer.ini"];
    });

    it("runs 2 replicas, spread across nodes and zones, with a PodDisruptionBudget", () => {
        const d = run.one("kubernetes:apps/v1:Deployment").inputs.spec;
        assert.equal(d.replicas, 2);
        assert.equal(
            d.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey,
            "kubernetes.io/hostname",
        );
        assert.equal(d.template.spec.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
        assert.equal(run.one("kubernetes:policy/v1:PodDisruptionBudget").inputs.spec.minAvailable, 1);
    });

    it("runs non-root with a read-only root filesystem, no privileges, probes and resources", () => {
        const pod = run.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec;
        const c = pod.containers[0];
        assert.equal(pod.securityContext.runAsNonRoot, true);
        assert.deepEqual(
            [
                c.securityContext.readOnlyRootFilesystem,
                c.securityContext.allowPrivilegeEscalation,
                c.securityContext.capabilities.drop,
            ],
            [true, false, ["ALL"]],
        );
        assert.deepEqual([c.readinessProbe.tcpSocket.port, c.livenessProbe.tcpSocket.port], [5432, 5432]);
        assert.ok(c.resources.requests.cpu && c.resources.limits.memory);
        assert.equal(c.image, "ghcr.io/cloudnative-pg/pgbouncer:1.23.1");
    });

    it("admits only the app's namespace to 5432 and the CloudWatch agent's to the metrics port, through a ClusterIP service", () => {
        const np = run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs.spec;
        assert.deepEqual(np.ingress, [
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "metacortex" } } }],
                ports: [{ protocol: "TCP", port: 5432 }],
            },
            {
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "amazon-cloudwatch" } } }],
                ports: [{ protocol: "TCP", port: 9127 }],
            },
        ]);
        assert.equal(run.one("kubernetes:core/v1:Service").inputs.spec.type, "ClusterIP");
    });

    it("renders pgbouncer.ini for 1.23: transaction mode, prepared statements, TLS verify-full to RDS, TLS from clients", () => {
        for (const line of [
            "pool_mode = transaction",
            "max_prepared_statements = 200",
            "server_tls_sslmode = verify-full",
            "client_tls_sslmode = require",
            "auth_type = scram-sha-256",
        ]) {
            assert.ok(ini.split("\n").includes(line), line);
        }
        assert.match(
            ini,
            /^metacortex = host=metacortex-prod\.abcdefghijkl\.eu-west-1\.rds\.amazonaws\.com port=5432 dbname=metacortex max_db_connections=193$/m,
        );
        assert.match(run.one("kubernetes:core/v1:ConfigMap").inputs.data["server-ca.pem"], /BEGIN CERTIFICATE/);
    });

    it("sizes pools from the database's budget so replicas x max_db_connections fits it", () => {
        const s = poolSizing(387, 2);
        assert.ok(ini.includes(`default_pool_size = ${s.poolSize.metacortex_app}`));
        assert.ok(ini.includes(`max_db_connections = ${s.perReplica}`));
        assert.ok(ini.includes(`metacortex_readonly = max_user_connections=${s.poolSize.metacortex_readonly}`));
        assert.ok(s.perReplica * 2 <= 387);
    });

    it("keeps the userlist (SCRAM verifiers) and the client TLS key in a secret", () => {
        const secret = run.one("kubernetes:core/v1:Secret");
        assert.ok(secret.secretPaths.some((p) => p.startsWith("stringData")));
        const userlist: string = secret.inputs.stringData["userlist.txt"];
        assert.deepEqual(
            userlist
                .trim()
                .split("\n")
                .map((l) => l.split(" ")[0]),
            ['"metacortex_app"', '"metacortex_readonly"', '"metacortex_monitor"'],
        );
        assert.match(userlist, /"SCRAM-SHA-256\$4096:/);
    });

    it("runs the metrics exporter as a hardened sidecar, logging in as the stats user from the secret, scraped by annotation", () => {
        const template = run.one("kubernetes:apps/v1:Deployment").inputs.spec.template;
        const exporter = template.spec.containers.find((c: any) => c.name === "exporter");
        assert.equal(exporter.image, "prometheuscommunity/pgbouncer-exporter:v0.9.0");
        assert.deepEqual(
            exporter.env.map((e: any) => [e.name, e.value, e.valueFrom.secretKeyRef.key]),
            [["PGBOUNCER_EXPORTER_CONNECTION_STRING", undefined, "exporter-connection"]],
        );
        assert.deepEqual(
            [exporter.securityContext.readOnlyRootFilesystem, exporter.securityContext.allowPrivilegeEscalation],
            [true, false],
        );
        assert.deepEqual(
            [
                template.metadata.annotations["prometheus.io/scrape"],
                template.metadata.annotations["prometheus.io/port"],
            ],
            ["true", "9127"],
        );
        const secret = run.one("kubernetes:core/v1:Secret");
        assert.match(
            secret.inputs.stringData["exporter-connection"],
            /^postgres:\/\/metacortex_monitor:[^@]+@127\.0\.0\.1:5432\/pgbouncer\?sslmode=require$/,
        );
        assert.ok(
            secret.secretPaths.includes("stringData.exporter-connection") || secret.secretPaths.includes("stringData"),
            "the connection string is a secret",
        );
        assert.match(ini, /^stats_users = metacortex_monitor$/m);
    });
});

describe("dev PgBouncer container under mocks", () => {
    let run: StackRun;
    let container: Record<string, any>;
    const upload = (file: string) => container.uploads.find((u: any) => u.file === `/etc/pgbouncer/${file}`);
    before(async () => {
        run = await sharedStackRun("dev");
        container = run.ofType("docker:index/container:Container").find((c) => c.name.includes("pgbouncer"))!.inputs;
    });

    it("runs the prod image on the database's network, published on 127.0.0.1 only, read-only and without capabilities", () => {
        assert.equal(
            run.ofType("docker:index/remoteImage:RemoteImage").find((i) => i.name.includes("pgbouncer"))!.inputs.name,
            "ghcr.io/cloudnative-pg/pgbouncer:1.23.1",
        );
        assert.deepEqual(container.ports, [{ internal: 5432, external: 6432, ip: "127.0.0.1", protocol: "tcp" }]);
        assert.deepEqual([container.readOnly, container.capabilities.drops], [true, ["ALL"]]);
    });

    it("uses the same rendered ini as prod, pointed at the database container with verify-full against the dev CA", () => {
        const ini: string = upload("pgbouncer.ini").content;
        // Without a standby the read database is on the primary too, carved out of the write database's 87.
        assert.match(ini, /^metacortex = host=postgres port=5432 dbname=metacortex max_db_connections=70$/m);
        assert.match(
            ini,
            /^metacortex_ro = host=postgres port=5432 dbname=metacortex pool_size=17 max_db_connections=17$/m,
        );
        for (const line of [
            "pool_mode = transaction",
            "server_tls_sslmode = verify-full",
            "max_prepared_statements = 200",
            "default_pool_size = 69",
            "max_db_connections = 70",
        ]) {
            assert.ok(ini.split("\n").includes(line), line);
        }
        assert.match(upload("server-ca.pem").content, /BEGIN CERTIFICATE/);
        assert.match(upload("userlist.txt").content, /^"metacortex_app" "SCRAM-SHA-256\$4096:/m);
        assert.ok(
            run
                .ofType("docker:index/container:Container")
                .find((c) => c.name.includes("pgbouncer"))!
                .secretPaths.includes("uploads"),
        );
    });
});
