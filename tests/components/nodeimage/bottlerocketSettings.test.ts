import {
  bottlerocketParameterName,
  bottlerocketUserData,
  kubernetesMinor,
} from "@kubeplat/components/internal/nodeimage/bottlerocketSettings";
import { resolveKubeletSettings } from "@kubeplat/plan";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

const input = {
  clusterName: "prod-eks",
  apiServer: "https://ABCDEF.gr7.ap-southeast-1.eks.amazonaws.com",
  clusterCertificate: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
  kubelet: resolveKubeletSettings({
    maxPods: 58,
    evictionSoft: ["memory.available<500Mi"],
    evictionSoftGracePeriod: { "memory.available": "1m30s" },
    clusterDns: ["172.20.0.10"],
    kubeReserved: { cpu: "100m", memory: "512Mi" },
  }),
  nodeLabels: { "platform.io/pool": "general", "node.kubernetes.io/os": "bottlerocket" },
  nodeTaints: [
    { key: "dedicated", value: "gpu", effect: "NoSchedule" as const },
    { key: "dedicated", value: "gpu", effect: "NoExecute" as const },
    { key: "spot", effect: "PreferNoSchedule" as const },
  ],
  registryMirrors: [
    { registry: "docker.io", endpoints: ["https://mirror.example.com", "https://mirror2.example.com"] },
  ],
};

describe("Bottlerocket AMI parameter", () => {
  it("follows the EKS user guide's path for version, flavor and architecture", () => {
    expect(bottlerocketParameterName({ kubernetesVersion: "1.31" })).toBe(
      "/aws/service/bottlerocket/aws-k8s-1.31/x86_64/latest/image_id",
    );
    expect(
      bottlerocketParameterName({
        kubernetesVersion: "v1.30.4",
        architecture: "arm64",
        flavor: "nvidia",
        version: "1.20.0",
      }),
    ).toBe("/aws/service/bottlerocket/aws-k8s-1.30-nvidia/arm64/1.20.0/image_id");
    expect(() => bottlerocketParameterName({ kubernetesVersion: "latest" })).toThrow(
      'kubernetesVersion "latest"',
    );
  });

  it("takes major.minor of any Kubernetes version string", () => {
    expect(kubernetesMinor("1.31.1-aliyun.1")).toBe("1.31");
    expect(kubernetesMinor("1.29")).toBe("1.29");
    expect(kubernetesMinor("one")).toBeUndefined();
  });
});

describe("Bottlerocket settings TOML", () => {
  const toml = bottlerocketUserData(input);

  it("matches the snapshot", () => {
    expect(toml).toMatchSnapshot();
  });

  it("parses back to the settings Bottlerocket reads", () => {
    const doc = parse(toml) as { settings: Record<string, Record<string, unknown>> };
    const k = doc.settings.kubernetes as Record<string, unknown>;
    expect(k["cluster-name"]).toBe("prod-eks");
    expect(k["api-server"]).toBe(input.apiServer);
    expect(k["cluster-certificate"]).toBe(input.clusterCertificate);
    expect(k["max-pods"]).toBe(58);
    expect(k["cluster-dns-ip"]).toEqual(["172.20.0.10"]);
    expect(k["eviction-hard"]).toEqual({
      "memory.available": "100Mi",
      "nodefs.available": "10%",
      "nodefs.inodesFree": "5%",
      "imagefs.available": "15%",
    });
    expect(k["eviction-soft"]).toEqual({ "memory.available": "500Mi" });
    expect(k["eviction-soft-grace-period"]).toEqual({ "memory.available": "1m30s" });
    expect(k["kube-reserved"]).toEqual({ cpu: "100m", memory: "512Mi" });
    expect(k["node-labels"]).toEqual(input.nodeLabels);
    expect(k["node-taints"]).toEqual({
      dedicated: ["gpu:NoSchedule", "gpu:NoExecute"],
      spot: ["PreferNoSchedule"],
    });
    expect(doc.settings["container-registry"]).toEqual({
      mirrors: [
        { registry: "docker.io", endpoint: ["https://mirror.example.com", "https://mirror2.example.com"] },
      ],
    });
  });

  it("leaves max pods to Bottlerocket (ENI-derived) when unset, and omits empty sections", () => {
    const doc = parse(
      bottlerocketUserData({
        ...input,
        kubelet: resolveKubeletSettings(),
        nodeLabels: {},
        nodeTaints: [],
        registryMirrors: [],
      }),
    ) as { settings: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.settings)).toEqual(["kubernetes"]);
    expect(Object.keys(doc.settings.kubernetes as object).sort()).toEqual([
      "api-server",
      "cluster-certificate",
      "cluster-domain",
      "cluster-name",
      "eviction-hard",
    ]);
  });
});
