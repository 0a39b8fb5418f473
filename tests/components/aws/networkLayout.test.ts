import {
  checkLayout,
  type LayoutInput,
  layoutNetwork,
  NAT_MODES,
  type NatMode,
  type SubnetInput,
} from "@kubeplat/components/internal/aws/networkLayout";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
const CLUSTERS = ["prod", "batch"];
const ROLES = ["node", "public", "pod"];

/** Subnets with unique keys and non-overlapping /24s of 10.0.0.0/16, in plan order. */
const subnetsArb = fc
  .uniqueArray(
    fc.record({
      cluster: fc.constantFrom(...CLUSTERS),
      zone: fc.constantFrom(...ZONES),
      role: fc.constantFrom(...ROLES),
      adopted: fc.boolean(),
    }),
    { selector: (s) => `${s.cluster}/${s.zone}/${s.role}`, maxLength: 16 },
  )
  .map((xs) =>
    xs.map(
      (s, i): SubnetInput => ({
        key: `${s.cluster}/${s.zone}/${s.role}`,
        cluster: s.cluster,
        zone: s.zone,
        role: s.role,
        cidr: `10.0.${i}.0/24`,
        existingId: s.adopted ? `subnet-${i}` : undefined,
      }),
    ),
  );

const input = (
  subnets: SubnetInput[],
  natGateways: NatMode,
  over: Partial<LayoutInput> = {},
): LayoutInput => ({
  name: "net",
  vpc: { cidr: "10.0.0.0/16" },
  subnets,
  natGateways,
  ...over,
});

describe("network layout properties", () => {
  it("names are unique, every created subnet is routed once, adopted subnets never", () => {
    fc.assert(
      fc.property(subnetsArb, fc.constantFrom(...NAT_MODES), (subnets, nat) => {
        const l = layoutNetwork(input(subnets, nat));
        const names = [
          ...l.subnets.map((s) => s.resourceName),
          ...l.nats.map((n) => n.resourceName),
          ...l.routeTables.map((r) => r.resourceName),
        ];
        expect(new Set(names).size).toBe(names.length);
        const routed = l.routeTables.flatMap((r) => r.subnetKeys);
        expect(new Set(routed).size).toBe(routed.length);
        for (const s of l.subnets) {
          const tables = l.routeTables.filter((r) => r.subnetKeys.includes(s.key));
          if (s.existingId !== undefined) expect(tables).toEqual([]);
          else {
            expect(tables).toHaveLength(1);
            expect(tables[0]?.kind).toBe(s.isPublic ? "public" : "private");
            if (!s.isPublic) expect(tables[0]?.zone).toBe(s.zone);
          }
        }
        for (const n of l.nats) {
          const host = l.subnets.find((s) => s.key === n.subnetKey);
          expect(host?.isPublic).toBe(true);
          expect(host?.zone).toBe(n.zone);
        }
      }),
    );
  });

  it("perZone: a zone with a public subnet egresses through its own NAT; single: one NAT; none: no NAT", () => {
    fc.assert(
      fc.property(subnetsArb, fc.constantFrom(...NAT_MODES), (subnets, nat) => {
        const l = layoutNetwork(input(subnets, nat));
        const privateTables = l.routeTables.filter((r) => r.kind === "private");
        const hasPublic = (zone: string) => subnets.some((s) => s.role === "public" && s.zone === zone);
        if (nat === "none") expect(l.nats).toEqual([]);
        if (nat === "single") expect(l.nats.length).toBeLessThanOrEqual(1);
        for (const rt of privateTables) {
          if (nat === "none" || !subnets.some((s) => s.role === "public")) {
            expect(rt.natResourceName).toBeUndefined();
            continue;
          }
          expect(rt.natResourceName).toBeDefined();
          const target = l.nats.find((n) => n.resourceName === rt.natResourceName);
          if (nat === "perZone" && hasPublic(rt.zone as string)) expect(target?.zone).toBe(rt.zone);
        }
      }),
    );
  });

  it("growth: appending subnets never renames a subnet, route table or NAT, nor moves a NAT", () => {
    fc.assert(
      fc.property(subnetsArb, fc.nat(), fc.constantFrom(...NAT_MODES), (subnets, cut, nat) => {
        const before = layoutNetwork(input(subnets.slice(0, cut % (subnets.length + 1)), nat));
        const after = layoutNetwork(input(subnets, nat));
        for (const s of before.subnets) {
          expect(after.subnets.find((x) => x.key === s.key)?.resourceName).toBe(s.resourceName);
        }
        for (const n of before.nats) expect(after.nats).toContainEqual(n);
        for (const r of before.routeTables) {
          const same = after.routeTables.find((x) => x.resourceName === r.resourceName);
          expect(same?.kind).toBe(r.kind);
          for (const k of r.subnetKeys) expect(same?.subnetKeys).toContain(k);
        }
      }),
    );
  });

  it("switching single → perZone keeps the single NAT where it is", () => {
    fc.assert(
      fc.property(subnetsArb, (subnets) => {
        const single = layoutNetwork(input(subnets, "single"));
        const perZone = layoutNetwork(input(subnets, "perZone"));
        for (const n of single.nats) expect(perZone.nats).toContainEqual(n);
      }),
    );
  });
});

