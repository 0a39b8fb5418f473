/**
 * security/deployer-access: spec-level (the environment checks, so --plan-only and the full
 * preview agree) and as a pure rule.
 */

import { checkEnvironment, deployerAccess, type EnvironmentInput, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

function aws(access: EnvironmentInput["access"], apiServer?: { public: boolean; allowList?: string[] }) {
  const spec: EnvironmentInput = {
    name: "x",
    cloud: "aws",
    region: "eu-central-1",
    zones: ["eu-central-1a", "eu-central-1b"],
    vpc: { cidr: "10.32.0.0/16" },
    clusters: [
      {
        name: "c",
        cni: "vpc-cni",
        kubernetesVersion: "1.31",
        apiServer,
        nodePools: [{ name: "p", minSize: 1, maxSize: 2, instanceTypes: ["m6i.large"] }],
      },
    ],
    access,
  };
  const parsed = parseEnvironment(spec, "x");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return checkEnvironment(parsed.env).diagnostics.filter((d) => d.rule === "security/deployer-access");
}

describe("security/deployer-access from the spec", () => {
  it("deployers left out: the identity running pulumi up is granted, nothing to report", () => {
    expect(aws({ deployFrom: "vpc" })).toEqual([]);
  });

  it("deployers: [] on EKS: nobody can create the in-cluster objects", () => {
    const [d, ...rest] = aws({ deployers: [], deployFrom: "vpc" });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: "mandatory", path: "access.deployers", resource: "c" });
    expect(d?.message).toContain("no access entry gives the identity running it cluster-admin");
  });

  it("a private-only endpoint deployed from the internet (the default) is unreachable", () => {
    const [d, ...rest] = aws({});
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: "mandatory", path: "access.deployFrom" });
    expect(d?.message).toContain("the API endpoint is private-only");
    // A public endpoint with an allow-list is the other way.
    expect(aws({}, { public: true, allowList: ["203.0.113.0/24"] })).toEqual([]);
  });
});

describe("deployerAccess (pure)", () => {
  it("unknown facts never report", () => {
    expect(deployerAccess({ resource: "c" })).toEqual([]);
    expect(deployerAccess({ resource: "c", managesInClusterObjects: true, cloud: "aws" })).toEqual([]);
  });
  it("a ConfigMap authentication mode or the creator's bootstrap may grant access: not reported", () => {
    const base = { resource: "c", managesInClusterObjects: true, cloud: "aws", deployerAdmin: false };
    expect(deployerAccess({ ...base, authenticationMode: "API_AND_CONFIG_MAP" })).toEqual([]);
    expect(deployerAccess({ ...base, creatorAdmin: true })).toEqual([]);
    expect(deployerAccess(base).map((d) => d.rule)).toEqual(["security/deployer-access"]);
  });
});
