/**
 * A real Kubernetes API server on loopback: etcd and kube-apiserver (built from Go modules, see
 * toolchain.ts) started in a temporary directory on free ports, with RBAC authorization and the
 * admission plugins a cluster has. The serving certificate is the API server's own self-signed one
 * (`--cert-dir`); clients authenticate with a static bearer token (`--token-auth-file`); the
 * service-account signing key is generated here.
 *
 * There is no kubelet, scheduler or controller manager. The one controller the platform's objects
 * need is the namespace controller (a deleted namespace stays Terminating until its finalizer is
 * removed): `finalizeNamespaces` plays it, removing the `kubernetes` finalizer of Terminating
 * namespaces that hold nothing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { CALLER_ARN } from "../cloud-simulator/cloud";
import { tool } from "./toolchain";

export interface ApiServer {
  /** `https://127.0.0.1:<port>` */
  server: string;
  /** Admin bearer token (group system:masters). */
  token: string;
  /**
   * Token of the AWS identity running `pulumi up` (user name = its ARN, no groups): what EKS
   * authenticates `aws eks get-token` as. It has only the rights its access entries grant.
   */
  deployerToken: string;
  /** PEM of the serving certificate chain (the CA clients trust). */
  caPem: string;
  /** Admin kubeconfig file. */
  kubeconfigPath: string;
  /** etcd's client URL (plain HTTP on loopback): its JSON gateway reads what the API server stored. */
  etcdUrl: string;
  dir: string;
  /** GET/POST/PUT/DELETE against the API; JSON in and out; throws on >= 400 except 404 (null). */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T | null>;
  stop(): Promise<void>;
}