describe("network layout cases", () => {
  const plan: SubnetInput[] = [
    { key: "prod/us-east-1a/node", cluster: "prod", zone: "us-east-1a", role: "node", cidr: "10.0.0.0/20" },
    { key: "prod/us-east-1b/node", cluster: "prod", zone: "us-east-1b", role: "node", cidr: "10.0.16.0/20" },
    {
      key: "prod/us-east-1a/public",
      cluster: "prod",
      zone: "us-east-1a",
      role: "public",
      cidr: "10.0.32.0/24",
    },
  ];

  it("single NAT in the first public subnet; perZone falls back across zones with a note", () => {
    const single = layoutNetwork(input(plan, "single"));
    expect(single.nats).toEqual([
      { resourceName: "net-nat-us-east-1a", zone: "us-east-1a", subnetKey: "prod/us-east-1a/public" },
    ]);
    expect(single.routeTables.map((r) => [r.resourceName, r.natResourceName])).toEqual([
      ["net-public", undefined],
      ["net-private-us-east-1a", "net-nat-us-east-1a"],
      ["net-private-us-east-1b", "net-nat-us-east-1a"],
    ]);
    expect(single.notes).toEqual([]);
    const perZone = layoutNetwork(input(plan, "perZone"));
    expect(perZone.nats.map((n) => n.resourceName)).toEqual(["net-nat-us-east-1a"]);
    expect(perZone.notes).toEqual([
      "zone us-east-1b has private subnets but no public subnet: its egress crosses zones through net-nat-us-east-1a (us-east-1a)",
    ]);
  });

  it("subnets in a secondary CIDR depend on its association", () => {
    const l = layoutNetwork(
      input(
        [
          ...plan,
          {
            key: "prod/us-east-1a/pod",
            cluster: "prod",
            zone: "us-east-1a",
            role: "pod",
            cidr: "100.64.0.0/19",
          },
        ],
        "single",
        { vpc: { cidr: "10.0.0.0/16", secondaryCidrs: ["100.64.0.0/16"] } },
      ),
    );
    expect(l.secondaryCidrs).toEqual([{ cidr: "100.64.0.0/16", resourceName: "net-cidr-100-64-0-0-16" }]);
    expect(l.subnets.map((s) => s.secondaryCidrAssociation)).toEqual([
      undefined,
      undefined,
      undefined,
      "net-cidr-100-64-0-0-16",
    ]);
  });

  it("compliant plan: no diagnostic", () => {
    expect(checkLayout(input(plan, "perZone"))).toEqual([]);
  });

  it("cidr/vswitch-outside-vpc and cidr/vswitch-overlap name the subnets and ranges", () => {
    const d = checkLayout(
      input(
        [
          ...plan,
          {
            key: "prod/us-east-1c/node",
            cluster: "prod",
            zone: "us-east-1c",
            role: "node",
            cidr: "10.1.0.0/20",
          },
          {
            key: "batch/us-east-1a/node",
            cluster: "batch",
            zone: "us-east-1a",
            role: "node",
            cidr: "10.0.8.0/21",
          },
        ],
        "perZone",
      ),
    );
    const outside = d.find((x) => x.rule === "cidr/vswitch-outside-vpc");
    expect(outside?.path).toBe("subnets[3].cidr");
    expect(outside?.message).toContain("10.1.0.0/20");
    expect(outside?.message).toContain("10.0.0.0/16");
    const overlap = d.find((x) => x.rule === "cidr/vswitch-overlap");
    expect(overlap?.message).toContain("10.0.8.0/21");
    expect(overlap?.message).toContain("10.0.0.0/20");
  });

  it("cidr/invalid and cidr/vpc-reserved-range", () => {
    const d = checkLayout({
      ...input([{ ...(plan[0] as SubnetInput), cidr: "10.0.0.1/20" }], "none"),
      vpc: { cidr: "100.64.0.0/16" },
    });
    expect(d.map((x) => x.rule).sort()).toEqual(["cidr/invalid", "cidr/vpc-reserved-range"]);
    expect(d.find((x) => x.rule === "cidr/invalid")?.message).toContain("10.0.0.0/20");
    expect(d.find((x) => x.rule === "cidr/vpc-reserved-range")?.message).toContain("100.64.0.0/10");
  });

  it("spec/schema: duplicate key, unknown role, unknown NAT mode, adopted VPC without internet gateway", () => {
    const d = checkLayout({
      ...input(
        [
          ...plan,
          { ...(plan[0] as SubnetInput), cidr: "10.0.64.0/20" },
          { key: "x", cluster: "prod", zone: "us-east-1a", role: "edge", cidr: "10.0.80.0/24" },
        ],
        "everywhere" as NatMode,
      ),
      vpc: { id: "vpc-123", cidr: "10.0.0.0/16" },
    });
    expect(d.map((x) => [x.rule, x.path])).toEqual([
      ["spec/schema", "natGateways"],
      ["spec/schema", "subnets[3].key"],
      ["spec/schema", "subnets[4].role"],
      ["spec/schema", "internetGatewayId"],
    ]);
    expect(d[0]?.message).toContain('"everywhere"');
    expect(d[1]?.message).toContain("prod/us-east-1a/node");
    expect(d[2]?.message).toContain('"edge"');
    expect(d[3]?.message).toContain("vpc-123");
    expect(d[3]?.message).toContain("prod/us-east-1a/public");
  });

  it("spec/schema: a dual-stack subnet is rejected, not silently built IPv4-only", () => {
    const d = checkLayout(input([{ ...(plan[0] as SubnetInput), ipv6Index: 3 }], "none"));
    expect(d.map((x) => [x.rule, x.path])).toEqual([["spec/schema", "subnets[0].ipv6Index"]]);
    expect(d[0]?.message).toContain("IPv6 index 3");
  });

  it("spec/schema: NAT wanted but no public subnet", () => {
    const d = checkLayout(input([plan[0] as SubnetInput], "single"));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: "spec/schema", path: "natGateways" });
  });
});
