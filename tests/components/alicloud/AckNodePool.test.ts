import {
  AckNodePool,
  type AckNodePoolArgs,
  ackNodePoolProperties,
  validateNodePoolArgs,
} from "@kubeplat/components/internal/alicloud/AckNodePool";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { environmentFacts, parseEnvironment } from "@kubeplat/plan";
import { Labels, nodePoolFacts, SettingsSchema } from "@kubeplat/plan/facts";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { caught } from "../../support/validation";

const POOL = "alicloud:cs/nodePool:NodePool";

const base = (): AckNodePoolArgs => ({
  clusterId: "c-123",
  clusterName: "prod",
  vswitchIds: ["vsw-i", "vsw-j"],
  instanceTypes: ["ecs.g7.xlarge", "ecs.g6.xlarge"],
  desiredSize: 3,
  keyPairName: "platform-ops",
  securityGroupIds: ["sg-nodes"],
});

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "dev",
    state: (a) =>
      a.type === POOL ? { nodePoolId: `np-${a.name}`, scalingGroupId: `asg-${a.name}` } : undefined,
  });
});

describe("AckNodePool", () => {
  it("a fixed-size managed ContainerOS pool with encrypted disks, key-pair login and security groups", async () => {
    const out = await rt.run(async () => {
      const p = new AckNodePool("workers", {
        ...base(),
        labels: { "node.kubernetes.io/pool": "workers" },
        taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
      });
      return { id: p.nodePoolId, asg: p.scalingGroupId };
    });
    expect(out).toEqual({ id: "np-workers-pool", asg: "asg-workers-pool" });
    const pool = rt.one(POOL, "workers-pool");
    expect(pool.parent).toBe(rt.one("platform:alicloud:AckNodePool", "workers").urn);
    expect(pool.inputs).toMatchObject({
      clusterId: "c-123",
      nodePoolName: "workers",
      vswitchIds: ["vsw-i", "vsw-j"],
      instanceTypes: ["ecs.g7.xlarge", "ecs.g6.xlarge"],
      desiredSize: "3",
      imageType: "ContainerOS",
      runtimeName: "containerd",
      keyName: "platform-ops",
      systemDiskCategory: "cloud_essd",
      systemDiskSize: 120,
      systemDiskEncrypted: true,
      systemDiskEncryptAlgorithm: "aes-256",
      dataDisks: [{ category: "cloud_essd", size: 200, encrypted: "true" }],
      labels: [{ key: "node.kubernetes.io/pool", value: "workers" }],
      taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
      management: { enable: true, autoRepair: true, autoUpgrade: true, autoVulFix: false, maxUnavailable: 1 },
      securityGroupIds: ["sg-nodes"],
    });
    expect(pool.inputs.scalingConfig).toBeUndefined();
    expect(pool.replaceOnChanges).toEqual(["securityGroupIds", "clusterId"]);
    expect(pool.ignoreChanges).toEqual([]);
  });

  it("autoscaling: min/max in scalingConfig, no desired size, and the size is never diffed", async () => {
    await rt.run(async () => {
      new AckNodePool("auto", {
        ...base(),
        desiredSize: undefined,
        autoscaling: { minSize: 1, maxSize: 10 },
      });
      return {};
    });
    const pool = rt.one(POOL, "auto-pool");
    expect(pool.inputs.scalingConfig).toEqual({ enable: true, minSize: 1, maxSize: 10, type: "cpu" });
    expect(pool.inputs.desiredSize).toBeUndefined();
    expect(pool.ignoreChanges).toEqual(["desiredSize", "nodeCount"]);
  });

  it("kubelet settings, an image from the node image component, surge, spot and custom disks", async () => {
    await rt.run(async () => {
      new AckNodePool("tuned", {
        ...base(),
        imageType: "AliyunLinux3ContainerOptimized",
        imageId: "m-custom",
        kubelet: {
          maxPods: 64,
          evictionHard: { "memory.available": "300Mi", "nodefs.available": "10%" },
          kubeReserved: { cpu: "200m", memory: "1Gi" },
          systemReserved: { cpu: "100m", memory: "500Mi" },
          cpuManagerPolicy: "static",
        },
        management: { maxUnavailable: 2, surge: 1, autoVulFix: true },
        spot: {
          strategy: "SpotWithPriceLimit",
          priceLimits: [{ instanceType: "ecs.g7.xlarge", priceLimit: "0.5" }],
        },
        systemDisk: { size: 200, performanceLevel: "PL1", kmsKeyId: "key-1" },
        dataDisks: [{ size: 500, mountTarget: "/var/lib/container", fileSystem: "xfs" }],
      });
      return {};
    });
    const inputs = rt.one(POOL, "tuned-pool").inputs;
    expect(inputs).toMatchObject({
      imageType: "AliyunLinux3ContainerOptimized",
      imageId: "m-custom",
      kubeletConfiguration: {
        maxPods: "64",
        evictionHard: { "memory.available": "300Mi", "nodefs.available": "10%" },
        kubeReserved: { cpu: "200m", memory: "1Gi" },
        systemReserved: { cpu: "100m", memory: "500Mi" },
        cpuManagerPolicy: "static",
      },
      management: { enable: true, maxUnavailable: 2, surge: 1, autoVulFix: true },
      spotStrategy: "SpotWithPriceLimit",
      spotPriceLimits: [{ instanceType: "ecs.g7.xlarge", priceLimit: "0.5" }],
      compensateWithOnDemand: true,
      systemDiskSize: 200,
      systemDiskKmsKey: "key-1",
      dataDisks: [
        {
          size: 500,
          encrypted: "true",
          autoFormat: "true",
          mountTarget: "/var/lib/container",
          fileSystem: "xfs",
        },
      ],
    });
  });

  it("takes the image as NodeImage outputs: an unknown image type is not judged, an empty image id is none", async () => {
    await rt.run(async () => {
      new AckNodePool("fromimage", {
        ...base(),
        imageType: pulumi.output("ContainerOS"),
        imageId: pulumi.output(""),
        userData: pulumi.output("IyEvYmluL3NoCg=="),
      });
      return {};
    });
    const inputs = rt.one(POOL, "fromimage-pool").inputs;
    expect(inputs).toMatchObject({ imageType: "ContainerOS", userData: "IyEvYmluL3NoCg==" });
    expect(inputs.imageId).toBeUndefined();
    expect(
      validateNodePoolArgs("x", { ...base(), production: true, imageType: pulumi.output("AliyunLinux3") }),
    ).toEqual([]);
  });

  it("a standard cluster's pool: Alibaba Cloud Linux 3, unmanaged; a password stays secret", async () => {
    await rt.run(async () => {
      new AckNodePool("std", {
        ...base(),
        clusterEdition: "standard",
        keyPairName: undefined,
        password: "Platform-2024!",
      });
      return {};
    });
    const pool = rt.one(POOL, "std-pool");
    expect(pool.inputs).toMatchObject({ imageType: "AliyunLinux3" });
    expect(pool.inputs.management).toBeUndefined();
    expect(pool.inputs.password).toEqual({ [specialSigKey]: specialSecretSig, value: "Platform-2024!" });
    expect(pool.additionalSecretOutputs).toContain("password");
  });

  describe("validation: every violation, before anything is registered", () => {
    const cases: [string, () => AckNodePoolArgs, string, string, RegExp][] = [
      [
        "ContainerOS on a standard cluster",
        () => ({
          ...base(),
          clusterEdition: "standard",
          imageType: "ContainerOS",
          management: { enabled: false },
        }),
        "node/containeros-requirements",
        "cluster.edition",
        /needs an ACK Pro cluster.*edition standard/,
      ],
      [
        "ContainerOS on docker",
        () => ({ ...base(), runtime: "docker" }),
        "node/containeros-requirements",
        "runtime",
        /only the containerd runtime.*uses docker/,
      ],
      [
        "ContainerOS without a key pair",
        () => ({ ...base(), keyPairName: undefined, password: "Platform-2024!" }),
        "node/containeros-requirements",
        "loginKeyPair",
        /logs in only with a key pair/,
      ],
      [
        "a managed pool with a password",
        () => ({ ...base(), imageType: "AliyunLinux3", keyPairName: undefined, password: "Platform-2024!" }),
        "node/login",
        "password",
        /managed node pool "bad" \(cluster "prod"\) logs in with a password: managed node pools accept only key pairs/,
      ],
      [
        "a weak password",
        () => ({ ...base(), clusterEdition: "standard", keyPairName: undefined, password: "password" }),
        "node/login",
        "password",
        /login password has 1 character class \[lowercase\] \(needs 3 of uppercase, lowercase, digit, special\)/,
      ],
      [
        "no login",
        () => ({ ...base(), clusterEdition: "standard", keyPairName: undefined }),
        "node/login",
        "keyPairName",
        /has no login/,
      ],
      [
        "max pods over 256",
        () => ({ ...base(), kubelet: { maxPods: 300 } }),
        "node/max-pods",
        "kubelet.maxPods",
        /maxPods 300 .* exceeds the limit of 256/,
      ],
      [
        "max pods over Terway's ENI bound",
        () => ({
          ...base(),
          kubelet: { maxPods: 100 },
          instanceNetwork: { instanceType: "ecs.g7.xlarge", enis: 4, ipsPerEni: 15 },
        }),
        "node/max-pods",
        "kubelet.maxPods",
        /\(4 ENIs − 1\) × 15 IPs per ENI = 45/,
      ],
      [
        "a malformed eviction threshold",
        () => ({ ...base(), kubelet: { evictionHard: { "nodefs.inodesFree": "5000" } } }),
        "node/eviction-thresholds",
        'kubelet.evictionHard["nodefs.inodesFree"]',
        /nodefs\.inodesFree/,
      ],
      [
        "a mutable image in production",
        () => ({ ...base(), production: true, imageType: "AliyunLinux3" }),
        "node/immutable-image",
        "image",
        /boots image AliyunLinux3, not an immutable OS image/,
      ],
      [
        "a long pool name",
        () => ({ ...base(), nodePoolName: "x".repeat(64) }),
        "cluster/name",
        "nodePoolName",
        /is 64 characters \(1 to 63\)/,
      ],
      [
        "six security groups",
        () => ({ ...base(), securityGroupIds: ["a", "b", "c", "d", "e", "f"] }),
        "quota/node-pool-security-groups",
        "securityGroupIds",
        /uses 6 security groups \(a, b, c, d, e, f\) > the limit 5/,
      ],
      [
        "eleven instance types with autoscaling",
        () => ({
          ...base(),
          desiredSize: undefined,
          autoscaling: { minSize: 0, maxSize: 5 },
          instanceTypes: Array.from({ length: 11 }, (_, i) => `ecs.t${i}`),
        }),
        "quota/autoscaler-instance-types",
        "instanceTypes",
        /lists 11 instance types .* > the limit 10/,
      ],
      [
        "1,200 nodes in a pool",
        () => ({ ...base(), desiredSize: undefined, autoscaling: { minSize: 0, maxSize: 1200 } }),
        "quota/nodes-per-pool",
        "autoscaling.maxSize",
        /maxSize 1200 > default quota 1000/,
      ],
      [
        "min above max",
        () => ({ ...base(), desiredSize: undefined, autoscaling: { minSize: 5, maxSize: 2 } }),
        "spec/schema",
        "autoscaling",
        /minSize 5 and maxSize 2/,
      ],
      [
        "a desired size with autoscaling",
        () => ({ ...base(), autoscaling: { minSize: 1, maxSize: 5 } }),
        "spec/schema",
        "desiredSize",
        /desiredSize 3 with autoscaling 1–5/,
      ],
      [
        "a managed pool on standard",
        () => ({
          ...base(),
          clusterEdition: "standard",
          imageType: "AliyunLinux3",
          management: { enabled: true },
        }),
        "spec/schema",
        "management.enabled",
        /needs an ACK Pro cluster, edition is "standard"/,
      ],
      [
        "a price limit for an unlisted type",
        () => ({
          ...base(),
          spot: {
            strategy: "SpotWithPriceLimit",
            priceLimits: [{ instanceType: "ecs.c7.large", priceLimit: "1" }],
          },
        }),
        "spec/schema",
        "spot.priceLimits[0].instanceType",
        /ecs\.c7\.large, which is not one of instanceTypes/,
      ],
    ];
    for (const [what, args, rule, path, message] of cases) {
      it(`${rule}: ${what}`, () => {
        const count = rt.resources.length;
        const e = caught(() => new AckNodePool("bad", args()));
        const d = e.diagnostics.find((x) => x.rule === rule && x.path === path);
        expect(d, e.message).toBeDefined();
        expect(d?.message).toMatch(message);
        expect(rt.resources.length).toBe(count);
      });
    }

    it("autoscaling the default pool is an advisory, not an error (node/autoscaling-default-pool)", () => {
      const ds = validateNodePoolArgs("default", {
        ...base(),
        isDefault: true,
        desiredSize: undefined,
        autoscaling: { minSize: 1, maxSize: 3 },
      });
      expect(ds).toEqual([
        expect.objectContaining({
          rule: "node/autoscaling-default-pool",
          severity: "advisory",
          path: "autoscaling",
        }),
      ]);
    });

    it("the compliant production pool has no diagnostic", () => {
      expect(validateNodePoolArgs("ok", { ...base(), production: true })).toEqual([]);
    });
  });
});

