/** AckClusterAddons under the mock runtime: one KubernetesAddon per add-on, node autoscaling and its RAM role. */

import {
  ACK_AUTOSCALER_POLICY,
  ACK_AUTOSCALER_ROLE,
  AckClusterAddons,
  ackAutoscalerTrustPolicy,
} from "@kubeplat/components/internal/alicloud/AckClusterAddons";
import { ackAddons } from "@kubeplat/components/internal/alicloud/ackAddons";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import { PlatformValidationError } from "@kubeplat/plan";
import { beforeAll, describe, expect, it } from "vitest";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({ project: "platform", stack: "dev" });
});

const ADDON = "alicloud:cs/kubernetesAddon:KubernetesAddon";
const mine = (prefix: string, type?: string) =>
  rt.resources.filter((r) => r.name.startsWith(`${prefix}-`) && (type === undefined || r.type === type));

describe("AckClusterAddons", () => {
  it("manages each add-on as a KubernetesAddon with its version and JSON config", async () => {
    await rt.run(() => {
      new AckClusterAddons("a", {
        clusterId: "c-123",
        addons: [
          { name: "terway-eniip", config: { NetworkPolicy: "true" } },
          { name: "csi-plugin" },
          { name: "csi-provisioner", version: "v1.33.1-aliyun.1" },
          { name: "alb-ingress-controller" },
        ],
        autoscaler: {},
      });
      return {};
    });
    const addons = Object.fromEntries(mine("a", ADDON).map((r) => [r.inputs.name, r.inputs]));
    expect(Object.keys(addons).sort()).toEqual([
      "alb-ingress-controller",
      "csi-plugin",
      "csi-provisioner",
      "terway-eniip",
    ]);
    expect(addons["terway-eniip"]).toEqual({
      clusterId: "c-123",
      name: "terway-eniip",
      config: '{"NetworkPolicy":"true"}',
    });
    expect(addons["csi-provisioner"]?.version).toBe("v1.33.1-aliyun.1");
    expect(addons["csi-plugin"]?.config).toBeUndefined();
    for (const r of mine("a", ADDON)) expect(r.replaceOnChanges).toEqual([]);
  });

  it("configures node autoscaling after creating the autoscaler's service role", () => {
    const role = rt.one("alicloud:ram/role:Role", "a-autoscaler-role");
    expect(role.inputs.roleName).toBe(ACK_AUTOSCALER_ROLE);
    expect(JSON.parse(role.inputs.assumeRolePolicyDocument as string)).toEqual(ackAutoscalerTrustPolicy());
    expect(ackAutoscalerTrustPolicy()).toMatchSnapshot();
    const attachment = rt.one("alicloud:ram/rolePolicyAttachment:RolePolicyAttachment", "a-autoscaler-role");
    expect(attachment.inputs).toMatchObject({ policyName: ACK_AUTOSCALER_POLICY, policyType: "System" });
    const config = rt.one("alicloud:cs/autoscalingConfig:AutoscalingConfig", "a-autoscaling");
    expect(config.inputs).toMatchObject({
      clusterId: "c-123",
      scalerType: "cluster-autoscaler",
      expander: "least-waste",
      scaleDownEnabled: true,
    });
    expect(config.dependencies).toContain(attachment.urn);
  });

  it("references the account's existing autoscaler role instead of creating a second one", async () => {
    await rt.run(() => {
      new AckClusterAddons("b", { clusterId: "c-456", autoscaler: { serviceRole: "existing" } });
      return {};
    });
    expect(mine("b", "alicloud:ram/role:Role")).toEqual([]);
    expect(mine("b", "alicloud:cs/autoscalingConfig:AutoscalingConfig")).toHaveLength(1);
  });

  it("refuses two CNIs, a repeated add-on and an unknown one before registering anything", async () => {
    let error: PlatformValidationError | undefined;
    await rt.run(() => {
      try {
        new AckClusterAddons("bad", {
          clusterId: "c",
          addons: [{ name: "terway-eniip" }, { name: "flannel" }, { name: "flannel" }, { name: "istio" }],
          autoscaler: { serviceRole: "maybe", expander: "biggest" },
        });
      } catch (e) {
        if (!(e instanceof PlatformValidationError)) throw e;
        error = e;
      }
      return {};
    });
    expect(error?.diagnostics.map((d) => d.path)).toEqual([
      "addons[2].name",
      "addons[3].name",
      "addons",
      "autoscaler.serviceRole",
      "autoscaler.expander",
    ]);
    expect(mine("bad")).toEqual([]);
  });
});

describe("the cluster's create-time list when add-ons are managed separately", () => {
  it("carries the CNI (ACK requires one) and, disabled, what ACK must not install; nothing is managed twice", () => {
    const list = ackAddons("terway", {
      managedSeparately: true,
      terwayNetworkPolicy: true,
      notInstalled: ["logtail-ds"],
    });
    expect(list).toEqual([
      { name: "terway-eniip", config: '{"NetworkPolicy":"true"}' },
      { name: "logtail-ds", disabled: true },
      { name: "nginx-ingress-controller", disabled: true },
    ]);
    expect(list.filter((a) => !a.disabled).map((a) => a.name)).toEqual(["terway-eniip"]);
  });
});
