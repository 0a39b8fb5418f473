import {
  CLOUD_IMAGE_FAMILIES,
  checkNodeImage,
  containerOsRequirements,
  evictionThresholds,
  imageAvailability,
  imageRules,
  immutableFamilyOf,
  immutableImage,
  maxPods,
  type NodeImageFacts,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const compliantContainerOs: NodeImageFacts = {
  resource: "workers",
  path: "clusters[0].nodePools[0]",
  image: "ContainerOS",
  cluster: { name: "prod", edition: "ack.pro.small", cni: "terway" },
  pool: { managed: true, runtime: "containerd", login: "key-pair" },
  kubelet: {
    maxPods: 40,
    evictionHard: [
      "memory.available<100Mi",
      "nodefs.available<10%",
      "nodefs.inodesFree<5%",
      "imagefs.available<15%",
    ],
    evictionSoft: [],
    evictionSoftGracePeriod: {},
    swap: false,
  },
  network: { instanceType: "ecs.g7.xlarge", terwayEniMode: "shared", enis: 4, ipsPerEni: 15 },
  rollout: { imageChange: "replace" },
};

describe("imageRules", () => {
  it("maps each rule id to its function", () => {
    expect(Object.keys(imageRules).sort()).toEqual([
      "node/containeros-requirements",
      "node/eviction-thresholds",
      "node/immutable-image",
      "node/max-pods",
    ]);
    expect(imageRules["node/max-pods"]).toBe(maxPods);
  });

  it("a compliant ContainerOS pool has no diagnostic at all", () => {
    expect(checkNodeImage(compliantContainerOs)).toEqual([]);
  });

  it("facts that are all unknown produce nothing", () => {
    expect(checkNodeImage({})).toEqual([]);
    expect(checkNodeImage({ image: "ContainerOS", pool: {}, cluster: {}, kubelet: {} })).toEqual([]);
  });
});

describe("node/containeros-requirements", () => {
  it("reports a standard cluster, docker and a password, each with its values; the edition, not the pool, when the cluster is not Pro", () => {
    const ds = containerOsRequirements({
      ...compliantContainerOs,
      cluster: { name: "prod", edition: "ack.standard" },
      pool: { managed: false, runtime: "docker", login: "password" },
    });
    expect(ds.map((d) => [d.rule, d.severity, d.path])).toEqual([
      ["node/containeros-requirements", "mandatory", "clusters[0].nodePools[0].cluster.edition"],
      ["node/containeros-requirements", "mandatory", "clusters[0].nodePools[0].runtime"],
      ["node/containeros-requirements", "mandatory", "clusters[0].nodePools[0].loginKeyPair"],
    ]);
    expect(ds[0]?.message).toContain("edition ack.standard");
    expect(ds[1]?.message).toContain("uses docker");
    expect(ds[2]?.message).toContain("uses a password");
    expect(ds.every((d) => d.resource === "workers")).toBe(true);
  });

  it("reports an unmanaged pool on a Pro cluster", () => {
    const ds = containerOsRequirements({
      ...compliantContainerOs,
      cluster: { name: "prod", edition: "pro" },
      pool: { managed: false, runtime: "containerd", login: "key-pair" },
    });
    expect(ds.map((d) => d.path)).toEqual(["clusters[0].nodePools[0].managed"]);
    expect(ds[0]?.message).toContain('workers (cluster "prod") is not managed');
  });

  it("reports a pool without any key pair", () => {
    const [d] = containerOsRequirements({ image: "containeros", pool: { login: "none" } });
    expect(d?.path).toBe("loginKeyPair");
    expect(d?.message).toContain("uses no key pair");
  });

  it("does not apply to other images", () => {
    expect(
      containerOsRequirements({
        image: "AliyunLinux3",
        pool: { managed: false, runtime: "docker", login: "password" },
      }),
    ).toEqual([]);
  });
});

describe("node/max-pods", () => {
  it("reports more than 256 pods per node", () => {
    const [d] = maxPods({ resource: "big", kubelet: { maxPods: 300 } });
    expect(d).toMatchObject({ rule: "node/max-pods", severity: "mandatory", path: "kubelet.maxPods" });
    expect(d?.message).toContain("maxPods 300 of big exceeds the limit of 256");
  });

  it("reports a non-positive or fractional value", () => {
    expect(maxPods({ kubelet: { maxPods: 0 } })[0]?.message).toContain(
      "maxPods 0 of node-pool is not a positive integer",
    );
    expect(maxPods({ kubelet: { maxPods: 12.5 } })[0]?.message).toContain("12.5");
  });

  it("reports more pods than Terway shared ENI gives the instance type", () => {
    const [d] = maxPods({ ...compliantContainerOs, kubelet: { maxPods: 46 } });
    expect(d?.message).toBe(
      'maxPods 46 of workers (cluster "prod") exceeds what Terway shared ENI gives instance type ecs.g7.xlarge: (4 ENIs − 1) × 15 IPs per ENI = 45 (ACK docs: Work with Terway)',
    );
    expect(maxPods({ ...compliantContainerOs, kubelet: { maxPods: 45 } })).toEqual([]);
  });

  it("reports more pods than Terway exclusive ENI gives", () => {
    const [d] = maxPods({
      cluster: { cni: "terway" },
      network: { terwayEniMode: "exclusive", enis: 4 },
      kubelet: { maxPods: 4 },
    });
    expect(d?.message).toContain("(4 ENIs − 1) = 3");
  });

  it("ignores the ENI bound on other CNIs", () => {
    expect(
      maxPods({ ...compliantContainerOs, cluster: { cni: "flannel" }, kubelet: { maxPods: 200 } }),
    ).toEqual([]);
  });

  it("under Terway shared ENI a value is accepted exactly when it fits both bounds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 30 }),
        (pods, enis, ips) => {
          const ds = maxPods({
            cluster: { cni: "terway" },
            network: { enis, ipsPerEni: ips },
            kubelet: { maxPods: pods },
          });
          const ok = pods <= 256 && pods <= (enis - 1) * ips;
          expect(ds.length === 0).toBe(ok);
        },
      ),
    );
  });
});

