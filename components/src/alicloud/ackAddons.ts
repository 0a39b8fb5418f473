/**
 * The add-ons an ACK cluster is created with, from typed settings. Pure (no Pulumi import).
 *
 * Names (seed 002, "组件概述" 002:27150–27260): `terway-eniip` (the Terway add-on; its pods are
 * `terway-eniip-*`, 002:11048) or `flannel` (002:27236–27251), `csi-plugin` and `csi-provisioner`
 * (002:27195–27203), `ack-node-local-dns` (NodeLocal DNSCache, 002:21022, 27252),
 * `ack-node-problem-detector` (002:27173), `logtail-ds` (logging, 002:27183), and
 * `nginx-ingress-controller`. Defaults follow the console's (002:4433–4458): NodeLocal DNSCache,
 * logging and node-problem-detector on, Ingress off, Terway NetworkPolicy off (002:4115–4117).
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
  /** NodeLocal DNSCache (`ack-node-local-dns`). Default true (002:4442). */
  nodeLocalDns?: boolean;
  /** node-problem-detector and the event centre (`ack-node-problem-detector`). Default true (002:4457). */
  nodeProblemDetector?: boolean;
  /** Container log collection (`logtail-ds`). Default true (002:4454). */
  logging?: AckLoggingAddonArgs;
  /** Terway NetworkPolicy support (shared-ENI mode only). Default false (002:4115–4117). */
  terwayNetworkPolicy?: boolean;
  /** ACK's bundled nginx ingress controller. Default false (002:4433). */
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
