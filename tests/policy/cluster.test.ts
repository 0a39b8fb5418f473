/**
 * cluster/*, node/* and security/* policies on hand-written ACK and EKS stacks.
 */

import { NODE_IMAGE_FAMILY_TAG } from "@kubeplat/plan/facts";
import { describe, expect, it } from "vitest";
import { packConfig } from "../../policy/policies";
import { by, of, run, Stack, T, UNKNOWN, violations } from "./stack";

/** A production-grade ACK cluster: Pro, two zones, protected, encrypted, private API server. */
function ack(
  stack = "prod",
  props: Record<string, unknown> = {},
  extra: { protect?: boolean } = { protect: true },
) {
  const s = new Stack(stack);
  const vpc = s.vpc("main", "10.0.0.0/16");
  const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
  const b = s.vswitch("node-b", "10.0.16.0/20", "cn-hangzhou-j", vpc);
  const c = s.ack(
    "prod",
    {
      podCidr: "172.20.0.0/16",
      serviceCidr: "172.21.0.0/20",
      addons: [{ name: "flannel" }],
      deletionProtection: true,
      encryptionProviderKey: "key-1234",
      slbInternetEnabled: false,
      tags: { env: "prod" },
      ...props,
    },
    [a, b],
    [],
    extra,
  );
  return { s, c, a, b, vpc };
}

const containerOsPool = {
  desiredSize: "3",
  imageType: "ContainerOS",
  keyName: "ops",
  management: { enable: true },
  runtimeName: "containerd",
};

describe("cluster/*", () => {
  it("a compliant production cluster and pool report nothing", () => {
    const { s, c, a, b } = ack();
    s.pool("workers", c, containerOsPool, [a, b]);
    expect(run(s)).toEqual([]);
  });

  it("cluster/zones: a production cluster in one zone (zones of its vSwitches)", () => {
    const s = new Stack("prod");
    const vpc = s.vpc("main", "10.0.0.0/16");
    const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
    const a2 = s.vswitch("node-a2", "10.0.16.0/20", "cn-hangzhou-i", vpc);
    s.ack("single", { serviceCidr: "172.21.0.0/20" }, [a, a2]);
    const [d] = of(run(s), "cluster/zones");
    expect(d?.message).toContain('production cluster spans 1 zone [cn-hangzhou-i] (cluster "single")');
    expect(d?.path).toBe("vswitchIds");
    // The same stack is not production under another name, or when productionStacks says so.
    const dev = new Stack("dev");
    dev.resources.push(...s.resources.map((r) => ({ ...r, urn: r.urn?.replace(":prod::", ":dev::") })));
    expect(of(run(dev), "cluster/zones")).toEqual([]);
    expect(of(run(s, { config: packConfig({ productionStacks: ["live"] }) }), "cluster/zones")).toEqual([]);
  });

  it("cluster/zones: four control-plane vSwitches", () => {
    const { s, vpc, a, b } = ack("dev");
    const c2 = s.vswitch("node-c", "10.0.32.0/20", "cn-hangzhou-k", vpc);
    const d2 = s.vswitch("node-d", "10.0.48.0/20", "cn-hangzhou-k", vpc);
    s.ack("wide", { serviceCidr: "172.22.0.0/20" }, [a, b, c2, d2]);
    const [d] = of(run(s), "cluster/zones");
    expect(d?.message).toContain("4 control-plane vSwitches");
    expect(d?.message).toContain("a cluster takes 1 to 3 vSwitches");
  });

  it("cluster/name: a cluster and a node pool with bad names (resource policies)", () => {
    const s = new Stack();
    const c = s.ack("bad", { name: "prod_cluster" });
    s.pool("pool", c, { nodePoolName: "x".repeat(64), desiredSize: "1" });
    const vs = by(violations(s), "cluster/name");
    expect(vs.map((v) => v.message)).toEqual([
      expect.stringContaining('cluster name "prod_cluster" contains "_"'),
      expect.stringContaining(`node pool name "${"x".repeat(64)}" is 64 characters (1 to 63)`),
    ]);
  });

  it("cluster/tags: 21 tags and a key starting with aliyun", () => {
    const tags: Record<string, string> = { "aliyun-owner": "me" };
    for (let i = 0; i < 20; i++) tags[`k${i}`] = "v";
    const s = new Stack();
    s.ack("tagged", { tags });
    const msgs = by(violations(s), "cluster/tags").map((v) => v.message);
    expect(msgs).toEqual([
      expect.stringContaining("21 tags: at most 20 tags on a resource"),
      expect.stringContaining('tag key "aliyun-owner" starts with reserved "aliyun"'),
    ]);
  });
});

