/**
 * The order one `pulumi up` upgrades a cluster in: control plane → add-ons → node pools.
 *
 * The engine steps a resource after the resources it depends on, so the order is a matter of
 * dependencies. Everything of a cluster already waits for the cluster (it reads the cluster's
 * name or id). What this module adds is the EKS node groups waiting for the add-ons that must
 * run before nodes do — the pod network (`vpc-cni`), Service routing (`kube-proxy`) and the Pod
 * Identity agent — so a version change moves them to the new minor before any node of the new
 * minor joins. It is the split terraform-aws-eks makes with `before_compute` add-ons (its README:
 * vpc-cni and eks-pod-identity-agent created before the node groups) and the order of Amazon EKS'
 * "Update existing cluster to new Kubernetes version": control plane, then add-ons, then nodes.
 * The add-ons whose pods need nodes (CoreDNS, the EBS CSI controller, the autoscaler) keep
 * waiting for the node groups, as creating them first would never see them ACTIVE.
 *
 * ACK: the cluster's `version` change is ACK's UpgradeCluster, which upgrades the control plane
 * and then the worker nodes itself; the ACK add-ons already wait for the cluster. The provider's
 * only node pool version input (`upgradePolicy.kubernetesVersion`) re-sends an upgrade on every
 * later update of the pool (terraform-provider-alicloud, resource_alicloud_cs_kubernetes_node_pool.go),
 * so the platform does not use it (docs: README "Upgrading a cluster").
 *
 * The node groups are created before the add-ons component (which waits for them), so their
 * wait is a promise the add-ons settle once created; the Platform settles any left over.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The EKS add-ons node groups wait for. */
export const EKS_ADDONS_BEFORE_NODES: readonly string[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];

interface Deferred {
  promise: Promise<pulumi.Resource[]>;
  resolve: (r: pulumi.Resource[]) => void;
}

const waits = new WeakMap<object, Map<string, Deferred>>();

function deferred(owner: object, cluster: string): Deferred {
  let byCluster = waits.get(owner);
  if (!byCluster) {
    byCluster = new Map();
    waits.set(owner, byCluster);
  }
  let d = byCluster.get(cluster);
  if (!d) {
    let resolve: (r: pulumi.Resource[]) => void = () => {};
    const promise = new Promise<pulumi.Resource[]>((r) => {
      resolve = r;
    });
    d = { promise, resolve };
    byCluster.set(cluster, d);
  }
  return d;
}

/** What a cluster's node groups wait for (the add-ons before nodes, once created). */
export function addonsBeforeNodes(owner: object, cluster: string): Promise<pulumi.Resource[]> {
  return deferred(owner, cluster).promise;
}

/** The add-ons of a cluster are created: its node groups may wait for those among them that run before nodes. */
export function settleAddonsBeforeNodes(
  owner: object,
  cluster: string,
  addons: Readonly<Record<string, pulumi.Resource>>,
): void {
  deferred(owner, cluster).resolve(
    EKS_ADDONS_BEFORE_NODES.map((n) => addons[n]).filter((r): r is pulumi.Resource => r !== undefined),
  );
}

/** Every wait left open (a cluster without add-ons): nothing to wait for. */
export function settleAll(owner: object): void {
  for (const d of waits.get(owner)?.values() ?? []) d.resolve([]);
}
