/**
 * The control-plane addresses the planner gives a self-managed cluster: for random AWS specs
 * turned self-managed, every control-plane IP and the VIP lie inside the cluster's own node
 * subnets, are usable on both clouds (never a block's first four or last four addresses), are
 * pairwise distinct, and the VIP is in the first control-plane zone's subnet — so the rules have
 * nothing to say about a planned VIP. Growing the spec (another pool, another cluster) moves none.
 */
import {
  checkEnvironment,
  cidr,
  contains,
  DEFAULT_KUBERNETES_VERSION,
  type EnvironmentInput,
  KUBE_OVN_DEFAULT_JOIN_CIDR,
  parseEnvironment,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { envSpecArb } from "../support/arbitraries";

const RUNS = Number(process.env.PLAN_RUNS ?? 100);

function selfManaged(spec: EnvironmentInput, count: number): EnvironmentInput {
  const clusters = structuredClone(spec.clusters ?? []).map((c, i) =>
    i === 0
      ? {
          ...c,
          kind: "selfmanaged" as const,
          cni: "kube-ovn" as const,
          kubernetesVersion: undefined,
          ipStack: "ipv4" as const,
          apiServer: { public: false },
          selfManaged: { imageId: "ami-0ostree", controlPlane: { count } },
          nodePools: (c.nodePools ?? []).map((p) => ({ ...p, image: "ostree" as const })),
        }
      : c,
  );
  return { ...spec, clusters };
}

const addr = (ip: string) => cidr(`${ip}/32`);

describe("planned control-plane addresses of a self-managed cluster", () => {
  it.each(["aws", "alicloud"] as const)(
    "on %s lie in the cluster's node subnets, usable, distinct, the VIP beside the first node",
    (cloud) => {
      let judged = 0;
      fc.assert(
        fc.property(envSpecArb({ cloud }), fc.constantFrom(1, 3, 5), (spec, count) => {
          const parsed = parseEnvironment(selfManaged(spec, count));
          if (!parsed.ok) return;
          const check = checkEnvironment(parsed.env);
          judged++;
          const cp = check.plan.clusters[0];
          const sm = cp?.selfManaged;
          if (!cp || !sm) throw new Error("no self-managed plan");
          const nodeSubnets = check.plan.vswitches.filter(
            (v) => cp.vswitchKeys.includes(v.key) && v.role === "node",
          );
          // Alibaba Cloud: the NLB's address in every other zone of the cluster, in that zone's
          // node vSwitch; AWS plans none (its NLB takes them itself).
          const nlb = sm.apiZoneAddresses ?? [];
          if (cloud === "aws") expect(sm.apiZoneAddresses).toBeUndefined();
          else {
            const zonesWithNodes = new Set(nodeSubnets.map((v) => v.zone));
            expect(nlb.map((a) => a.zone).sort()).toEqual(
              [...zonesWithNodes].filter((z) => z !== sm.apiVipZone).sort(),
            );
            for (const a of nlb) {
              const home = nodeSubnets.find((v) => v.key === a.vswitchKey);
              expect(home?.zone).toBe(a.zone);
              expect(contains(cidr(home?.cidr ?? ""), addr(a.ip))).toBe(true);
            }
          }
          const all = [sm.apiVip, ...nlb.map((a) => a.ip), ...sm.controlPlaneNodes.map((n) => n.ip)].filter(
            (ip) => ip !== "",
          );
          expect(new Set(all).size).toBe(all.length);
          for (const ip of all) {
            const home = nodeSubnets.find((v) => contains(cidr(v.cidr), addr(ip)));
            expect(home, `${ip} in a node subnet of the cluster`).toBeDefined();
            const block = cidr(home?.cidr ?? "");
            const at = addr(ip).start;
            expect(at - block.start >= 4n && block.end - at >= 4n, `${ip} usable in ${block.text}`).toBe(
              true,
            );
          }
          if (sm.apiVipSubnet !== undefined && sm.apiVip !== "")
            expect(contains(cidr(sm.apiVipSubnet), addr(sm.apiVip))).toBe(true);
          // Every node of the count got an address when every zone has a node subnet.
          if (nodeSubnets.length === cp.zones.length && cp.zones.length > 0)
            expect(sm.controlPlaneNodes).toHaveLength(count);
          // Nothing the rules judge: a planned VIP is never reported.
          expect(check.diagnostics.filter((d) => d.rule === "cidr/api-vip")).toEqual([]);
        }),
        { numRuns: RUNS },
      );
      // The generated specs parse: the property was not judged vacuously.
      expect(judged).toBeGreaterThan(RUNS / 2);
    },
  );

  it("do not move when a pool or a cluster is added", () => {
    fc.assert(
      fc.property(envSpecArb({ cloud: "aws" }), (spec) => {
        const base = parseEnvironment(selfManaged(spec, 3));
        if (!base.ok) return;
        const grownSpec = selfManaged(spec, 3);
        const first = grownSpec.clusters?.[0];
        if (!first) return;
        first.nodePools = [
          ...(first.nodePools ?? []),
          { name: "extra", minSize: 0, maxSize: 1, instanceTypes: ["m7i.large"], image: "ostree" },
        ];
        const grown = parseEnvironment(grownSpec);
        if (!grown.ok) return;
        const before = checkEnvironment(base.env).plan.clusters[0]?.selfManaged;
        const after = checkEnvironment(grown.env).plan.clusters[0]?.selfManaged;
        expect(after).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("self-managed defaults", () => {
  it("kube-ovn with Kube-OVN's join CIDR, kubeadm's version, ostree pools, three control-plane nodes", () => {
    const parsed = parseEnvironment({
      name: "d",
      cloud: "aws",
      region: "eu-central-1",
      // One zone: no EKS here, so no two-zone minimum; the API is private, so pulumi up runs in the VPC.
      access: { deployFrom: "vpc" },
      zones: ["eu-central-1a"],
      vpc: { cidr: "10.0.0.0/16" },
      clusters: [
        {
          name: "c",
          kind: "selfmanaged",
          selfManaged: { imageId: "ami-1" },
          nodePools: [{ name: "p", minSize: 1, maxSize: 1, instanceTypes: ["m7i.large"] }],
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const c = parsed.env.clusters[0];
    expect(c?.cni).toBe("kube-ovn");
    expect(c?.kubernetesVersion).toBe(DEFAULT_KUBERNETES_VERSION.kubeadm);
    expect(c?.nodePools[0]?.image).toBe("ostree");
    expect(c?.selfManaged).toMatchObject({
      joinCidr: KUBE_OVN_DEFAULT_JOIN_CIDR,
      controlPlane: { count: 3, instanceType: "m7i.xlarge", diskCategory: "gp3" },
      etcdEncryption: { enabled: true, provider: "secretbox" },
    });
    expect(
      checkEnvironment(parsed.env)
        .diagnostics.filter((d) => d.severity === "mandatory")
        .map((d) => `${d.rule} ${d.path}: ${d.message}`),
    ).toEqual([]);
  });

  it("refuses a self-managed cluster without its settings, in one zone of Alibaba Cloud (the API NLB spans two), or with a managed CNI", () => {
    const parsed = parseEnvironment({
      name: "d",
      cloud: "alicloud",
      region: "cn-hangzhou",
      zones: ["cn-hangzhou-a"],
      vpc: { cidr: "10.0.0.0/16" },
      clusters: [{ name: "c", kind: "selfmanaged", cni: "terway" }],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const paths = checkEnvironment(parsed.env)
      .diagnostics.filter((d) => d.rule === "spec/schema")
      .map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["clusters[0].cni", "zones", "clusters[0].selfManaged"]));
  });
});