describe("AckNodePool judges what it registers", () => {
  it("validates the properties it registers: the builder's output is the NodePool's inputs", async () => {
    const args: AckNodePoolArgs = { ...base(), clusterEdition: "standard", imageType: "AliyunLinux3" };
    await rt.run(async () => {
      new AckNodePool("judged", args);
      return {};
    });
    const registered = rt.one(POOL, "judged-pool").inputs;
    const built = JSON.parse(JSON.stringify(ackNodePoolProperties("judged", args)));
    expect(registered).toMatchObject(built);
  });

  it("decodes managed, login and autoscaling as the policy pack does; the default pool comes from the arguments", () => {
    const ctx = { stack: undefined, production: true, settings: SettingsSchema.parse({}) };
    const decode = (args: AckNodePoolArgs) =>
      nodePoolFacts(
        {
          type: POOL,
          name: "p",
          urn: "p",
          props: JSON.parse(JSON.stringify(ackNodePoolProperties("p", args))),
          dependencies: [],
          propertyDependencies: {},
        },
        ctx,
        new Labels(),
      );
    expect(decode({ ...base(), clusterEdition: "standard", imageType: "AliyunLinux3" })).toMatchObject({
      managed: false,
      keyPairLogin: true,
    });
    expect(decode({ ...base(), keyPairName: undefined })).toMatchObject({
      managed: true,
      keyPairLogin: false,
    });
    // A production pool without a login: the component refuses it with node/login at its argument path.
    const d = validateNodePoolArgs("p", { ...base(), keyPairName: undefined, production: true });
    expect(d.find((x) => x.rule === "node/login")).toMatchObject({
      severity: "mandatory",
      path: "keyPairName",
    });
    // autoscaling default pool: the flag exists only in the arguments.
    const a = validateNodePoolArgs("p", {
      ...base(),
      desiredSize: undefined,
      autoscaling: { minSize: 1, maxSize: 3 },
      isDefault: true,
    });
    expect(a.find((x) => x.rule === "node/autoscaling-default-pool")?.path).toBe("autoscaling");
  });

  it("is managed exactly when the spec's facts say so (one decision: Pro, unless the pool says otherwise)", () => {
    for (const edition of ["pro", "standard"] as const) {
      const parsed = parseEnvironment(
        {
          name: "dev",
          cloud: "alicloud",
          region: "cn-hangzhou",
          zones: ["cn-hangzhou-i"],
          vpc: { cidr: "192.168.0.0/16" },
          clusters: [
            {
              name: "c",
              edition,
              nodePools: [
                {
                  name: "p",
                  minSize: 1,
                  maxSize: 2,
                  instanceTypes: ["ecs.g7.xlarge"],
                  vcpu: 4,
                  memoryGiB: 16,
                },
              ],
            },
          ],
        },
        "test",
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
      const spec = environmentFacts(parsed.env).nodePools[0]?.managed;
      const props = ackNodePoolProperties("p", { ...base(), clusterEdition: edition });
      expect(props.management !== undefined, edition).toBe(spec);
    }
  });
});
