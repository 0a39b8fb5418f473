/** Reading objects back from the API server: REST paths of Pulumi Kubernetes types, snapshots. */
import type { ApiServer } from "./apiserver";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

function plural(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith("y")) return `${k.slice(0, -1)}ies`;
  if (k.endsWith("s")) return `${k}es`;
  return `${k}s`;
}

/** `kubernetes:<group>/<version>:<Kind>` → the REST path of one object. */
export function objectPath(type: string, name: string, namespace?: string): string {
  const m = /^kubernetes:([^:]+)\/([^:/]+):(\w+)$/.exec(type);
  if (!m) throw new Error(`not a Kubernetes type token: ${type}`);
  const [, group, version, kind] = m as unknown as [string, string, string, string];
  const base = group === "core" ? `/api/${version}` : `/apis/${group}/${version}`;
  const ns = namespace ? `/namespaces/${namespace}` : "";
  return `${base}${ns}/${plural(kind)}/${name}`;
}

/** The collections a platform, a tenant app or a Helm release can leave objects in. */
export const COLLECTIONS = [
  "/api/v1/namespaces",
  "/api/v1/resourcequotas",
  "/api/v1/limitranges",
  "/api/v1/services",
  "/api/v1/secrets",
  "/api/v1/configmaps",
  "/api/v1/serviceaccounts",
  "/apis/apps/v1/deployments",
  "/apis/networking.k8s.io/v1/networkpolicies",
  "/apis/networking.k8s.io/v1/ingresses",
  "/apis/networking.k8s.io/v1/ingressclasses",
  "/apis/rbac.authorization.k8s.io/v1/clusterroles",
  "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
  "/apis/rbac.authorization.k8s.io/v1/roles",
  "/apis/rbac.authorization.k8s.io/v1/rolebindings",
  "/apis/storage.k8s.io/v1/storageclasses",
  "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
];

/** Namespaced collections a Terminating namespace must be empty of (see finalizeNamespaces). */
export const NAMESPACED = [
  "/api/v1/namespaces/{ns}/resourcequotas",
  "/api/v1/namespaces/{ns}/limitranges",
  "/api/v1/namespaces/{ns}/services",
  "/apis/apps/v1/namespaces/{ns}/deployments",
  "/apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies",
  "/apis/networking.k8s.io/v1/namespaces/{ns}/ingresses",
  "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
  "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
  "/api/v1/namespaces/{ns}/serviceaccounts",
  "/api/v1/namespaces/{ns}/configmaps",
  "/api/v1/namespaces/{ns}/secrets",
];

/** Objects the API server writes on its own schedule, whenever its controllers get to them. */
const API_SERVER_OWN = new Set(["kube-system/extension-apiserver-authentication"]);

/** Every object of COLLECTIONS, as `collection namespace/name`. */

export async function snapshot(api: ApiServer["api"]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const c of COLLECTIONS) {
    const list = await api<{ items: KubeObject[] }>("GET", c);
    for (const o of list?.items ?? []) {
      if (API_SERVER_OWN.has(`${o.metadata.namespace ?? ""}/${o.metadata.name}`)) continue;
      out.add(`${c} ${o.metadata.namespace ?? ""}/${o.metadata.name}`);
    }
  }
  return out;
}
