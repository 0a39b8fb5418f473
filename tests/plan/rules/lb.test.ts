import {
  CCM_ANNOTATIONS,
  checkLoadBalancerService,
  checkReuse,
  checkTrafficPolicy,
  lbRules,
  readServiceAnnotations,
  type ServiceLoadBalancerFacts,
} from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

const svc = (f: Partial<ServiceLoadBalancerFacts> = {}): ServiceLoadBalancerFacts => ({
  resource: "prod-ingress-svc",
  path: "",
  name: "ingress-nginx/controller",
  serviceType: "LoadBalancer",
  ...f,
});

describe("readServiceAnnotations", () => {
  it("applies CCM defaults to absent annotations", () => {
    expect(readServiceAnnotations({})).toEqual({
      addressType: "internet",
      loadBalancerId: undefined,
      deletionProtection: true,
    });
  });

  it("reads current and legacy prefixes; the current one wins", () => {
    expect(
      readServiceAnnotations({
        [CCM_ANNOTATIONS.addressType]: "intranet",
        "service.beta.kubernetes.io/alicloud-loadbalancer-address-type": "internet",
        "service.beta.kubernetes.io/alicloud-loadbalancer-id": "lb-legacy",
        [CCM_ANNOTATIONS.deleteProtection]: "off",
      }),
    ).toEqual({ addressType: "intranet", loadBalancerId: "lb-legacy", deletionProtection: false });
  });

  it("keeps unknown annotation values unknown", () => {
    expect(
      readServiceAnnotations({
        [CCM_ANNOTATIONS.addressType]: undefined,
        [CCM_ANNOTATIONS.deleteProtection]: undefined,
      }),
    ).toEqual({ addressType: undefined, loadBalancerId: undefined, deletionProtection: undefined });
  });
});

describe("lb/traffic-policy", () => {
  it("a LoadBalancer Service with policy Cluster is advisory, naming the Service and policy", () => {
    const [d] = checkTrafficPolicy(svc({ externalTrafficPolicy: "Cluster", production: true }));
    expect(d).toMatchObject({
      rule: "lb/traffic-policy",
      severity: "advisory",
      resource: "prod-ingress-svc",
      path: "externalTrafficPolicy",
    });
    expect(d?.message).toContain('Service "ingress-nginx/controller" of type LoadBalancer');
    expect(d?.message).toContain("externalTrafficPolicy Cluster");
  });

  it("compliant: Local, or not a LoadBalancer Service", () => {
    expect(checkTrafficPolicy(svc({ externalTrafficPolicy: "Local" }))).toEqual([]);
    expect(checkTrafficPolicy(svc({ serviceType: "ClusterIP", externalTrafficPolicy: "Cluster" }))).toEqual(
      [],
    );
  });

  it("unknown type or policy yields nothing", () => {
    expect(checkTrafficPolicy(svc({ externalTrafficPolicy: undefined }))).toEqual([]);
    expect(checkTrafficPolicy(svc({ serviceType: undefined, externalTrafficPolicy: "Cluster" }))).toEqual([]);
  });
});

describe("lb/reuse", () => {
  it("address type mismatch is mandatory and names both types and the id", () => {
    const [d, ...rest] = checkReuse(
      svc({
        addressType: "intranet",
        reusedLoadBalancerId: "lb-abc",
        reusedLoadBalancer: { addressType: "Internet" },
      }),
    );
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: "lb/reuse", severity: "mandatory", path: "addressType" });
    expect(d?.message).toContain("reused load balancer lb-abc has address type internet");
    expect(d?.message).toContain("asks for intranet");
  });

  it("an intranet load balancer in another VPC names both VPCs", () => {
    const [d] = checkReuse(
      svc({
        addressType: "intranet",
        clusterVpcId: "vpc-cluster",
        reusedLoadBalancer: { id: "lb-1", addressType: "intranet", vpcId: "vpc-other" },
      }),
    );
    expect(d).toMatchObject({ rule: "lb/reuse", severity: "mandatory", path: "reusedLoadBalancer" });
    expect(d?.message).toContain("in VPC vpc-other but the cluster is in VPC vpc-cluster");
  });

  it("a CCM-created load balancer cannot be reused", () => {
    const [d] = checkReuse(svc({ reusedLoadBalancer: { id: "lb-ccm", createdByCcm: true } }));
    expect(d?.message).toContain("lb-ccm was created by the CCM");
  });

  it("compliant: matching type in the cluster's VPC; internet SLBs need no VPC match; no reuse", () => {
    expect(
      checkReuse(
        svc({
          addressType: "intranet",
          clusterVpcId: "vpc-1",
          reusedLoadBalancer: { id: "lb-1", addressType: "Intranet", vpcId: "vpc-1", createdByCcm: false },
        }),
      ),
    ).toEqual([]);
    expect(
      checkReuse(
        svc({
          addressType: "internet",
          clusterVpcId: "vpc-1",
          reusedLoadBalancer: { addressType: "internet", vpcId: "vpc-9" },
        }),
      ),
    ).toEqual([]);
    expect(checkReuse(svc({ addressType: "intranet" }))).toEqual([]);
  });

  it("unknown values yield nothing and never hide a known violation", () => {
    expect(checkReuse(svc({ reusedLoadBalancer: {} }))).toEqual([]);
    expect(
      checkReuse(
        svc({ addressType: undefined, reusedLoadBalancer: { addressType: "intranet", vpcId: "vpc-2" } }),
      ),
    ).toEqual([]);
    // the Service's address type is unknown, but the VPC mismatch is known
    expect(
      checkReuse(
        svc({
          addressType: undefined,
          clusterVpcId: "vpc-1",
          reusedLoadBalancer: { addressType: "intranet", vpcId: "vpc-2" },
        }),
      ),
    ).toHaveLength(1);
    // unknown Service type: still checked (CCM reuses only for LoadBalancer, which is the likely case)
    expect(
      checkReuse(
        svc({
          serviceType: undefined,
          addressType: "internet",
          reusedLoadBalancer: { addressType: "intranet" },
        }),
      ),
    ).toHaveLength(1);
  });
});

describe("lbRules", () => {
  it("has one entry per lb/* id and checkLoadBalancerService runs them all", () => {
    expect(Object.keys(lbRules).sort()).toEqual(["lb/reuse", "lb/traffic-policy"]);
    const ds = checkLoadBalancerService(
      svc({
        externalTrafficPolicy: "Cluster",
        addressType: "internet",
        reusedLoadBalancer: { addressType: "intranet" },
      }),
    );
    expect(ds.map((d) => d.rule).sort()).toEqual(["lb/reuse", "lb/traffic-policy"]);
    expect(checkLoadBalancerService({ resource: "x", path: "" })).toEqual([]);
  });
});
