/**
 * The add-ons an ACK cluster is created with, from typed settings. Pure (no Pulumi import).
 *
 * Names (ACK docs: Component overview): `terway-eniip` (the Terway add-on; its pods are
 * `terway-eniip-*`, ACK docs: Work with Terway) or `flannel` (ACK docs: Component overview), `csi-plugin` and `csi-provisioner`
 * (ACK docs: Component overview), `ack-node-local-dns` (NodeLocal DNSCache, ACK docs: Optimize DNS resolution; Component overview),
 * `ack-node-problem-detector` (ACK docs: FAQ about workloads), `logtail-ds` (logging, ACK docs: FAQ about workloads), and
 * `nginx-ingress-controller`. Defaults follow the console's (ACK docs: Create an ACK dedicated cluster): NodeLocal DNSCache,
 * logging and node-problem-detector on, Ingress off, Terway NetworkPolicy off (ACK docs: Create an ACK dedicated cluster).
 *
 * The `config` strings are the ones @pulumi/alicloud documents for `ManagedKubernetesAddon`
 * (`logtail-ds`: `{"IngressDashboardEnabled":"true","sls_project_name":…}`;
 * `ack-node-problem-detector`: `{"sls_project_name":…}`). Add-ons only take effect when the
 * cluster is created (ManagedKubernetes `addons`: "Only works for Create Operation").
 */

export interface AckAddonArgs {
  /** Add-on name, e.g. `arms-prometheus`. */
  name: string;
  /** JSON configuration string. Default: none. */
  config?: string;
  /** Version. Default: the latest. */
  version?: string;
  /** Explicitly not installed. Default false. */
  disabled?: boolean;
}

/** Container log collection (`logtail-ds`). */
export interface AckLoggingAddonArgs {
  /** Default true. */
  enabled?: boolean;
  /** SLS project for the logs (and node-problem-detector events). Default: ACK creates one. */
  slsProject?: string;
  /** The Ingress dashboard. Default false (the platform installs its own ingress). */
  ingressDashboard?: boolean;
}

export interface AckAddonsArgs {
  /** CSI storage (`csi-plugin`, `csi-provisioner`). Default true. */
  csi?: boolean;
  /** NodeLocal DNSCache (`ack-node-local-dns`). Default true (ACK docs: Create an ACK dedicated cluster). */
  nodeLocalDns?: boolean;
  /** node-problem-detector and the event centre (`ack-node-problem-detector`). Default true (ACK docs: Create an ACK dedicated cluster). */
  nodeProblemDetector?: boolean;
  /** Container log collection (`logtail-ds`). Default true (ACK docs: Create an ACK dedicated cluster). */
  logging?: AckLoggingAddonArgs;
  /** Terway NetworkPolicy support (shared-ENI mode only). Default false (ACK docs: Create an ACK dedicated cluster). */
  terwayNetworkPolicy?: boolean;
  /** ACK's bundled nginx ingress controller. Default false (ACK docs: Create an ACK dedicated cluster). */
  nginxIngress?: boolean;
  /** More add-ons, appended as given. Default []. */
  extra?: AckAddonArgs[];
  /**
   * Every add-on but the CNI is managed over the cluster's life by AckClusterAddons: the
   * create-time list then carries the CNI (ACK requires one at creation) and, disabled, the
   * add-ons ACK must not install by default (`notInstalled`, and its bundled nginx ingress).
   * Default false.
   */
  managedSeparately?: boolean;
  /** With `managedSeparately`: add-ons ACK must not install at creation. Default []. */
  notInstalled?: string[];
}

/** The CNI add-on's name. */
export function cniAddonName(cni: "terway" | "flannel"): string {
  return cni === "terway" ? "terway-eniip" : "flannel";
}

/** The `addons` list of `alicloud.cs.ManagedKubernetes`. */
export function ackAddons(cni: "terway" | "flannel", a: AckAddonsArgs = {}): AckAddonArgs[] {
  const out: AckAddonArgs[] = [];
  const cniAddon: AckAddonArgs = { name: cniAddonName(cni) };
  if (cni === "terway" && a.terwayNetworkPolicy) {
    cniAddon.config = JSON.stringify({ NetworkPolicy: "true" });
  }
  out.push(cniAddon);
  if (a.managedSeparately) {
    const off = [
      ...new Set([...(a.notInstalled ?? []), ...(a.nginxIngress ? [] : ["nginx-ingress-controller"])]),
    ];
    for (const name of off) out.push({ name, disabled: true });
    return out;
  }
  if (a.csi ?? true) out.push({ name: "csi-plugin" }, { name: "csi-provisioner" });
  if (a.nodeLocalDns ?? true) out.push({ name: "ack-node-local-dns" });
  const project = a.logging?.slsProject ?? "";
  if (a.logging?.enabled ?? true) {
    out.push({
      name: "logtail-ds",
      config: JSON.stringify({
        IngressDashboardEnabled: String(a.logging?.ingressDashboard ?? false),
        sls_project_name: project,
      }),
    });
  }
  if (a.nodeProblemDetector ?? true) {
    out.push({ name: "ack-node-problem-detector", config: JSON.stringify({ sls_project_name: project }) });
  }
  out.push(
    a.nginxIngress
      ? { name: "nginx-ingress-controller" }
      : { name: "nginx-ingress-controller", disabled: true },
  );
  for (const e of a.extra ?? []) out.push({ ...e });
  return out;
}
