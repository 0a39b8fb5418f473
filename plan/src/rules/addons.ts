/**
 * `addon/required`: an object that needs a cluster add-on has it on the same cluster, installed
 * before it. Pure (no Pulumi import): the spec-level check, the components and the CrossGuard
 * pack build AddonFacts their own way and call the same function.
 *
 * What needs what:
 *  - an AlbConfig, and an IngressClass of the ALB Ingress controller (`ingress.k8s.alibabacloud/alb`):
 *    the ALB Ingress Controller add-on, which defines the AlbConfig CRD (ACK docs: "Manage the
 *    ALB Ingress controller"; without it: "no matches for kind AlbConfig");
 *  - a StorageClass: the CSI driver of its provisioner (`ebs.csi.aws.com` → aws-ebs-csi-driver,
 *    AWS docs "Store Kubernetes volumes with Amazon EBS"; `diskplugin.csi.alibabacloud.com` →
 *    csi-plugin + csi-provisioner, ACK docs "csi-plugin"); without it every PVC stays Pending;
 *  - NetworkPolicies the platform promises to enforce: Terway with NetworkPolicy support (ACK
 *    docs: "Use network policies in ACK clusters") or the VPC CNI with network policy enabled
 *    (AWS docs: "Limit Pod traffic with Kubernetes network policies"), or Calico / Cilium;
 *  - an autoscaling node pool: the cluster's node autoscaler (ACK cluster autoscaling, ACK docs:
 *    "Enable node auto scaling"; the Cluster Autoscaler or Karpenter on EKS); otherwise the pool
 *    stays at its minimum size.
 *
 * Presence is judged on the add-ons the facts list; an add-on whose configuration is unknown
 * (a preview value) counts as configured, and a cluster whose add-on list is not complete
 * (`complete: false`) is never reported for a missing add-on. Order is judged where the facts
 * know what the dependent waits for (`after`): the add-on's resource must be among them.
 * Autoscaling pools are exempt from order: the autoscaler acts on the pool whenever it runs, and
 * on EKS it runs on the pool's own nodes.
 */
import { type Diagnostic, diagnostic } from "../diagnostic";

export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
export const EFS_CSI_PROVISIONER = "efs.csi.aws.com";
export const ACK_DISK_CSI_PROVISIONER = "diskplugin.csi.alibabacloud.com";
export const ACK_NAS_CSI_PROVISIONER = "nasplugin.csi.alibabacloud.com";
export const ACK_OSS_CSI_PROVISIONER = "ossplugin.csi.alibabacloud.com";
/** The controller value of ACK ALB IngressClasses. */
export const ALB_INGRESS_CLASS_CONTROLLER = "ingress.k8s.alibabacloud/alb";

/** The CSI driver add-ons a provisioner needs (all of them). */
export const CSI_DRIVER_ADDONS: Readonly<Record<string, readonly string[]>> = {
  [EBS_CSI_PROVISIONER]: ["aws-ebs-csi-driver"],
  [EFS_CSI_PROVISIONER]: ["aws-efs-csi-driver"],
  [ACK_DISK_CSI_PROVISIONER]: ["csi-plugin", "csi-provisioner"],
  [ACK_NAS_CSI_PROVISIONER]: ["csi-plugin", "csi-provisioner"],
  [ACK_OSS_CSI_PROVISIONER]: ["csi-plugin", "csi-provisioner"],
};

/** Add-ons that enforce NetworkPolicy without further configuration. */
const POLICY_ENGINES = ["calico", "tigera-operator", "cilium"];
/** Node autoscalers. */
export const NODE_AUTOSCALERS = ["cluster-autoscaler", "karpenter"];

export interface InstalledAddonFact {
  /** Logical name or URN of the resource that installs it. */
  resource: string;
  /** The add-on name (`aws-ebs-csi-driver`, `terway-eniip`, `cluster-autoscaler`, ...). */
  name: string;
  /** Its configuration (ACK `config`, EKS `configurationValues`), parsed; undefined: unknown. */
  config?: Record<string, unknown>;
}

export type AddonDependentKind =
  | "alb-config"
  | "alb-ingress-class"
  | "storage-class"
  | "network-policy"
  | "autoscaling-pool";

export interface AddonDependentFact {
  resource: string;
  /** Field path of the dependent, e.g. `provisioner` or `clusters[0].nodePools[1].autoscaling`. */
  path: string;
  kind: AddonDependentKind;
  /** How messages name it, e.g. `StorageClass "ebs-sc"`. */
  label: string;
  /** storage-class: its provisioner; undefined: unknown. */
  provisioner?: string;
  /** The resources it is ordered after (dependsOn, transitively); undefined: not known. */
  after?: readonly string[];
}

