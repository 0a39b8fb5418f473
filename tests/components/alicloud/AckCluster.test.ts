import {
  AckCluster,
  type AckClusterArgs,
  validateClusterArgs,
} from "@kubeplat/components/internal/alicloud/AckCluster";
import { ackAddons } from "@kubeplat/components/internal/alicloud/ackAddons";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { mine as mineIn } from "../../support/runtime";
import { caught } from "../../support/validation";

const T = {
  cluster: "alicloud:cs/managedKubernetes:ManagedKubernetes",
  key: "alicloud:kms/key:Key",
  acl: "alicloud:slb/acl:Acl",
  entry: "alicloud:slb/aclEntryAttachment:AclEntryAttachment",
  command: "command:local:Command",
  provider: "pulumi:providers:kubernetes",
};
const KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

const base = (): AckClusterArgs => ({
  vswitches: [
    { id: "vsw-i", zone: "cn-hangzhou-i", cidr: "10.0.0.0/20" },
    { id: "vsw-j", zone: "cn-hangzhou-j", cidr: "10.0.16.0/20" },
  ],
  podVSwitches: [
    { id: "vsw-pod-i", zone: "cn-hangzhou-i", cidr: "10.0.64.0/19" },
    { id: "vsw-pod-j", zone: "cn-hangzhou-j", cidr: "10.0.96.0/19" },
  ],
  vpcCidrs: ["10.0.0.0/16"],
  serviceCidr: "172.21.0.0/20",
  kubernetesVersion: "1.36.1-aliyun.1",
  securityGroupId: "sg-nodes",
});
const prod = (): AckClusterArgs => ({ ...base(), production: true });
const flannel = (): AckClusterArgs => ({
  ...base(),
  cni: "flannel",
  podVSwitches: undefined,
  podCidr: "172.20.0.0/16",
});

let rt: MockRuntime;
let calls: string[] = [];
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "platform",
    stack: "dev",
    state: (a) =>
      a.type === T.cluster
        ? {
            slbId: `lb-${a.name}`,
            securityGroupId: "sg-ack",
            workerRamRoleName: "KubernetesWorkerRole-x",
            connections: { apiServerIntranet: "https://10.0.0.10:6443" },
          }
        : undefined,
    call: (a) => {
      calls.push(`${a.token} ${JSON.stringify(a.inputs)}`);
      return a.token === "alicloud:cs/getClusterCredential:getClusterCredential"
        ? { kubeConfig: KUBECONFIG }
        : undefined;
    },
  });
});

const mine = (prefix: string, type?: string) => mineIn(rt, prefix, type);

