/** addon/required in the pack, on hand-written stacks: violating and compliant. */
import { describe, expect, it } from "vitest";
import { of, resourceName, run, Stack, T, UNKNOWN } from "./stack";

const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
const NP = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const EKS_ADDON = "aws:eks/addon:Addon";
const ACK_ADDON = "alicloud:cs/kubernetesAddon:KubernetesAddon";
const AUTOSCALING = "alicloud:cs/autoscalingConfig:AutoscalingConfig";
const PROVIDER = "pulumi:providers:kubernetes";

/** An EKS cluster and a Kubernetes provider whose kubeconfig came from it. */
function eks(s: Stack, name = "k") {
  const cluster = s.add(T.eks, name, { name, version: "1.33" });
  const provider = s.add(PROVIDER, `${name}-k8s`, { kubeconfig: UNKNOWN }, { kubeconfig: cluster });
  return { cluster, provider: provider.urn as string };
}

function ack(s: Stack, name = "k", addons?: unknown[]) {
  const cluster = s.ack(name, addons ? { addons } : {});
  const provider = s.add(PROVIDER, `${name}-k8s`, { kubeconfig: UNKNOWN }, { kubeConfig: cluster });
  return { cluster, provider: provider.urn as string };
}

const ebsClass = (s: Stack, provider: string, after: ReturnType<Stack["add"]>[] = []) =>
  s.add(
    SC,
    "ebs-sc",
    { metadata: { name: "ebs-sc" }, provisioner: "ebs.csi.aws.com" },
    {},
    { provider, dependencies: after.map((r) => r.urn as string) },
  );