describe("node/*", () => {
  it("node/containeros-requirements: ContainerOS on a standard cluster (so unmanaged), docker, password", () => {
    const s = new Stack();
    const c = s.ack("std", { clusterSpec: "ack.standard" });
    s.pool("cos", c, {
      desiredSize: "1",
      imageType: "ContainerOS",
      runtimeName: "docker",
      password: "Secret-Pass1",
    });
    const msgs = of(run(s), "node/containeros-requirements").map((d) => d.message);
    // The edition is the cause (no pool of a standard cluster can be managed): said once.
    expect(msgs).toEqual([
      expect.stringContaining(
        'needs an ACK Pro cluster (managed pools require Pro), but cos (cluster "std") is on edition standard',
      ),
      expect.stringContaining('supports only the containerd runtime, but cos (cluster "std") uses docker'),
      expect.stringContaining('logs in only with a key pair, but cos (cluster "std") uses a password'),
    ]);
  });

  it("node/login: a managed pool with a weak password; EKS node groups need no login", () => {
    const s = new Stack();
    const c = s.ack("k", {});
    s.pool("pw", c, { desiredSize: "1", password: "abc_def", management: { enable: true } });
    s.add(T.nodeGroup, "eks-ng", {
      clusterName: "eks",
      nodeGroupName: "ng",
      scalingConfig: { desiredSize: 1, maxSize: 1, minSize: 1 },
    });
    const vs = by(violations(s), "node/login");
    expect(vs.map((v) => v.urn?.split("::").pop())).toEqual(["pw", "pw"]);
    expect(vs[0]?.message).toContain('managed node pool "pw" logs in with a password');
    expect(vs[1]?.message).toContain("login password is 7 characters (8 to 30)");
    expect(vs[1]?.message).not.toContain("abc_def");
  });

  it("node/max-pods and node/eviction-thresholds from the kubelet configuration", () => {
    const s = new Stack();
    const c = s.ack("k", {});
    s.pool("kubelet", c, {
      desiredSize: "1",
      keyName: "ops",
      kubeletConfiguration: {
        maxPods: "300",
        evictionHard: { "memory.available": "lots", "nodefs.available": "10%" },
      },
    });
    const ds = run(s);
    expect(of(ds, "node/max-pods").map((d) => d.message)).toEqual([
      expect.stringContaining("maxPods 300 of kubelet exceeds the limit of 256 pods per node"),
    ]);
    const [e] = of(ds, "node/eviction-thresholds");
    expect(e?.message).toContain("evictionHard of kubelet");
    expect(e?.message).toContain("lots");
  });

  it("node/autoscaling-default-pool (advisory): autoscaling on default-nodepool", () => {
    const s = new Stack();
    const c = s.ack("k", {});
    s.pool("default-nodepool", c, {
      keyName: "ops",
      scalingConfig: { enable: true, minSize: 1, maxSize: 5 },
    });
    s.pool("burst", c, { keyName: "ops", scalingConfig: { enable: true, minSize: 1, maxSize: 5 } });
    const vs = by(violations(s), "node/autoscaling-default-pool");
    expect(vs).toHaveLength(1);
    expect(vs[0]?.level).toBe("advisory");
    expect(vs[0]?.message).toContain('default node pool "default-nodepool" has autoscaling true');
  });

  it("node/immutable-image: mandatory in production, advisory twin elsewhere; config immutableImages", () => {
    const prod = ack("prod");
    prod.s.pool("alinux", prod.c, { desiredSize: "1", keyName: "ops", imageType: "AliyunLinux3" });
    prod.s.pool("ostree", prod.c, {
      desiredSize: "1",
      keyName: "ops",
      imageType: "Custom",
      imageId: "m-ostree-1",
    });
    const vs = violations(prod.s);
    expect(by(vs, "node/immutable-image").map((v) => [v.level, v.urn?.split("::").pop(), v.message])).toEqual(
      [
        [
          "mandatory",
          "alinux",
          expect.stringContaining("boots image AliyunLinux3, not an immutable OS image"),
        ],
        ["mandatory", "ostree", expect.stringContaining("boots image custom image m-ostree-1")],
      ],
    );
    expect(by(vs, "node/immutable-image/non-production")).toEqual([]);
    // The project's ostree image, declared in config, is immutable.
    const config = packConfig({ immutableImages: ["m-ostree-1"] });
    expect(
      by(violations(prod.s, { config }), "node/immutable-image").map((v) => v.urn?.split("::").pop()),
    ).toEqual(["alinux"]);
    // The platform's own ostree image (built and imported by this stack, its id unknown before
    // the update) is recognised by the tag the platform puts on the pool.
    const built = ack("prod");
    built.s.pool("ostree-built", built.c, {
      desiredSize: "1",
      keyName: "ops",
      imageType: "Custom",
      imageId: "m-built-1",
      tags: { [NODE_IMAGE_FAMILY_TAG]: "ostree" },
    });
    built.s.pool("custom-other", built.c, {
      desiredSize: "1",
      keyName: "ops",
      imageType: "Custom",
      imageId: "m-other-1",
      tags: { [NODE_IMAGE_FAMILY_TAG]: "alinux" },
    });
    expect(by(violations(built.s), "node/immutable-image").map((v) => v.urn?.split("::").pop())).toEqual([
      "custom-other",
    ]);
    // In dev the same pool is an advisory of the twin policy.
    const dev = ack("dev");
    dev.s.pool("alinux", dev.c, { desiredSize: "1", keyName: "ops", imageType: "AliyunLinux3" });
    const devVs = violations(dev.s);
    expect(by(devVs, "node/immutable-image")).toEqual([]);
    expect(by(devVs, "node/immutable-image/non-production").map((v) => v.level)).toEqual(["advisory"]);
    expect(of(run(dev.s), "node/immutable-image").map((d) => d.severity)).toEqual(["advisory"]);
  });
});