/** The admission plugins of a cluster (on top of the API server's defaults, which include most). */
export const ADMISSION_PLUGINS = [
  "NamespaceLifecycle",
  "LimitRanger",
  "ServiceAccount",
  "DefaultStorageClass",
  "DefaultTolerationSeconds",
  "PodSecurity",
  "Priority",
  "ResourceQuota",
  "RuntimeClass",
  "StorageObjectInUseProtection",
  "PersistentVolumeClaimResize",
  "MutatingAdmissionWebhook",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionWebhook",
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(
  name: string,
  bin: string,
  args: string[],
  dir: string,
  children: ChildProcess[],
): ChildProcess {
  const log = createWriteStream(join(dir, `${name}.log`));
  const child = spawn(bin, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.push(child);
  return child;
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface ApiServerOptions {
  /** Files written into the server's directory first (name → content, mode 0600). */
  files?: Record<string, string>;
  /** More kube-apiserver flags, given the server's directory (where `files` are). */
  extraArgs?: (dir: string) => string[];
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), "kubeplat-apiserver-"));
  for (const [name, content] of Object.entries(options.files ?? {}))
    writeFileSync(join(dir, name), content, { mode: 0o600 });
  const children: ChildProcess[] = [];
  const killOnExit = () => {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  try {
    const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
    const etcd = start(
      "etcd",
      tool("etcd"),
      [
        "--name=e2e",
        `--data-dir=${join(dir, "etcd")}`,
        `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
        `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
        `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
        `--initial-cluster=e2e=http://127.0.0.1:${etcdPeer}`,
        "--unsafe-no-fsync",
        "--log-level=warn",
      ],
      dir,
      children,
    );

    const token = randomBytes(24).toString("hex");
    const deployerToken = randomBytes(24).toString("hex");
    writeFileSync(
      join(dir, "tokens.csv"),
      `${token},e2e-admin,e2e-admin,"system:masters"\n${deployerToken},${CALLER_ARN},e2e-deployer\n`,
      { mode: 0o600 },
    );
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(join(dir, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    writeFileSync(join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));

    const apiserver = start(
      "kube-apiserver",
      tool("kube-apiserver"),
      [
        `--etcd-servers=http://127.0.0.1:${etcdClient}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${securePort}`,
        `--cert-dir=${join(dir, "certs")}`,
        `--token-auth-file=${join(dir, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        `--enable-admission-plugins=${ADMISSION_PLUGINS.join(",")}`,
        `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
        `--service-account-key-file=${join(dir, "sa.pub")}`,
        `--service-account-signing-key-file=${join(dir, "sa.key")}`,
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        "--profiling=false",
        "--enable-priority-and-fairness=false",
        "--endpoint-reconciler-type=none",
        ...(options.extraArgs?.(dir) ?? []),
      ],
      dir,
      children,
    );

    const server = `https://127.0.0.1:${securePort}`;
    let caPem = "";
    const deadline = Date.now() + 180_000;
    for (;;) {
      for (const [name, c] of [
        ["etcd", etcd],
        ["kube-apiserver", apiserver],
      ] as const) {
        if (c.exitCode !== null) {
          const log = readFileSync(join(dir, `${name}.log`), "utf8")
            .split("\n")
            .slice(-30)
            .join("\n");
          throw new Error(`${name} exited with ${c.exitCode}:\n${log}`);
        }
      }
      try {
        caPem = readFileSync(join(dir, "certs", "apiserver.crt"), "utf8");
        const status = await call(server, token, caPem, "GET", "/readyz");
        if (status.code === 200) break;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) {
        const log = readFileSync(join(dir, "kube-apiserver.log"), "utf8").split("\n").slice(-30).join("\n");
        throw new Error(`kube-apiserver not ready after 180 s:\n${log}`);
      }
      await sleep(500);
    }

    const kubeconfigPath = join(dir, "kubeconfig");
    writeFileSync(
      kubeconfigPath,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: "e2e",
            cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") },
          },
        ],
        users: [{ name: "e2e-admin", user: { token } }],
        contexts: [{ name: "e2e", context: { cluster: "e2e", user: "e2e-admin" } }],
        "current-context": "e2e",
      }),
      { mode: 0o600 },
    );

    const api = apiClient(server, token, caPem);
    // The API server's own bootstrap objects appear shortly after it is ready; wait for them so a
    // snapshot taken now is the cluster "as found". (kube-system/extension-apiserver-authentication
    // is not among them: with no client CA or request-header flags, kube-apiserver 1.34 may never
    // write it, so `snapshot` leaves it out.)
    for (const path of [
      "/api/v1/namespaces/default",
      "/api/v1/namespaces/kube-system",
      "/api/v1/namespaces/kube-public",
      "/api/v1/namespaces/kube-node-lease",
      "/api/v1/namespaces/default/services/kubernetes",
      "/api/v1/namespaces/kube-system/configmaps/kube-apiserver-legacy-service-account-token-tracking",
    ]) {
      while ((await api("GET", path)) === null) {
        if (Date.now() > deadline) throw new Error(`kube-apiserver never created ${path}`);
        await sleep(250);
      }
    }

    return {
      server,
      token,
      deployerToken,
      caPem,
      kubeconfigPath,
      etcdUrl: `http://127.0.0.1:${etcdClient}`,
      dir,
      api,
      async stop() {
        await stopAll(children);
        process.removeListener("exit", killOnExit);
        if (!process.env.KUBEPLAT_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopAll(children);
    process.removeListener("exit", killOnExit);
    throw e;
  }
}

/** A JSON client of the API server: null on 404, throws on other errors. */
export function apiClient(server: string, token: string, caPem: string): ApiServer["api"] {
  return async <T>(method: string, path: string, body?: unknown): Promise<T | null> => {
    const res = await call(server, token, caPem, method, path, body);
    if (res.code === 404) return null;
    if (res.code >= 400) throw new Error(`${method} ${path}: ${res.code} ${res.body}`);
    return (res.body ? JSON.parse(res.body) : null) as T;
  };
}

function call(
  server: string,
  token: string,
  ca: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${server}${path}`,
      {
        method,
        ca,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: "application/json",
          ...(payload
            ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) }
            : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          data += c;
        });
        res.on("end", () => resolve({ code: res.statusCode ?? 0, body: data }));
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timeout`)));
    if (payload) req.write(payload);
    req.end();
  });
}

interface NamespaceList {
  items: { metadata: { name: string }; spec?: { finalizers?: string[] }; status?: { phase?: string } }[];
}

/**
 * The namespace controller's last step: a Terminating namespace whose objects are gone loses its
 * `kubernetes` finalizer and disappears. Objects still inside keep it Terminating (reported by
 * the caller's checks), as a real cluster would until the controller deleted them.
 */