export interface AddonClusterFacts {
  /** The cluster's name as messages show it. */
  cluster: string;
  /** Every add-on installed on the cluster, as far as known. */
  addons: InstalledAddonFact[];
  /** false when some add-on of the cluster may be missing from `addons` (unknown): no absence is reported. */
  complete?: boolean;
  dependents: AddonDependentFact[];
  /**
   * Where the user turns an add-on on, e.g. `clusters[0].addons`: an absent add-on is then
   * reported at `<addonPath>.<name>`, the field to edit. Default: the dependent's path.
   */
  addonPath?: string;
}

export interface AddonFacts {
  clusters: AddonClusterFacts[];
}

/** One requirement: any of the alternatives satisfies it. */
interface Need {
  /** How messages name it. */
  label: string;
  /** The add-on the user should install when none is. */
  suggest: string;
  accepts(a: InstalledAddonFact): boolean;
}

const truthy = (v: unknown) => v === true || v === "true";

const byName =
  (...names: string[]) =>
  (a: InstalledAddonFact) =>
    names.includes(a.name);

/** The requirements of a dependent (all of them must hold). */
export function addonNeeds(d: AddonDependentFact): Need[] {
  switch (d.kind) {
    case "alb-config":
    case "alb-ingress-class":
      return [
        {
          label: "the ALB Ingress Controller add-on (alb-ingress-controller)",
          suggest: "alb-ingress-controller",
          accepts: byName("alb-ingress-controller"),
        },
      ];
    case "storage-class": {
      if (d.provisioner === undefined) return [];
      return (CSI_DRIVER_ADDONS[d.provisioner] ?? []).map((name) => ({
        label: `the ${name} add-on (CSI driver of ${d.provisioner})`,
        suggest: name,
        accepts: byName(name),
      }));
    }
    case "network-policy":
      return [
        {
          label:
            'a CNI that enforces NetworkPolicy (terway-eniip with NetworkPolicy "true", or vpc-cni with enableNetworkPolicy "true")',
          suggest: "network policy support of the cluster's CNI",
          accepts: (a) =>
            POLICY_ENGINES.includes(a.name) ||
            (a.name === "terway-eniip" && (a.config === undefined || truthy(a.config.NetworkPolicy))) ||
            (a.name === "vpc-cni" && (a.config === undefined || truthy(a.config.enableNetworkPolicy))),
        },
      ];
    case "autoscaling-pool":
      return [
        {
          label: "the cluster's node autoscaler (cluster-autoscaler)",
          suggest: "cluster-autoscaler",
          accepts: byName(...NODE_AUTOSCALERS),
        },
      ];
  }
}

/** `addon/required`: every dependent has the add-ons it needs on its cluster, installed before it. */
export function checkAddonRequired(facts: AddonFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of facts.clusters) {
    for (const d of c.dependents) {
      for (const need of addonNeeds(d)) {
        const found = c.addons.filter((a) => need.accepts(a));
        if (found.length === 0) {
          if (c.complete === false) continue;
          const installed = c.addons.map((a) => a.name).sort();
          out.push(
            diagnostic("addon/required", {
              resource: d.resource,
              path: c.addonPath !== undefined && need.suggest !== "" ? addonField(c, d, need) : d.path,
              message: `${d.label} needs ${need.label} on cluster "${c.cluster}", which is not installed (installed: ${installed.length ? installed.join(", ") : "none"})`,
            }),
          );
          continue;
        }
        if (d.after === undefined || d.kind === "autoscaling-pool") continue;
        if (!found.some((a) => d.after?.includes(a.resource))) {
          out.push(
            diagnostic("addon/required", {
              resource: d.resource,
              path: d.path,
              message: `${d.label} is not ordered after ${found.map((a) => `${a.name} (${a.resource})`).join(" or ")} on cluster "${c.cluster}": it could be created before the add-on it needs exists; add the add-on to its dependsOn`,
            }),
          );
        }
      }
    }
  }
  return out;
}

function addonField(c: AddonClusterFacts, d: AddonDependentFact, need: Need): string {
  if (d.kind === "network-policy") {
    const cni = c.addons.find((a) => a.name === "terway-eniip" || a.name === "vpc-cni");
    return cni ? `${c.addonPath}.${cni.name}.config` : `${c.addonPath}`;
  }
  return `${c.addonPath}.${need.suggest}`;
}

export const addonRules = {
  "addon/required": checkAddonRequired,
} as const;