describe("security/*", () => {
  it("security/deletion-protection: cluster without protection or protect, an SLB with deleteProtection off", () => {
    const { s } = ack("prod", { deletionProtection: false }, { protect: false });
    s.add(T.slb, "api", { loadBalancerName: "api", deleteProtection: "off" }, {}, { protect: true });
    s.add(
      T.nlb,
      "ingress",
      {
        loadBalancerName: "ingress",
        deletionProtectionEnabled: true,
        vpcId: "vpc-1",
        addressType: "Intranet",
        zoneMappings: [],
      },
      {},
      { protect: true },
    );
    const vs = by(violations(s), "security/deletion-protection");
    expect(vs.map((v) => [v.urn?.split("::").pop(), v.message])).toEqual([
      ["prod", expect.stringContaining('production cluster "prod": deletionProtection false')],
      [
        "prod",
        expect.stringContaining('production cluster "prod": protect false; mark the resource protect: true'),
      ],
      ["api", expect.stringContaining('production load balancer "api": deletionProtection false')],
    ]);
    expect(vs.every((v) => v.level === "mandatory")).toBe(true);
  });

  it("security/deletion-protection: a LoadBalancer Service that turns the CCM's protection off", () => {
    const s = new Stack("prod");
    s.add(T.service, "web", {
      metadata: {
        name: "web",
        namespace: "shop",
        annotations: { "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-delete-protection": "off" },
      },
      spec: { type: "LoadBalancer", externalTrafficPolicy: "Local" },
    });
    const [v] = by(violations(s), "security/deletion-protection");
    expect(v?.message).toContain('load balancer "shop/web": deletionProtection false');
  });

  it("security/secrets-encryption: no KMS key on ACK, and a standard cluster; EKS without encryptionConfig", () => {
    const { s } = ack("prod", { encryptionProviderKey: undefined, clusterSpec: "ack.standard" });
    s.add(
      T.eks,
      "eks",
      { name: "eks", vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], endpointPublicAccess: false } },
      {},
      { protect: true },
    );
    const msgs = by(violations(s), "security/secrets-encryption").map((v) => v.message);
    expect(msgs).toEqual([
      expect.stringMatching(
        /cluster "prod".*edition standard cannot encrypt Secrets with a KMS key.*\(at clusterSpec\)$/,
      ),
      expect.stringMatching(/cluster "prod".*Secrets are not encrypted.*\(at encryptionProviderKey\)$/),
      expect.stringMatching(/cluster "eks".*Secrets are not encrypted.*\(at encryptionConfig\)$/),
    ]);
    const ok = new Stack("prod");
    ok.add(T.eks, "eks", {
      name: "eks",
      vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false },
      encryptionConfig: { provider: { keyArn: "arn:aws:kms:key" }, resources: ["secrets"] },
    });
    expect(by(violations(ok), "security/secrets-encryption")).toEqual([]);
  });

  it("security/public-api-server: ACK's internet SLB by default, EKS open to 0.0.0.0/0", () => {
    const { s } = ack("prod", { slbInternetEnabled: undefined });
    s.add(T.eks, "open", { name: "open", vpcConfig: { subnetIds: ["subnet-1"] } });
    s.add(T.eks, "restricted", {
      name: "restricted",
      vpcConfig: { subnetIds: ["subnet-1"], publicAccessCidrs: ["203.0.113.0/24"] },
    });
    const vs = by(violations(s), "security/public-api-server");
    expect(vs.map((v) => [v.urn?.split("::").pop(), v.message])).toEqual([
      [
        "prod",
        expect.stringMatching(
          /cluster "prod".*public API server endpoint with no allow-list.*\(at slbInternetEnabled\)$/,
        ),
      ],
      [
        "open",
        expect.stringContaining(
          "public API server endpoint open to 0.0.0.0/0 (publicAccessCidrs [0.0.0.0/0])",
        ),
      ],
    ]);
  });
});

