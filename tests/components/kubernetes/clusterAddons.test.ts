/** The in-cluster components report addon/required on the installed add-ons they are given. */

import { validateIngressControllerArgs } from "@kubeplat/components/internal/kubernetes/IngressController";
import { validateStorageClasses } from "@kubeplat/components/internal/kubernetes/StorageClasses";
import { planTenancy } from "@kubeplat/components/internal/kubernetes/Tenancy";
import { describe, expect, it } from "vitest";

const rules = (ds: { rule: string; path: string }[]) =>
  ds.filter((d) => d.rule === "addon/required").map((d) => d.path);

describe("components and their add-ons", () => {
  it("StorageClasses: ebs-sc needs aws-ebs-csi-driver; the ACK classes need csi-plugin and csi-provisioner", () => {
    expect(
      rules(validateStorageClasses("s", { cloud: "aws", clusterAddons: [{ name: "vpc-cni" }] })),
    ).toEqual(["clusterAddons.aws-ebs-csi-driver"]);
    expect(
      rules(validateStorageClasses("s", { cloud: "aws", clusterAddons: [{ name: "aws-ebs-csi-driver" }] })),
    ).toEqual([]);
    const ack = validateStorageClasses("s", { cloud: "alicloud", clusterAddons: [{ name: "csi-plugin" }] });
    expect(new Set(rules(ack))).toEqual(new Set(["clusterAddons.csi-provisioner"]));
    expect(
      rules(
        validateStorageClasses("s", {
          cloud: "alicloud",
          clusterAddons: [{ name: "csi-plugin" }, { name: "csi-provisioner" }],
        }),
      ),
    ).toEqual([]);
    // Without the list, nothing is known and nothing is reported.
    expect(rules(validateStorageClasses("s", { cloud: "aws" }))).toEqual([]);
  });

  it("IngressController alb: needs the ALB Ingress Controller add-on", () => {
    const args = {
      kind: "alb",
      cloud: "alicloud",
      alb: {
        vSwitches: [
          { zone: "a", vSwitchId: "vsw-a" },
          { zone: "b", vSwitchId: "vsw-b" },
        ],
      },
    };
    const missing = validateIngressControllerArgs("i", {
      ...args,
      clusterAddons: [{ name: "terway-eniip" }],
    });
    expect(rules(missing)).toEqual(["clusterAddons.alb-ingress-controller"]);
    expect(missing.find((d) => d.rule === "addon/required")?.message).toContain(
      'AlbConfig "alb" and IngressClass "alb"',
    );
    expect(
      rules(
        validateIngressControllerArgs("i", { ...args, clusterAddons: [{ name: "alb-ingress-controller" }] }),
      ),
    ).toEqual([]);
  });

  it("Tenancy: default-deny NetworkPolicies need the CNI's policy support", () => {
    const base = {
      cluster: "k",
      cni: "terway",
      projects: [
        {
          name: "shop",
          clusters: [{ name: "k" }],
          namespaces: [{ name: "web", cluster: "k", defaultDenyNetworkPolicy: true }],
        },
      ],
    };
    const off = planTenancy("t", {
      ...base,
      clusterAddons: [{ name: "terway-eniip", config: {} }],
    }).diagnostics;
    expect(rules(off)).toEqual(["clusterAddons.terway-eniip.config"]);
    const on = planTenancy("t", {
      ...base,
      clusterAddons: [{ name: "terway-eniip", config: { NetworkPolicy: "true" } }],
    });
    expect(rules(on.diagnostics)).toEqual([]);
  });
});