describe("addon/required (policy pack)", () => {
  it("refuses a StorageClass for ebs.csi.aws.com on a cluster without the EBS CSI driver", () => {
    const s = new Stack();
    const { provider } = eks(s);
    ebsClass(s, provider);
    const ds = of(run(s), "addon/required");
    expect(ds.map((d) => [d.severity, resourceName(d), d.path])).toEqual([
      ["mandatory", "ebs-sc", "provisioner"],
    ]);
    expect(ds[0]?.message).toContain(
      'StorageClass "ebs-sc" (provisioner ebs.csi.aws.com) needs the aws-ebs-csi-driver add-on',
    );
  });

  it("accepts it once the driver is installed before it; refuses it when the order is missing", () => {
    const ok = new Stack();
    const a = eks(ok);
    const driver = ok.add(
      EKS_ADDON,
      "ebs",
      { addonName: "aws-ebs-csi-driver", clusterName: UNKNOWN },
      { clusterName: a.cluster },
    );
    ebsClass(ok, a.provider, [driver]);
    expect(of(run(ok), "addon/required")).toEqual([]);

    const unordered = new Stack();
    const b = eks(unordered);
    unordered.add(
      EKS_ADDON,
      "ebs",
      { addonName: "aws-ebs-csi-driver", clusterName: UNKNOWN },
      { clusterName: b.cluster },
    );
    ebsClass(unordered, b.provider);
    const ds = of(run(unordered), "addon/required");
    expect(ds.map((d) => d.message)).toEqual([
      expect.stringContaining("is not ordered after aws-ebs-csi-driver"),
    ]);
  });

  it("the driver of another cluster does not count", () => {
    const s = new Stack();
    const a = eks(s, "a");
    const b = eks(s, "b");
    const driver = s.add(
      EKS_ADDON,
      "ebs-b",
      { addonName: "aws-ebs-csi-driver", clusterName: UNKNOWN },
      { clusterName: b.cluster },
    );
    ebsClass(s, a.provider, [driver]);
    expect(of(run(s), "addon/required").map((d) => d.message)).toEqual([
      expect.stringContaining('on cluster "a", which is not installed'),
    ]);
  });

  it("AlbConfig and the alb IngressClass need the ALB Ingress Controller (create-time or KubernetesAddon)", () => {
    const bad = new Stack();
    const a = ack(bad);
    bad.add(T.albConfig, "alb", { metadata: { name: "alb" }, spec: {} }, {}, { provider: a.provider });
    bad.add(
      T.ingressClass,
      "alb-class",
      { metadata: { name: "alb" }, spec: { controller: "ingress.k8s.alibabacloud/alb" } },
      {},
      { provider: a.provider },
    );
    bad.add(
      T.ingressClass,
      "nginx",
      { metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } },
      {},
      { provider: a.provider },
    );
    expect(of(run(bad), "addon/required").map(resourceName)).toEqual(["alb", "alb-class"]);

    const good = new Stack();
    const b = ack(good);
    const ctrl = good.add(
      ACK_ADDON,
      "alb-ctrl",
      { name: "alb-ingress-controller", clusterId: UNKNOWN },
      { clusterId: b.cluster },
    );
    const cfg = good.add(
      T.albConfig,
      "alb",
      { metadata: { name: "alb" }, spec: {} },
      {},
      { provider: b.provider, dependencies: [ctrl.urn as string] },
    );
    good.add(
      T.ingressClass,
      "alb-class",
      { metadata: { name: "alb" }, spec: { controller: "ingress.k8s.alibabacloud/alb" } },
      {},
      { provider: b.provider, dependencies: [cfg.urn as string] },
    );
    expect(of(run(good), "addon/required")).toEqual([]);

    // Installed with the cluster (its create-time list): there before anything in the cluster.
    const createTime = new Stack();
    const c = ack(createTime, "k", [{ name: "terway-eniip" }, { name: "alb-ingress-controller" }]);
    createTime.add(T.albConfig, "alb", { metadata: { name: "alb" }, spec: {} }, {}, { provider: c.provider });
    expect(of(run(createTime), "addon/required")).toEqual([]);
  });

  it("NetworkPolicies need a CNI that enforces them", () => {
    const bad = new Stack();
    const a = eks(bad);
    const cni = bad.add(
      EKS_ADDON,
      "cni",
      { addonName: "vpc-cni", clusterName: UNKNOWN },
      { clusterName: a.cluster },
    );
    bad.add(
      NP,
      "deny",
      { metadata: { name: "deny", namespace: "shop" }, spec: {} },
      {},
      { provider: a.provider, dependencies: [cni.urn as string] },
    );
    expect(of(run(bad), "addon/required").map((d) => d.message)).toEqual([
      expect.stringContaining('NetworkPolicy "shop/deny" needs a CNI that enforces NetworkPolicy'),
    ]);

    const good = new Stack();
    const b = eks(good);
    const on = good.add(
      EKS_ADDON,
      "cni",
      { addonName: "vpc-cni", clusterName: UNKNOWN, configurationValues: '{"enableNetworkPolicy":"true"}' },
      { clusterName: b.cluster },
    );
    good.add(
      NP,
      "deny",
      { metadata: { name: "deny", namespace: "shop" }, spec: {} },
      {},
      { provider: b.provider, dependencies: [on.urn as string] },
    );
    expect(of(run(good), "addon/required")).toEqual([]);

    const terway = new Stack();
    const c = ack(terway, "k", [{ name: "terway-eniip", config: '{"NetworkPolicy":"true"}' }]);
    terway.add(
      NP,
      "deny",
      { metadata: { name: "deny", namespace: "shop" }, spec: {} },
      {},
      { provider: c.provider },
    );
    expect(of(run(terway), "addon/required")).toEqual([]);
  });

  it("an autoscaling ACK pool needs the cluster's node autoscaling", () => {
    const bad = new Stack();
    const a = ack(bad);
    bad.pool("general", a.cluster, { scalingConfig: { enable: true, minSize: 1, maxSize: 5 } });
    bad.pool("fixed", a.cluster, { desiredSize: 3 });
    expect(of(run(bad), "addon/required").map(resourceName)).toEqual(["general"]);

    const good = new Stack();
    const b = ack(good);
    good.add(AUTOSCALING, "autoscaling", { clusterId: UNKNOWN }, { clusterId: b.cluster });
    good.pool("general", b.cluster, { scalingConfig: { enable: true, minSize: 1, maxSize: 5 } });
    expect(of(run(good), "addon/required")).toEqual([]);
  });

  it("an EKS node group that can scale needs an autoscaler (a Helm release counts)", () => {
    const bad = new Stack();
    const a = eks(bad);
    bad.add(
      T.nodeGroup,
      "ng",
      { clusterName: UNKNOWN, scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 2 } },
      { clusterName: a.cluster },
    );
    expect(of(run(bad), "addon/required").map(resourceName)).toEqual(["ng"]);

    const good = new Stack();
    const b = eks(good);
    good.add(
      T.nodeGroup,
      "ng",
      { clusterName: UNKNOWN, scalingConfig: { minSize: 2, maxSize: 6, desiredSize: 2 } },
      { clusterName: b.cluster },
    );
    good.add(
      T.release,
      "ca",
      { chart: "cluster-autoscaler", namespace: "kube-system" },
      {},
      { provider: b.provider },
    );
    expect(of(run(good), "addon/required")).toEqual([]);
  });

  it("never reports what it cannot know: an add-on whose cluster is unknown", () => {
    const s = new Stack();
    const a = eks(s, "a");
    eks(s, "b");
    s.add(EKS_ADDON, "ebs", { addonName: "aws-ebs-csi-driver", clusterName: UNKNOWN });
    ebsClass(s, a.provider);
    expect(of(run(s), "addon/required")).toEqual([]);
  });
});
