/** EksClusterAddons under the mock runtime: add-on inputs, Pod Identity roles (trust and least privilege), order. */

import {
  EksClusterAddons,
  type EksClusterAddonsArgs,
} from "@kubeplat/components/internal/aws/EksClusterAddons";
import {
  clusterAutoscalerPolicy,
  EBS_CSI_DRIVER_POLICY_ARN,
  podIdentityTrustPolicy,
  wildcardGrants,
} from "@kubeplat/components/internal/aws/podIdentity";
import type { MockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";
import { beforeAll, describe, expect, it } from "vitest";
import { mine, offlineRuntime } from "../../support/runtime";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await offlineRuntime();
});

const ADDON = "aws:eks/addon:Addon";

const ARGS: EksClusterAddonsArgs = {
  clusterName: "k",
  kubernetesVersion: "1.31",
  region: "eu-central-1",
  addons: [
    { name: "vpc-cni", config: { enableNetworkPolicy: "true" } },
    { name: "coredns", version: "v1.11.4-eksbuild.2" },
    { name: "kube-proxy", version: "latest" },
    { name: "eks-pod-identity-agent", version: "v1.3.4-eksbuild.1" },
    { name: "aws-ebs-csi-driver", version: "v1.38.1-eksbuild.2" },
  ],
  autoscaler: {},
};

describe("EksClusterAddons", () => {
  it("installs each add-on with its version, configuration and OVERWRITE conflict resolution", async () => {
    await rt.run(() => {
      new EksClusterAddons("a", ARGS);
      return {};
    });
    const addons: Record<string, Record<string, unknown>> = Object.fromEntries(
      mine(rt, "a", ADDON).map((r) => [String(r.inputs.addonName), r.inputs]),
    );
    expect(Object.keys(addons).sort()).toEqual([
      "aws-ebs-csi-driver",
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "vpc-cni",
    ]);
    for (const a of Object.values(addons)) {
      expect(a.resolveConflictsOnCreate).toBe("OVERWRITE");
      expect(a.resolveConflictsOnUpdate).toBe("OVERWRITE");
      expect(a.clusterName).toBe("k");
    }
    expect(addons["vpc-cni"]?.configurationValues).toBe('{"enableNetworkPolicy":"true"}');
    expect(addons.coredns?.addonVersion).toBe("v1.11.4-eksbuild.2");
    // No version: AWS's default for the minor; latest: the most recent, both through getAddonVersion.
    expect(addons["vpc-cni"]?.addonVersion).toBe("(AWS default vpc-cni for 1.31)");
    expect(addons["kube-proxy"]?.addonVersion).toBe("(latest kube-proxy for 1.31)");
    // The EBS CSI controller's service account is bound to its role by the add-on itself.
    expect(addons["aws-ebs-csi-driver"]?.podIdentityAssociations).toEqual([
      { roleArn: expect.stringContaining("a-ebs-csi"), serviceAccount: "ebs-csi-controller-sa" },
    ]);
    // An add-on version never replaces anything: no replace-on-change input.
    for (const r of mine(rt, "a", ADDON)) expect(r.replaceOnChanges).toEqual([]);
  });

  it("orders the EBS CSI driver after the Pod Identity Agent and its role's permissions", () => {
    const ebs = rt.one(ADDON, "a-aws-ebs-csi-driver");
    const agent = rt.one(ADDON, "a-eks-pod-identity-agent");
    const attachment = rt.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a-ebs-csi");
    expect(ebs.dependencies).toEqual(expect.arrayContaining([agent.urn, attachment.urn]));
    expect(attachment.inputs.policyArn).toBe(EBS_CSI_DRIVER_POLICY_ARN);
  });

  it("gives Pod Identity roles the documented trust, and the autoscaler only its own cluster's groups", () => {
    for (const role of mine(rt, "a", "aws:iam/role:Role")) {
      expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(podIdentityTrustPolicy());
    }
    expect(podIdentityTrustPolicy()).toMatchSnapshot();
    const policy = rt.one("aws:iam/rolePolicy:RolePolicy", "a-autoscaler");
    const doc = JSON.parse(policy.inputs.policy as string);
    expect(doc).toEqual(clusterAutoscalerPolicy("k"));
    expect(doc).toMatchSnapshot();
    expect(wildcardGrants(doc)).toEqual([]);
    const scale = doc.Statement[0];
    expect(scale.Condition.StringEquals).toEqual({ "aws:ResourceTag/k8s.io/cluster-autoscaler/k": "owned" });
    const association = rt.one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "a-autoscaler");
    expect(association.inputs).toMatchObject({
      clusterName: "k",
      namespace: "kube-system",
      serviceAccount: "cluster-autoscaler",
    });
  });

  it("installs the Cluster Autoscaler chart with the image of the cluster's minor", () => {
    const release = rt.one("kubernetes:helm.sh/v3:Release", "a-autoscaler");
    expect(release.inputs).toMatchObject({
      chart: "cluster-autoscaler",
      version: "9.46.6",
      namespace: "kube-system",
    });
    expect(release.inputs.values).toMatchObject({
      cloudProvider: "aws",
      awsRegion: "eu-central-1",
      autoDiscovery: { clusterName: "k" },
      image: { tag: "v1.31.0" },
      rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
    });
  });

  it("refuses a list it cannot honour before registering anything", async () => {
    let error: PlatformValidationError | undefined;
    await rt.run(() => {
      try {
        new EksClusterAddons("bad", {
          clusterName: "k",
          kubernetesVersion: "one",
          addons: [{ name: "aws-ebs-csi-driver" }, { name: "aws-ebs-csi-driver" }, { name: "istio" }],
          autoscaler: {},
        });
      } catch (e) {
        if (!(e instanceof PlatformValidationError)) throw e;
        error = e;
      }
      return {};
    });
    expect(error?.diagnostics.map((d) => d.path)).toEqual([
      "kubernetesVersion",
      "addons[1].name",
      "addons[2].name",
      "addons",
      "autoscaler",
      "region",
    ]);
    expect(mine(rt, "bad")).toEqual([]);
  });
});

describe("least privilege", () => {
  it("finds wildcard grants", () => {
    expect(wildcardGrants({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] })).toEqual(["*"]);
    expect(wildcardGrants({ Statement: { Effect: "Allow", Action: ["s3:*"], Resource: ["*"] } })).toEqual([
      "s3:*",
    ]);
    expect(
      wildcardGrants({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] }),
    ).toEqual([]);
  });
});
