import { decodeDataUrl } from "@kubeplat/components/internal/nodeimage/ignition";
import { derivedSecrets } from "@kubeplat/components/internal/selfmanaged/clusterPki";
import {
  apiSubnetMappings,
  checkSelfManagedClusterArgs,
  SelfManagedCluster,
  type SelfManagedClusterArgs,
} from "@kubeplat/components/internal/selfmanaged/SelfManagedCluster";
import type { MockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";
import { beforeAll, describe, expect, it } from "vitest";
import { offlineRuntime } from "../../support/runtime";

/** Pulumi's marker of a secret value on the wire. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

const args: SelfManagedClusterArgs = {
  cloud: "aws",
  clusterName: "sm-dev",
  zones: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
  kubernetesVersion: "v1.35.0",
  cni: "kube-ovn",
  podCidr: "172.16.0.0/16",
  serviceCidr: "172.17.0.0/20",
  joinCidr: "100.64.0.0/16",
  apiVip: "10.48.7.251",
  apiVipSubnetCidr: "10.48.0.0/21",
  apiVipSubnetId: "subnet-a",
  controlPlane: {
    count: 3,
    instanceType: "m7i.xlarge",
    diskGiB: 120,
    nodes: [
      { name: "sm-dev-cp-0", ip: "10.48.7.250", subnetId: "subnet-a" },
      { name: "sm-dev-cp-1", ip: "10.48.23.250", subnetId: "subnet-b" },
      { name: "sm-dev-cp-2", ip: "10.48.39.250", subnetId: "subnet-c" },
    ],
  },
  imageId: "ami-0ostree",
  vpcId: "vpc-1",
  vpcCidrs: ["10.48.0.0/16"],
  pools: [
    {
      name: "general",
      instanceTypes: ["m7i.large", "m6i.large"],
      capacity: { type: "mixed", onDemandBase: 1, onDemandPercentage: 50 },
      diskKmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/workers",
      minSize: 2,
      maxSize: 4,
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    },
  ],
  encryption: { provider: "secretbox" },
};

const rules = (a: SelfManagedClusterArgs) =>
  checkSelfManagedClusterArgs("sm", a)
    .filter((d) => d.severity === "mandatory")
    .map((d) => [d.rule, d.path]);

describe("SelfManagedCluster arguments", () => {
  it("accepts the planned shape", () => {
    expect(rules(args)).toEqual([]);
  });

  it("refuses 2 control-plane nodes (cluster/control-plane-count)", () => {
    const two = {
      ...args,
      controlPlane: { ...args.controlPlane, count: 2, nodes: args.controlPlane.nodes.slice(0, 2) },
    };
    expect(rules(two)).toEqual([["cluster/control-plane-count", "controlPlane.count"]]);
  });

  it("refuses a VIP outside the control-plane subnet or on a node (cidr/api-vip)", () => {
    expect(rules({ ...args, apiVip: "10.48.100.1" })).toEqual([["cidr/api-vip", "apiVip"]]);
    expect(rules({ ...args, apiVip: "10.48.7.250" })).toEqual([["cidr/api-vip", "apiVip"]]);
  });

  it("refuses a join CIDR over the pod or service CIDR (cidr/kubeovn-join-overlap)", () => {
    expect(rules({ ...args, joinCidr: "172.16.0.0/24" })).toEqual([
      ["cidr/kubeovn-join-overlap", "joinCidr"],
    ]);
  });

  it("refuses an unknown cloud and an unknown CNI", () => {
    expect(rules({ ...args, cloud: "gcp", cni: "flannel" })).toEqual([
      ["spec/schema", "cloud"],
      ["spec/schema", "cni"],
    ]);
  });

  it("refuses an Alibaba Cloud API NLB in one zone (an NLB spans at least two)", () => {
    const one = { ...args, cloud: "alicloud", apiVipZone: "cn-hangzhou-h", zones: ["cn-hangzhou-h"] };
    expect(rules({ ...one, apiZoneAddresses: [] })).toEqual([["spec/schema", "zones"]]);
    expect(
      rules({ ...one, apiZoneAddresses: [{ zone: "cn-hangzhou-i", subnetId: "vsw-b", ip: "10.48.23.251" }] }),
    ).toEqual([]);
  });

  it("refuses an NLB zone address on a node or on the VIP", () => {
    const ali = { ...args, cloud: "alicloud", apiVipZone: "cn-hangzhou-h" };
    for (const ip of ["10.48.23.250", "10.48.7.251"])
      expect(
        rules({ ...ali, apiZoneAddresses: [{ zone: "cn-hangzhou-i", subnetId: "vsw-b", ip }] }),
        ip,
      ).toEqual([["spec/schema", "apiZoneAddresses[0].ip"]]);
  });

  it("derives a kubeadm-shaped token and a 32-byte key, stable for one seed", () => {
    const a = derivedSecrets("seed-1");
    expect(a.bootstrapToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(Buffer.from(a.encryptionKey, "base64")).toHaveLength(32);
    expect(derivedSecrets("seed-1")).toEqual(a);
    expect(derivedSecrets("seed-2").bootstrapToken).not.toBe(a.bootstrapToken);
  });
});

describe("SelfManagedCluster resources", () => {
  let rt: MockRuntime;
  beforeAll(async () => {
    rt = await offlineRuntime({ preview: false });
    await rt.run(() => {
      const c = new SelfManagedCluster("sm", args);
      return { kubeconfig: c.kubeconfig };
    });
  });
  const of = (type: string) => rt.resources.filter((r) => r.type === type);

  it("puts the NLB on the VIP in the first control-plane subnet, enabled in every control-plane zone", () => {
    // An NLB sends no traffic to targets in a zone it does not enable (ELB docs: Availability
    // Zones and load balancer nodes): each node's subnet must be among the mappings.
    const [nlb] = of("aws:lb/loadBalancer:LoadBalancer");
    expect(nlb?.inputs).toMatchObject({
      internal: true,
      loadBalancerType: "network",
      subnetMappings: [
        { subnetId: "subnet-a", privateIpv4Address: "10.48.7.251" },
        { subnetId: "subnet-b" },
        { subnetId: "subnet-c" },
      ],
    });
    const mapped = ((nlb?.inputs.subnetMappings ?? []) as { subnetId: string }[]).map((m) => m.subnetId);
    for (const node of args.controlPlane.nodes) expect(mapped).toContain(node.subnetId);
    expect(of("aws:lb/targetGroupAttachment:TargetGroupAttachment").map((a) => a.inputs.targetId)).toEqual([
      "10.48.7.250",
      "10.48.23.250",
      "10.48.39.250",
    ]);
  });

  it("maps each control-plane subnet once: five nodes over three zones are three mappings", async () => {
    const five = apiSubnetMappings("subnet-a", "10.48.7.251", [
      "subnet-a",
      "subnet-b",
      "subnet-c",
      "subnet-a",
      "subnet-b",
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: Output's own promise, to read the value in a test
    expect(await (five as any).promise()).toEqual([
      { subnetId: "subnet-a", privateIpv4Address: "10.48.7.251" },
      { subnetId: "subnet-b" },
      { subnetId: "subnet-c" },
    ]);
  });

  it("replaces control-plane nodes one at a time: each waits for the previous node's readiness", () => {
    const instances = of("aws:ec2/instance:Instance");
    expect(instances.map((i) => [i.name, i.inputs.privateIp, i.deleteBeforeReplace])).toEqual([
      ["sm-cp-0", "10.48.7.250", true],
      ["sm-cp-1", "10.48.23.250", true],
      ["sm-cp-2", "10.48.39.250", true],
    ]);
    const ready = of("command:local:Command");
    expect(instances[1]?.dependencies).toContain(ready[0]?.urn);
    expect(instances[2]?.dependencies).toContain(ready[1]?.urn);
    expect(instances[0]?.inputs).toMatchObject({ userDataReplaceOnChange: true, ami: "ami-0ostree" });
  });

  it("boots every node with Ignition: the first control-plane node can init, workers only join", () => {
    // User data holds the CA keys and the token: it reaches the provider as a secret.
    const secretValue = (v: unknown) => {
      expect(v, "user data must be a secret").toMatchObject({ [SECRET_SIG]: SECRET_VALUE });
      return (v as { value: string }).value;
    };
    const ign = (s: string) =>
      JSON.parse(s) as { storage: { files: { path: string; contents: { source: string } }[] } };
    const first = ign(secretValue(of("aws:ec2/instance:Instance")[0]?.inputs.userData));
    expect(first.storage.files.map((f) => f.path)).toContain("/etc/kubernetes/kubeadm/init.yaml");
    const lt = of("aws:ec2/launchTemplate:LaunchTemplate")[0];
    const worker = ign(Buffer.from(secretValue(lt?.inputs.userData), "base64").toString("utf8"));
    const join = worker.storage.files.find((f) => f.path === "/etc/kubernetes/kubeadm/join.yaml");
    expect(decodeDataUrl(join?.contents.source ?? "")).toContain("apiServerEndpoint: 10.48.7.251:6443");
    expect(worker.storage.files.some((f) => f.path.startsWith("/etc/kubernetes/pki"))).toBe(false);
  });

  it("rolls workers by instance refresh on a new launch template version", () => {
    const [group] = of("aws:autoscaling/group:Group");
    expect(group?.inputs).toMatchObject({
      minSize: 2,
      maxSize: 4,
      desiredCapacity: 2,
      instanceRefresh: { strategy: "Rolling" },
    });
  });

  it("launches every listed instance type with the pool's capacity and disk key, nothing dropped", () => {
    const [group] = of("aws:autoscaling/group:Group");
    expect(group?.inputs.launchTemplate).toBeUndefined();
    expect(group?.inputs.mixedInstancesPolicy).toMatchObject({
      instancesDistribution: {
        onDemandBaseCapacity: 1,
        onDemandPercentageAboveBaseCapacity: 50,
        onDemandAllocationStrategy: "prioritized",
        spotAllocationStrategy: "price-capacity-optimized",
      },
      launchTemplate: { overrides: [{ instanceType: "m7i.large" }, { instanceType: "m6i.large" }] },
    });
    const lt = of("aws:ec2/launchTemplate:LaunchTemplate").find((r) => r.name.endsWith("-general"));
    expect(lt?.inputs.instanceType).toBeUndefined();
    expect(lt?.inputs.blockDeviceMappings).toMatchObject([
      { ebs: { encrypted: "true", kmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/workers" } },
    ]);
  });

  it("makes ECDSA P-256 CAs and keys and an Ed25519 seed", () => {
    const keys = of("tls:index/privateKey:PrivateKey");
    expect(keys.map((k) => [k.name, k.inputs.algorithm]).sort()).toEqual([
      ["sm-admin-key", "ECDSA"],
      ["sm-ca-key", "ECDSA"],
      ["sm-etcd-ca-key", "ECDSA"],
      ["sm-front-proxy-ca-key", "ECDSA"],
      ["sm-sa", "ECDSA"],
      ["sm-seed", "ED25519"],
    ]);
  });

  it("throws before registering anything on a broken argument", async () => {
    let error: unknown;
    try {
      new SelfManagedCluster("broken", {
        ...args,
        controlPlane: { ...args.controlPlane, count: 2, nodes: args.controlPlane.nodes.slice(0, 2) },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect((error as PlatformValidationError).diagnostics.map((d) => [d.rule, d.path])).toEqual([
      ["cluster/control-plane-count", "controlPlane.count"],
    ]);
    await rt.settle();
    expect(rt.resources.filter((r) => r.name.startsWith("broken"))).toEqual([]);
  });
});
