/** Add-on resolution: defaults per cloud, version resolution and pinning, configuration merging. */

import {
  ACK_ADDONS,
  clusterAddons,
  EKS_ADDON_VERSIONS,
  EKS_ADDONS,
  KUBERNETES_RELEASES,
  kubernetesMinor,
  parseEnvironment,
  pinnedAddonVersion,
  promisedNetworkPolicies,
  VERSION_CATALOGUE_DATE,
} from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

function awsEnv(cluster: Record<string, unknown> = {}) {
  const r = parseEnvironment({
    name: "t",
    cloud: "aws",
    region: "eu-central-1",
    zones: ["eu-central-1a", "eu-central-1b"],
    vpc: { cidr: "10.0.0.0/16" },
    clusters: [{ name: "k", cni: "vpc-cni", kubernetesVersion: "1.31", ...cluster }],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.env;
}
const byName = (e: ReturnType<typeof awsEnv>) =>
  Object.fromEntries(clusterAddons(e, e.clusters[0] as never).map((a) => [a.name, a]));

describe("add-on versions", () => {
  it("pins kube-proxy and coredns for every minor in the table, the others where the docs name one", () => {
    for (const [minor, row] of Object.entries(EKS_ADDON_VERSIONS)) {
      for (const name of Object.keys(row)) expect(EKS_ADDONS).toContain(name);
      expect(row.coredns).toBeDefined();
      // kube-proxy follows the control plane's minor; every version is an EKS build.
      expect(row["kube-proxy"]?.startsWith(`v${minor}.`)).toBe(true);
      for (const v of Object.values(row)) expect(v).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
  });

  it("has a row for every EKS minor in standard support on the catalogue date (the default among them)", () => {
    const current = KUBERNETES_RELEASES.aws.filter((r) => r.endOfStandardSupport >= VERSION_CATALOGUE_DATE);
    expect(current.map((r) => r.minor)).toContain("1.35");
    for (const r of current) expect(EKS_ADDON_VERSIONS[r.minor], r.minor).toBeDefined();
  });

  it("reads the minor of ACK and EKS versions", () => {
    expect(kubernetesMinor("1.31.1-aliyun.1")).toBe("1.31");
    expect(kubernetesMinor("1.33")).toBe("1.33");
    expect(kubernetesMinor("v1.30.2")).toBe("1.30");
    expect(kubernetesMinor("latest")).toBeUndefined();
  });

  it("ACK pins nothing by default (ACK offers versions per cluster)", () => {
    for (const a of ACK_ADDONS) expect(pinnedAddonVersion("alicloud", a, "1.31")).toBeUndefined();
  });

  it("resolves: spec pin > platform pin for the minor > the cloud's default; latest on request", () => {
    const d = byName(awsEnv());
    expect(d.coredns).toMatchObject({ version: "v1.11.4-eksbuild.24", versionSource: "pinned" });
    expect(d["kube-proxy"]).toMatchObject({ version: "v1.31.13-eksbuild.2", versionSource: "pinned" });

    const pinned = byName(
      awsEnv({ addons: { coredns: { version: "v1.11.3-eksbuild.1" }, "vpc-cni": { version: "latest" } } }),
    );
    expect(pinned.coredns).toMatchObject({ version: "v1.11.3-eksbuild.1", versionSource: "spec" });
    expect(pinned["vpc-cni"]).toMatchObject({ version: undefined, versionSource: "latest" });

    const unknownMinor = byName(awsEnv({ kubernetesVersion: "1.99" }));
    expect(unknownMinor.coredns).toMatchObject({ version: undefined, versionSource: "cloud-default" });
  });

  it("upgrading the cluster's minor moves every pinned add-on with it", () => {
    const a = byName(awsEnv({ kubernetesVersion: "1.32" }));
    const b = byName(awsEnv({ kubernetesVersion: "1.33" }));
    expect(a["kube-proxy"]?.version).toBe("v1.32.9-eksbuild.2");
    expect(b["kube-proxy"]?.version).toBe("v1.33.5-eksbuild.2");
  });

  it("merges the spec's configuration over the platform's, and can disable an add-on", () => {
    const e = awsEnv({
      addons: {
        "vpc-cni": { config: { env: { WARM_IP_TARGET: "2" } } },
        "aws-ebs-csi-driver": { enabled: false },
      },
    });
    const d = byName(e);
    expect(d["vpc-cni"]?.config).toEqual({ env: { WARM_IP_TARGET: "2" } });
    expect(d["aws-ebs-csi-driver"]).toMatchObject({ enabled: false });
    expect(d["aws-ebs-csi-driver"]?.reason).toContain("set in the spec");
  });

  it("turns network policy on exactly when the platform promises NetworkPolicies", () => {
    const withTenants = parseEnvironment({
      name: "t",
      cloud: "aws",
      region: "eu-central-1",
      zones: ["eu-central-1a"],
      vpc: { cidr: "10.0.0.0/16" },
      clusters: [{ name: "k", kubernetesVersion: "1.33" }],
      tenancy: {
        projects: [{ name: "shop", clusters: [{ name: "k" }], namespaces: [{ name: "web", cluster: "k" }] }],
      },
    });
    if (!withTenants.ok) throw new Error("parse");
    const e = withTenants.env;
    expect(promisedNetworkPolicies(e, e.clusters[0] as never)).toEqual(["shop-web"]);
    expect(byName(e)["vpc-cni"]?.config).toEqual({ enableNetworkPolicy: "true" });
    expect(byName(awsEnv())["vpc-cni"]?.config).toEqual({});
  });

  it("installs the node autoscaler only when a pool autoscales", () => {
    const pool = { name: "p", minSize: 1, maxSize: 3, instanceTypes: ["m6i.large"] };
    expect(byName(awsEnv({ nodePools: [pool] }))["cluster-autoscaler"]?.enabled).toBe(false);
    expect(
      byName(awsEnv({ nodePools: [{ ...pool, autoscaling: true }] }))["cluster-autoscaler"],
    ).toMatchObject({
      enabled: true,
      version: "9.46.6",
    });
  });
});
