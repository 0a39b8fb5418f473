import {
  annotation,
  checkServiceLoadBalancerSettings,
  NLB_LOAD_BALANCER_CLASS,
  type ServiceLoadBalancerSettings,
  serviceLoadBalancing,
} from "@kubeplat/components/internal/alicloud/serviceAnnotations";
import { PlatformValidationError } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

describe("CCM Service annotations", () => {
  it("reuses a platform-created CLB: id, force-override, address type, wrr under Local", () => {
    expect(
      serviceLoadBalancing({ loadBalancerId: "lb-abc", addressType: "intranet", vswitchId: "vsw-1" }),
    ).toMatchSnapshot();
  });

  it("an https ingress tier with ACL, health check, redirect and drain settings", () => {
    expect(
      serviceLoadBalancing({
        loadBalancerId: "lb-ingress",
        addressType: "internet",
        listeners: [
          { protocol: "https", port: 443 },
          { protocol: "http", port: 80 },
        ],
        certId: "cert-1",
        forwardPort: { from: 80, to: 443 },
        acl: { id: "acl-1", type: "white" },
        healthCheck: { type: "http", uri: "/healthz" },
        stickySessionCookieTimeout: 1800,
        xForwardedForProto: true,
        idleTimeout: 30,
        http2Enabled: false,
        backendLabels: {
          "node.kubernetes.io/pool": "ingress",
          "topology.kubernetes.io/zone": "cn-hangzhou-i",
        },
        removeUnscheduledBackend: true,
        deleteProtection: true,
        modificationProtection: true,
      }),
    ).toMatchSnapshot();
  });

  it("a balancer CCM creates: spec, zones, bandwidth billing, tags, name, resource group, TCP check", () => {
    const r = serviceLoadBalancing({
      addressType: "internet",
      spec: "slb.s2.small",
      masterZoneId: "cn-hangzhou-i",
      slaveZoneId: "cn-hangzhou-j",
      chargeType: "paybybandwidth",
      bandwidth: 20,
      additionalTags: { team: "platform", env: "prod" },
      name: "ingress",
      resourceGroupId: "rg-1",
      listeners: [{ protocol: "tcp", port: 443 }],
      healthCheck: { type: "tcp" },
      persistenceTimeout: 1800,
      connectionDrainTimeout: 30,
      externalTrafficPolicy: "Cluster",
      scheduler: "wlc",
    });
    expect(r).toMatchSnapshot();
    // Tags are sorted so the annotation is stable (ACK docs: Configure a Classic Load Balancer by using annotations "k1=v1,k2=v2").
    expect(r.annotations[annotation("additional-resource-tags")]).toBe("env=prod,team=platform");
    expect(r.annotations[annotation("force-override-listeners")]).toBeUndefined();
  });

  it("NLB: the load balancer class and the reuse annotations only", () => {
    expect(serviceLoadBalancing({ kind: "nlb", loadBalancerId: "nlb-1", addressType: "internet" })).toEqual({
      annotations: {
        [annotation("address-type")]: "internet",
        [annotation("force-override-listeners")]: "true",
        [annotation("id")]: "nlb-1",
      },
      externalTrafficPolicy: "Local",
      loadBalancerClass: NLB_LOAD_BALANCER_CLASS,
    });
  });

  const violations: [string, ServiceLoadBalancerSettings, string, RegExp][] = [
    [
      "vSwitch on internet",
      { vswitchId: "vsw-1", addressType: "internet" },
      "loadBalancer.vswitchId",
      /vswitchId vsw-1 needs addressType "intranet", not "internet"/,
    ],
    [
      "bandwidth billing on intranet",
      { chargeType: "paybybandwidth", bandwidth: 5, addressType: "intranet" },
      "loadBalancer.chargeType",
      /paybybandwidth.*addressType is "intranet"/,
    ],
    [
      "bandwidth without billing",
      { bandwidth: 5 },
      "loadBalancer.bandwidth",
      /bandwidth 5 needs chargeType "paybybandwidth"/,
    ],
    [
      "tags on a reused balancer",
      { loadBalancerId: "lb-1", additionalTags: { a: "b" } },
      "loadBalancer.additionalTags",
      /reused balancer lb-1 \(ACK docs: Configure a Classic Load Balancer by using annotations\)/,
    ],
    [
      "https without certificate",
      { listeners: [{ protocol: "https", port: 443 }] },
      "loadBalancer.certId",
      /https listener needs certId/,
    ],
    [
      "two listeners on one port",
      {
        listeners: [
          { protocol: "tcp", port: 80 },
          { protocol: "http", port: 80 },
        ],
      },
      "loadBalancer.listeners",
      /port 80 has two listeners \(tcp, http\)/,
    ],
    [
      "redirect without http listener",
      { listeners: [{ protocol: "https", port: 443 }], certId: "c", forwardPort: { from: 80, to: 443 } },
      "loadBalancer.forwardPort",
      /forwardPort 80:443 needs an http listener on 80/,
    ],
    [
      "persistence on http",
      { listeners: [{ protocol: "http", port: 80 }], persistenceTimeout: 60 },
      "loadBalancer.persistenceTimeout",
      /persistenceTimeout applies to tcp listeners, and the listeners are \[http:80\]/,
    ],
    [
      "drain on http",
      { listeners: [{ protocol: "http", port: 80 }], connectionDrainTimeout: 30 },
      "loadBalancer.connectionDrainTimeout",
      /applies to tcp\/udp listeners, and the listeners are \[http:80\]/,
    ],
    [
      "http2 on http",
      { listeners: [{ protocol: "http", port: 80 }], http2Enabled: false },
      "loadBalancer.http2Enabled",
      /http2Enabled applies to https listeners, and the listeners are \[http:80\]/,
    ],
    [
      "http check without uri",
      { healthCheck: { type: "http" } },
      "loadBalancer.healthCheck.uri",
      /http health check needs uri/,
    ],
    [
      "Local with rr",
      { scheduler: "rr" },
      "loadBalancer.scheduler",
      /externalTrafficPolicy "Local" needs scheduler "wrr", not "rr" \(ACK docs: Configure a Classic Load Balancer by using annotations\)/,
    ],
    [
      "CLB setting on NLB",
      { kind: "nlb", spec: "slb.s1.small" },
      "loadBalancer.spec",
      /spec is a CLB annotation; kind is "nlb"/,
    ],
  ];
  for (const [what, settings, path, message] of violations) {
    it(`rejects ${what} with spec/schema, the path and the values`, () => {
      const ds = checkServiceLoadBalancerSettings(settings);
      expect(ds).toContainEqual(
        expect.objectContaining({ rule: "spec/schema", severity: "mandatory", path }),
      );
      expect(ds.map((d) => d.message).join("\n")).toMatch(message);
      expect(() => serviceLoadBalancing(settings)).toThrow(PlatformValidationError);
    });
  }

  it("lists every contradiction in one error before generating anything", () => {
    let error: unknown;
    try {
      serviceLoadBalancing({ vswitchId: "vsw-1", scheduler: "rr", healthCheck: { type: "http" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    expect((error as PlatformValidationError).diagnostics.map((d) => d.path)).toEqual([
      "loadBalancer.vswitchId",
      "loadBalancer.healthCheck.uri",
      "loadBalancer.scheduler",
    ]);
  });
});