describe("node/eviction-thresholds", () => {
  it("reports malformed statements with their index and the reason", () => {
    const ds = evictionThresholds({
      resource: "workers",
      path: "pools[1]",
      kubelet: { evictionHard: ["memory.available<100Mi", "nodefs.inodesFree<1000", "memory.available>1Gi"] },
    });
    expect(ds.map((d) => d.path)).toEqual([
      "pools[1].kubelet.evictionHard[1]",
      "pools[1].kubelet.evictionHard[2]",
    ]);
    expect(ds[0]?.message).toContain("nodefs.inodesFree must be a percentage, not 1000");
    expect(ds[1]?.message).toContain('operator ">"');
    expect(ds.every((d) => d.rule === "node/eviction-thresholds" && d.severity === "mandatory")).toBe(true);
  });

  it("reads the {signal: value} map form too (ACK, Bottlerocket, KubeletConfiguration)", () => {
    const ds = evictionThresholds({
      kubelet: { evictionHard: { "imagefs.inodesFree": "2Gi", "memory.available": "1Gi" } },
    });
    expect(ds).toHaveLength(1);
    expect(ds[0]?.path).toBe('kubelet.evictionHard["imagefs.inodesFree"]');
    expect(ds[0]?.message).toContain("imagefs.inodesFree must be a percentage, not 2Gi");
  });

  it("reports a soft threshold without grace period, a bad duration and an unknown signal's period", () => {
    const ds = evictionThresholds({
      kubelet: {
        evictionSoft: ["memory.available<500Mi", "nodefs.available<15%"],
        evictionSoftGracePeriod: { "nodefs.available": "soon", "disk.free": "1m" },
      },
    });
    expect(ds.map((d) => d.message)).toEqual([
      "soft eviction threshold on memory.available of node-pool has no grace period (Alauda Container Platform docs: Handling resource exhaustion errors)",
      'grace period "soon" for nodefs.available of node-pool is not a duration like 1m30s (Alauda Container Platform docs: Handling resource exhaustion errors)',
      expect.stringContaining('grace period for unknown eviction signal "disk.free"'),
    ]);
  });

  it("reports swap on, naming the memory threshold that cannot fire", () => {
    const [d] = evictionThresholds({ kubelet: { swap: true, evictionHard: ["memory.available<100Mi"] } });
    expect(d?.path).toBe("kubelet.swap");
    expect(d?.message).toContain("swap is on for node-pool");
    expect(d?.message).toContain("memory.available<100Mi never fires");
  });

  it("accepts the documented defaults with a soft threshold and its grace period", () => {
    expect(
      evictionThresholds({
        kubelet: {
          ...compliantContainerOs.kubelet,
          evictionSoft: ["memory.available<500Mi"],
          evictionSoftGracePeriod: { "memory.available": "1m30s" },
        },
      }),
    ).toEqual([]);
  });
});