describe("security/deployer-access on raw EKS stacks", () => {
  /** An EKS cluster with API authentication, its Kubernetes provider and one namespace through it. */
  function eks(opts: { clusterAdmin?: boolean; publicAccess?: boolean } = {}) {
    const s = new Stack("dev");
    const cluster = s.add(T.eks, "main", {
      name: "main",
      vpcConfig: { endpointPublicAccess: opts.publicAccess ?? false },
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
    });
    const provider = s.add(
      "pulumi:providers:kubernetes",
      "main-k8s",
      { kubeconfig: "x" },
      { kubeconfig: cluster },
    );
    s.add(T.ns, "apps", { metadata: { name: "apps" } }, {}, { provider: provider.urn });
    if (opts.clusterAdmin) {
      s.add(
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "main-deployer-cluster-admin",
        {
          clusterName: "main",
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          accessScope: { type: "cluster" },
        },
        { clusterName: cluster },
      );
    }
    return s;
  }

  it("in-cluster objects and nobody with cluster-admin: refused", () => {
    const ds = of(run(eks()), "security/deployer-access");
    expect(ds.map((d) => d.severity)).toEqual(["mandatory"]);
    expect(ds[0]?.message).toContain("no access entry gives the identity running it cluster-admin");
    expect(of(run(eks({ clusterAdmin: true })), "security/deployer-access")).toEqual([]);
  });

  it("a private-only endpoint deployed from the internet (config deployFrom): refused", () => {
    const internet = packConfig({ deployFrom: "internet" });
    const ds = of(run(eks({ clusterAdmin: true }), { config: internet }), "security/deployer-access");
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("the API endpoint is private-only")]);
    expect(
      of(
        run(eks({ clusterAdmin: true }), { config: packConfig({ deployFrom: "vpc" }) }),
        "security/deployer-access",
      ),
    ).toEqual([]);
    expect(
      of(
        run(eks({ clusterAdmin: true, publicAccess: true }), { config: internet }),
        "security/deployer-access",
      ),
    ).toEqual([]);
  });
});

describe("cluster/version-*", () => {
  it("cluster/version-skew: a hand-written cluster jumping two minors from config baselineVersions is refused", () => {
    const { s } = ack("prod", { version: "1.35.7-aliyun.1" });
    const jump = packConfig({
      baselineVersions: { prod: { version: "1.33.3-aliyun.1" } },
      today: "2026-11-28",
    });
    const [d] = of(run(s, { config: jump }), "cluster/version-skew");
    expect(d?.severity).toBe("mandatory");
    expect(d?.path).toBe("version");
    expect(d?.message).toContain(
      "moves from 1.33.3-aliyun.1 to 1.35.7-aliyun.1: 2 minor versions in one change",
    );
    const step = packConfig({
      baselineVersions: { prod: { version: "1.34.2-aliyun.1" } },
      today: "2026-11-28",
    });
    expect(
      of(run(ack("prod", { version: "1.35.7-aliyun.1" }).s, { config: step }), "cluster/version-skew"),
    ).toEqual([]);
  });

  it("cluster/version-skew: an EKS node group newer than its cluster", () => {
    const s = new Stack("prod");
    const c = s.add(T.eks, "main", { name: "main", version: "1.34" });
    s.add(
      T.nodeGroup,
      "workers",
      { clusterName: UNKNOWN, nodeGroupName: "workers", version: "1.35" },
      { clusterName: c },
    );
    const [d] = of(run(s, { config: packConfig({ today: "2026-11-28" }) }), "cluster/version-skew");
    expect(d?.message).toContain(
      'node pool "workers" of cluster "main" runs 1.35, newer than its control plane 1.34',
    );
  });

  it("cluster/version-supported: mandatory in production, advisory elsewhere, on config today", () => {
    const cfg = packConfig({ today: "2026-11-28" });
    const prod = of(
      run(ack("prod", { version: "1.31.1-aliyun.1" }).s, { config: cfg }),
      "cluster/version-supported",
    );
    expect(prod.map((d) => d.severity)).toEqual(["mandatory"]);
    expect(prod[0]?.message).toContain("standard support of 1.31 ended on 2025-09-30");
    const dev = of(
      run(ack("dev", { version: "1.31.1-aliyun.1" }).s, { config: cfg }),
      "cluster/version-supported",
    );
    expect(dev.map((d) => d.severity)).toEqual(["advisory"]);
    expect(
      of(run(ack("prod", { version: "1.36.1-aliyun.1" }).s, { config: cfg }), "cluster/version-supported"),
    ).toEqual([]);
  });
});