export async function finalizeNamespaces(api: ApiServer["api"], namespacedKinds: string[]): Promise<void> {
  const list = await api<NamespaceList>("GET", "/api/v1/namespaces");
  for (const ns of list?.items ?? []) {
    if (ns.status?.phase !== "Terminating") continue;
    const name = ns.metadata.name;
    // The namespace controller deletes whatever is left in the namespace (here: what the
    // simulator's EKS access policy associations bound in it, which the engine deletes only after
    // the namespace), then removes the finalizer once it is empty.
    let empty = true;
    for (const path of namespacedKinds) {
      const collection = path.replace("{ns}", name);
      const objs = await api<{ items: { metadata: { name: string; deletionTimestamp?: string } }[] }>(
        "GET",
        collection,
      );
      for (const o of objs?.items ?? []) {
        empty = false;
        if (!o.metadata.deletionTimestamp) await api("DELETE", `${collection}/${o.metadata.name}`);
      }
    }
    if (!empty) continue;
    await api("PUT", `/api/v1/namespaces/${name}/finalize`, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name },
      spec: { finalizers: [] },
    });
  }
}

interface ResourceQuotaList {
  items: {
    metadata: { name: string; namespace: string; resourceVersion?: string };
    spec?: { hard?: Record<string, string> };
    status?: { hard?: Record<string, string>; used?: Record<string, string> };
  }[];
}

/**
 * The resource quota controller's first step (kube-controller-manager, which the suite does not
 * run): a new or changed ResourceQuota gets `status.hard` = `spec.hard` and its usage. The
 * Kubernetes provider waits for exactly that before it calls the quota created. Nothing runs in
 * the suite's namespaces but what the programs create, and nothing of that is counted here, so
 * usage is recorded as zero.
 */
export async function syncResourceQuotas(api: ApiServer["api"]): Promise<void> {
  const list = await api<ResourceQuotaList>("GET", "/api/v1/resourcequotas");
  for (const q of list?.items ?? []) {
    const hard = q.spec?.hard ?? {};
    if (JSON.stringify(q.status?.hard ?? {}) === JSON.stringify(hard) && q.status?.used) continue;
    const { name, namespace } = q.metadata;
    await api("PUT", `/api/v1/namespaces/${namespace}/resourcequotas/${name}/status`, {
      ...q,
      apiVersion: "v1",
      kind: "ResourceQuota",
      status: { hard, used: Object.fromEntries(Object.keys(hard).map((k) => [k, "0"])) },
    });
  }
}

interface ObjectList {
  items: {
    metadata: {
      name: string;
      namespace?: string;
      uid: string;
      deletionTimestamp?: string;
      finalizers?: string[];
      ownerReferences?: { uid: string }[];
    };
    spec?: { finalizers?: string[] };
  }[];
}

/**
 * The garbage collector's foreground-deletion step (kube-controller-manager, which the suite does
 * not run): the Kubernetes provider deletes with `propagationPolicy: Foreground`, which leaves the
 * object with the `foregroundDeletion` finalizer until the collector has deleted its dependents
 * and removes it. Here: an object so marked whose dependents (objects naming it in
 * `ownerReferences`, within `collections`) are gone loses the finalizer.
 */
export async function collectForeground(api: ApiServer["api"], collections: string[]): Promise<void> {
  const lists: [string, ObjectList["items"]][] = [];
  for (const c of collections) {
    let items = (await api<ObjectList>("GET", c))?.items ?? [];
    // A namespace's contents are the namespace controller's (finalizeNamespaces): the collector
    // gets to it once that controller has finalized it.
    if (c === "/api/v1/namespaces") items = items.filter((n) => (n.spec?.finalizers ?? []).length === 0);
    lists.push([c, items]);
  }
  const owners = new Set(
    lists.flatMap(([, items]) => items.flatMap((o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid))),
  );
  for (const [c, items] of lists) {
    for (const o of items) {
      const { name, namespace, deletionTimestamp, finalizers = [], uid } = o.metadata;
      if (!deletionTimestamp || !finalizers.includes("foregroundDeletion") || owners.has(uid)) continue;
      const slash = c.lastIndexOf("/");
      const path = namespace
        ? `${c.slice(0, slash)}/namespaces/${namespace}${c.slice(slash)}/${name}`
        : `${c}/${name}`;
      await api("PUT", path, {
        ...o,
        metadata: { ...o.metadata, finalizers: finalizers.filter((f) => f !== "foregroundDeletion") },
      });
    }
  }
}