describe("node/immutable-image", () => {
  it("is mandatory in production and advisory elsewhere, naming the image", () => {
    const prod = immutableImage({ resource: "legacy", production: true, image: "AliyunLinux3" });
    expect(prod).toHaveLength(1);
    expect(prod[0]).toMatchObject({ rule: "node/immutable-image", severity: "mandatory", path: "image" });
    expect(prod[0]?.message).toContain("legacy boots image AliyunLinux3, not an immutable OS image");
    expect(immutableImage({ image: "AliyunLinux3" })[0]?.severity).toBe("advisory");
  });

  it("reports in-place image changes", () => {
    const [d] = immutableImage({
      production: true,
      image: "bottlerocket",
      rollout: { imageChange: "in-place" },
    });
    expect(d?.path).toBe("rollout.imageChange");
    expect(d?.message).toContain("applies image changes in place");
  });

  it("accepts the immutable families under their common names", () => {
    for (const image of [
      "ContainerOS",
      "bottlerocket",
      "ostree",
      "fedora-coreos",
      "flatcar",
      "opensuse-microos",
    ]) {
      expect(immutableFamilyOf(image)).toBeDefined();
      expect(immutableImage({ production: true, image, rollout: { imageChange: "replace" } })).toEqual([]);
    }
  });
});

describe("imageAvailability (a family the pool's cloud cannot boot)", () => {
  it("refuses every family outside the cloud's list with one spec error at the pool's image", () => {
    for (const [cloud, families] of Object.entries(CLOUD_IMAGE_FAMILIES)) {
      for (const image of ["containeros", "alinux", "bottlerocket", "ostree", "custom"]) {
        const ds = checkNodeImage({
          cloud,
          image,
          path: "clusters[0].nodePools[1]",
          pool: { login: "none" },
        });
        const refused = ds.filter((d) => d.rule === "spec/schema");
        if (families.includes(image)) expect(refused).toEqual([]);
        else {
          expect(ds).toHaveLength(1);
          expect(refused[0]?.path).toBe("clusters[0].nodePools[1].image");
          expect(refused[0]?.message).toContain(`image ${image}`);
        }
      }
    }
  });
  it("leaves a component's facts (no cloud) alone", () => {
    expect(imageAvailability({ image: "custom" })).toEqual([]);
  });
  it("makes ostree available on both clouds once the environment declares its ostreeImage, and only ostree", () => {
    for (const cloud of Object.keys(CLOUD_IMAGE_FAMILIES)) {
      expect(imageAvailability({ cloud, image: "ostree", ostreeImage: true })).toEqual([]);
      const without = imageAvailability({ cloud, image: "ostree", ostreeImage: false });
      expect(without).toHaveLength(1);
      expect(without[0]?.message).toContain("declares no `ostreeImage`");
      expect(imageAvailability({ cloud, image: "custom", ostreeImage: true })).toHaveLength(1);
    }
    // And the image is immutable: node/immutable-image has nothing to say about it.
    expect(checkNodeImage({ cloud: "aws", image: "ostree", ostreeImage: true, production: true })).toEqual(
      [],
    );
  });
  it("reports a field outside the pool at its absolute path", () => {
    const ds = containerOsRequirements({
      image: "containeros",
      path: "clusters[0].nodePools[0]",
      cluster: { edition: "standard" },
      fieldPaths: { "cluster.edition": "clusters[0].edition" },
    });
    expect(ds.map((d) => d.path)).toEqual(["clusters[0].edition"]);
  });
});
