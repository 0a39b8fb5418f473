/**
 * Every shipped environment: each object that needs an add-on is registered with that add-on's
 * resource among its dependencies (what `pulumi up` waits for), and the pack agrees.
 */
import { describe, expect, it } from "vitest";
import { previewEnvironment } from "../../../stacks/offline/preview";

const NEEDS: Record<string, (inputs: Record<string, unknown>, cloud: string) => string[]> = {
  "kubernetes:storage.k8s.io/v1:StorageClass": (i) =>
    i.provisioner === "ebs.csi.aws.com" ? ["aws-ebs-csi-driver"] : ["csi-plugin", "csi-provisioner"],
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": (_i, cloud) => [
    cloud === "aws" ? "vpc-cni" : "terway-eniip",
  ],
  "kubernetes:alibabacloud.com/v1:AlbConfig": () => ["alb-ingress-controller"],
  "kubernetes:networking.k8s.io/v1:IngressClass": (i) =>
    (i.spec as { controller?: string })?.controller === "ingress.k8s.alibabacloud/alb"
      ? ["alb-ingress-controller"]
      : [],
};

describe("add-ons come first in every shipped environment", () => {
  for (const env of ["dev", "staging", "prod", "aws-dev"]) {
    it(env, async () => {
      const r = await previewEnvironment(env);
      const cloud = r.env?.cloud as string;
      const addonUrn = (name: string) =>
        r.resources.find(
          (x) =>
            (x.type === "aws:eks/addon:Addon" && x.inputs.addonName === name) ||
            (x.type === "alicloud:cs/kubernetesAddon:KubernetesAddon" && x.inputs.name === name),
        )?.urn;
      let checked = 0;
      for (const x of r.resources) {
        const needs = NEEDS[x.type]?.(x.inputs, cloud) ?? [];
        for (const n of needs) {
          const urn = addonUrn(n);
          expect(urn, `${x.name} needs ${n}`).toBeDefined();
          expect(x.dependencies, `${x.name} waits for ${n}`).toContain(urn);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
      expect(r.policyDiagnostics.filter((d) => d.rule === "addon/required")).toEqual([]);
    });
  }
});