describe("AckCluster", () => {
  it("production Pro + Terway: safe defaults, a KMS key, immutable settings, protect", async () => {
    calls = [];
    const out = await rt.run(async () => {
      const c = new AckCluster("prod", prod());
      return {
        id: c.clusterId,
        endpoint: c.apiServerIntranetEndpoint,
        lb: c.apiServerLoadBalancerId,
        sg: c.securityGroupId,
        key: c.secretsKmsKeyId,
      };
    });
    expect(out).toMatchObject({
      id: "prod-cluster-id",
      endpoint: "https://10.0.0.10:6443",
      lb: "lb-prod-cluster",
      sg: "sg-ack",
      key: "prod-secrets-id",
    });
    const key = rt.one(T.key, "prod-secrets");
    // ACK docs: Use load-aware pod scheduling: Aliyun_AES_256, automatic rotation off.
    expect(key.inputs).toMatchObject({
      keySpec: "Aliyun_AES_256",
      automaticRotation: "Disabled",
      deletionProtection: "Enabled",
    });
    expect(key.protect).toBe(true);
    const cluster = rt.one(T.cluster, "prod-cluster");
    expect(cluster.inputs).toMatchObject({
      name: "prod",
      clusterSpec: "ack.pro.small",
      version: "1.36.1-aliyun.1",
      vswitchIds: ["vsw-i", "vsw-j"],
      podVswitchIds: ["vsw-pod-i", "vsw-pod-j"],
      serviceCidr: "172.21.0.0/20",
      proxyMode: "ipvs",
      newNatGateway: false,
      slbInternetEnabled: false,
      securityGroupId: "sg-nodes",
      deletionProtection: true,
      encryptionProviderKey: "prod-secrets-id",
      disableEncryption: false,
      controlPlaneLogComponents: ["apiserver", "kcm", "scheduler", "ccm", "controlplane-events"],
      controlPlaneLogTtl: "30",
      auditLogConfig: { enabled: true },
      skipSetCertificateAuthority: true,
    });
    expect(cluster.inputs.podCidr).toBeUndefined();
    expect(cluster.inputs.addons).toEqual(ackAddons("terway"));
    expect(cluster.protect).toBe(true);
    expect(cluster.replaceOnChanges).toEqual(["podCidr", "serviceCidr", "nodeCidrMask", "clusterSpec"]);
    expect(cluster.additionalSecretOutputs).toEqual([
      "certificateAuthority",
      "clientCert",
      "clientKey",
      "clusterCaCert",
    ]);
    expect(cluster.parent).toBe(rt.one("platform:alicloud:AckCluster", "prod").urn);
    expect(calls.filter((c) => c.startsWith("alicloud:cs/getClusterCredential"))).toEqual([
      'alicloud:cs/getClusterCredential:getClusterCredential {"clusterId":"prod-cluster-id"}',
    ]);
  });

  it("the kubeconfig is a secret output, and a Kubernetes provider child is built from it", async () => {
    let secret = false;
    const out = await rt.run(async () => {
      const c = new AckCluster("kc", base());
      secret = await pulumi.isSecret(c.kubeconfig);
      return { kubeconfig: c.kubeconfig };
    });
    expect(secret).toBe(true);
    expect(out.kubeconfig).toBe(KUBECONFIG);
    const provider = rt.one(T.provider, "kc-k8s");
    expect(provider.parent).toBe(rt.one("platform:alicloud:AckCluster", "kc").urn);
    // The provider receives the kubeconfig still wrapped as a secret.
    expect(provider.inputs.kubeconfig).toEqual({ [specialSigKey]: specialSecretSig, value: KUBECONFIG });
  });

  it("a given KMS key is used and none is created; standard edition skips encryption", async () => {
    await rt.run(async () => {
      new AckCluster("byok", { ...base(), secretsEncryption: { kmsKeyId: "key-123" } });
      new AckCluster("std", { ...base(), edition: "standard" });
      return {};
    });
    expect(mine("byok", T.key)).toEqual([]);
    expect(rt.one(T.cluster, "byok-cluster").inputs).toMatchObject({
      encryptionProviderKey: "key-123",
      disableEncryption: false,
    });
    const std = rt.one(T.cluster, "std-cluster").inputs;
    expect(std.clusterSpec).toBe("ack.standard");
    expect(std.encryptionProviderKey).toBeUndefined();
    expect(mine("std", T.key)).toEqual([]);
    // Outside production: no deletion protection, no protect, no control-plane logs.
    expect(std.deletionProtection).toBe(false);
    expect(std.controlPlaneLogComponents).toBeUndefined();
    expect(rt.one(T.cluster, "std-cluster").protect).toBe(false);
  });

  it("Flannel: pod CIDR and node mask, the flannel add-on, no pod vSwitches", async () => {
    await rt.run(async () => {
      new AckCluster("fl", {
        ...flannel(),
        proxyMode: "iptables",
        addons: { nodeLocalDns: false, logging: { enabled: false } },
      });
      return {};
    });
    const inputs = rt.one(T.cluster, "fl-cluster").inputs;
    expect(inputs).toMatchObject({ podCidr: "172.20.0.0/16", nodeCidrMask: 26, proxyMode: "iptables" });
    expect(inputs.podVswitchIds).toBeUndefined();
    expect((inputs.addons as { name: string }[]).map((a) => a.name)).toEqual([
      "flannel",
      "csi-plugin",
      "csi-provisioner",
      "ack-node-problem-detector",
      "nginx-ingress-controller",
    ]);
  });

  it("a public API server gets an allow-list ACL, one entry per CIDR, bound to the 6443 listener", async () => {
    const allowList = ["100.104.0.0/16", "10.0.0.0/20", "10.0.16.0/20", "203.0.113.0/24"];
    const out = await rt.run(async () => {
      const c = new AckCluster("pub", { ...prod(), apiServer: { publicEndpoint: true, allowList } });
      return { acl: c.apiServerAclId };
    });
    expect(out.acl).toBe("pub-api-acl-id");
    expect(rt.one(T.cluster, "pub-cluster").inputs.slbInternetEnabled).toBe(true);
    expect(mine("pub", T.entry).map((e) => e.inputs.entry)).toEqual(allowList);
    expect(rt.one(T.entry, "pub-api-acl-203-0-113-0-24").inputs).toMatchObject({ aclId: "pub-api-acl-id" });
    const cmd = rt.one(T.command, "pub-api-acl-binding");
    expect(cmd.inputs.create).toMatch(
      /SetLoadBalancerTCPListenerAttribute .*--ListenerPort 6443 --AclStatus on --AclType white/,
    );
    expect(cmd.inputs.delete).toMatch(/--AclStatus off/);
    expect(cmd.inputs.environment).toMatchObject({ LB_ID: "lb-pub-cluster", ACL_ID: "pub-api-acl-id" });
  });

  it("allowListBinding none: the ACL without the CLI binding", async () => {
    await rt.run(async () => {
      new AckCluster("acl2", {
        ...base(),
        apiServer: { allowList: ["100.104.0.0/16", "10.0.0.0/16"], allowListBinding: "none" },
      });
      return {};
    });
    expect(mine("acl2", T.acl)).toHaveLength(1);
    expect(mine("acl2", T.command)).toEqual([]);
  });

  describe("validation: every violation, before anything is registered", () => {
    const cases: [string, () => AckClusterArgs, string, string, RegExp][] = [
      [
        "production in one zone",
        () => ({
          ...prod(),
          vswitches: [base().vswitches[0] as AckClusterArgs["vswitches"][number]],
          podVSwitches: [base().podVSwitches?.[0] as AckClusterArgs["vswitches"][number]],
        }),
        "cluster/zones",
        "vswitches",
        /production cluster spans 1 zone \[cn-hangzhou-i\]/,
      ],
      [
        "four vSwitches",
        () => ({
          ...base(),
          vswitches: ["a", "b", "c", "d"].map((z, i) => ({
            id: `vsw-${z}`,
            zone: `cn-hangzhou-${z}`,
            cidr: `10.0.${i * 16}.0/20`,
          })),
          podVSwitches: undefined,
          cni: "flannel",
          podCidr: "172.20.0.0/16",
        }),
        "cluster/zones",
        "vswitches",
        /4 control-plane vSwitches \[vsw-a, vsw-b, vsw-c, vsw-d\]/,
      ],
      [
        "a bad name",
        () => ({ ...base(), clusterName: "prod_1" }),
        "cluster/name",
        "clusterName",
        /"prod_1" contains "_"/,
      ],
      [
        "a reserved tag key",
        () => ({ ...base(), tags: { "aliyun:owner": "x" } }),
        "cluster/tags",
        'tags["aliyun:owner"]',
        /starts with reserved "aliyun"/,
      ],
      [
        "production without deletion protection",
        () => ({ ...prod(), deletionProtection: false }),
        "security/deletion-protection",
        "deletionProtection",
        /deletionProtection false/,
      ],
      [
        "production without protect",
        () => ({ ...prod(), protect: false }),
        "security/deletion-protection",
        "protect",
        /protect false/,
      ],
      [
        "production standard edition",
        () => ({ ...prod(), edition: "standard" }),
        "security/secrets-encryption",
        "edition",
        /edition standard cannot encrypt Secrets/,
      ],
      [
        "production without encryption",
        () => ({ ...prod(), secretsEncryption: { enabled: false } }),
        "security/secrets-encryption",
        "secretsEncryption.enabled",
        /not encrypted with a KMS key/,
      ],
      [
        "production public API server without allow-list",
        () => ({ ...prod(), apiServer: { publicEndpoint: true } }),
        "security/public-api-server",
        "apiServer.allowList",
        /public API server endpoint with no allow-list/,
      ],
      [
        "production public API server open to the world",
        () => ({ ...prod(), apiServer: { publicEndpoint: true, allowList: ["0.0.0.0/0"] } }),
        "security/public-api-server",
        "apiServer.allowList",
        /open to 0\.0\.0\.0\/0/,
      ],
      [
        "an allow-list without ACK's range and a node vSwitch",
        () => ({ ...base(), apiServer: { allowList: ["10.0.0.0/20"] } }),
        "cidr/api-acl-missing-ranges",
        "apiServer.allowList",
        /lacks 100\.104\.0\.0\/16, 10\.0\.16\.0\/20/,
      ],
      [
        "a pod CIDR overlapping the service CIDR",
        () => ({ ...flannel(), podCidr: "172.21.0.0/16" }),
        "cidr/pod-overlaps-service",
        "podCidr",
        /172\.21\.0\.0\/16.*172\.21\.0\.0\/20/,
      ],
      [
        "a service CIDR inside the VPC",
        () => ({ ...base(), serviceCidr: "10.0.200.0/24" }),
        "cidr/service-overlaps-vpc",
        "serviceCidr",
        /10\.0\.200\.0\/24/,
      ],
      [
        "a standard cluster over 100 nodes",
        () => ({ ...base(), edition: "standard", maxNodes: 150 }),
        "quota/cluster-nodes",
        "maxNodes",
        /plans up to 150 nodes .* > the ACK standard cluster limit 100/,
      ],
      [
        "Flannel over the route entries",
        () => ({ ...flannel(), maxNodes: 60 }),
        "quota/flannel-route-entries",
        "maxNodes",
        /up to 60 nodes, one VPC route entry each, > route-entry default quota 48/,
      ],
      [
        "Terway without pod vSwitches",
        () => ({ ...base(), podVSwitches: [] }),
        "spec/schema",
        "podVSwitches",
        /cni "terway" needs pod vSwitches/,
      ],
      [
        "Flannel without pod CIDR",
        () => ({ ...flannel(), podCidr: undefined }),
        "spec/schema",
        "podCidr",
        /cni "flannel" needs podCidr/,
      ],
    ];
    for (const [what, args, rule, path, message] of cases) {
      it(`${rule}: ${what}`, () => {
        const count = rt.resources.length;
        const e = caught(() => new AckCluster("bad", args()));
        const d = e.diagnostics.find((x) => x.rule === rule && x.path === path);
        expect(d, e.message).toBeDefined();
        expect(d?.message).toMatch(message);
        expect(e.message).toContain(rule);
        expect(rt.resources.length).toBe(count);
      });
    }

    it("cluster/version-supported: ACK 1.31 (end of life 2025-09-30) is refused in production", () => {
      const d = validateClusterArgs("old", { ...prod(), kubernetesVersion: "1.31.1-aliyun.1" });
      expect(d.map((x) => [x.rule, x.path, x.severity])).toEqual([
        ["cluster/version-supported", "kubernetesVersion", "mandatory"],
      ]);
    });

    it("autoUpgradeChannel: one of the provider's channels, and only with an enabled maintenance window", () => {
      const window = {
        maintenanceTime: "2026-12-03T02:00:00.000+08:00",
        duration: "3h",
        weeklyPeriod: "Thursday",
      };
      expect(
        validateClusterArgs("ok", { ...prod(), autoUpgradeChannel: "stable", maintenanceWindow: window }),
      ).toEqual([]);
      const paths = (a: Parameters<typeof validateClusterArgs>[1]) =>
        validateClusterArgs("bad", a).map((d) => [d.rule, d.path]);
      expect(paths({ ...prod(), autoUpgradeChannel: "stable" })).toEqual([
        ["spec/schema", "autoUpgradeChannel"],
      ]);
      expect(
        paths({ ...prod(), autoUpgradeChannel: "nightly", maintenanceWindow: { ...window, enabled: true } }),
      ).toEqual([["spec/schema", "autoUpgradeChannel"]]);
      expect(
        paths({ ...prod(), autoUpgradeChannel: "patch", maintenanceWindow: { ...window, enabled: false } }),
      ).toEqual([["spec/schema", "autoUpgradeChannel"]]);
    });

    it("the compliant production cluster has no diagnostic; a dev standard cluster only advisories", () => {
      expect(validateClusterArgs("ok", prod())).toEqual([]);
      const dev = validateClusterArgs("dev", { ...base(), edition: "standard" });
      expect(dev.map((d) => [d.rule, d.path, d.severity])).toEqual([
        ["security/deletion-protection", "deletionProtection", "advisory"],
        ["security/deletion-protection", "protect", "advisory"],
        ["security/secrets-encryption", "edition", "advisory"],
        ["security/secrets-encryption", "secretsEncryption.enabled", "advisory"],
      ]);
    });

    it("one error lists every violation with its rule id, path and values", () => {
      const e = caught(
        () =>
          new AckCluster("bad", {
            ...prod(),
            clusterName: "prod_1",
            deletionProtection: false,
            apiServer: { publicEndpoint: true },
          }),
      );
      expect(e.diagnostics.map((d) => d.rule).sort()).toEqual([
        "cluster/name",
        "security/deletion-protection",
        "security/public-api-server",
      ]);
      expect(e.message).toMatch(/\[mandatory\] cluster\/name at clusterName \(bad\): cluster name "prod_1"/);
    });
  });
});
