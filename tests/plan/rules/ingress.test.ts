import {
  type AlbConfigFact,
  checkAlbVSwitches,
  checkClassUnique,
  checkIngress,
  checkReplicas,
  type IngressClassFact,
  type IngressControllerFact,
  type IngressFacts,
  ingressRules,
} from "@kubeplat/plan";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

const spread = { topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone" }], affinity: {} };
const placed = { ...spread, tolerations: [], nodeSelector: {} };

describe("ingress/class-unique", () => {
  it("reports a class used twice in one cluster, naming the class and the first owner", () => {
    const d = checkClassUnique({
      ingressClasses: [
        {
          resource: "public",
          path: "className",
          cluster: "prod",
          name: "web",
          controller: "k8s.io/ingress-nginx-web",
        },
        { resource: "internal", path: "className", cluster: "prod", name: "web" },
      ],
    });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: "ingress/class-unique", severity: "mandatory", resource: "internal" });
    expect(d[0]?.message).toContain('IngressClass "web" is already used by public');
    expect(d[0]?.message).toContain('cluster "prod"');
  });

  it("accepts the same class name in two clusters and distinct names in one", () => {
    expect(
      checkClassUnique({
        ingressClasses: [
          { resource: "a", path: "p", cluster: "prod", name: "web" },
          { resource: "b", path: "p", cluster: "staging", name: "web" },
          { resource: "c", path: "p", cluster: "prod", name: "alb" },
        ],
      }),
    ).toEqual([]);
  });

  it("refuses the class nginx for an extra nginx controller (ACK docs: Deploy multiple Ingress controllers)", () => {
    const d = checkClassUnique({
      ingressClasses: [{ resource: "extra", path: "className", name: "nginx", extraNginx: true }],
    });
    expect(d.map((x) => x.rule)).toEqual(["ingress/class-unique"]);
    expect(d[0]?.message).toContain('an extra nginx ingress controller uses the class "nginx"');
  });

  it("lets the cluster's default controller own nginx, and an unknown extra flag or name passes", () => {
    expect(
      checkClassUnique({
        ingressClasses: [
          { resource: "default", path: "p", name: "nginx", extraNginx: false },
          { resource: "x", path: "p", extraNginx: true },
          { resource: "y", path: "p", name: "other" },
        ],
      }),
    ).toEqual([]);
  });
});

describe("ingress/alb-vswitches", () => {
  const alb = (zoneMappings: AlbConfigFact["zoneMappings"]): IngressFacts => ({
    albConfigs: [{ resource: "alb", path: "spec.config.zoneMappings", name: "public", zoneMappings }],
  });

  it("reports a single vSwitch, naming it", () => {
    const d = checkAlbVSwitches(alb([{ vSwitchId: "vsw-a", zone: "cn-hangzhou-j" }]));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ rule: "ingress/alb-vswitches", path: "spec.config.zoneMappings" });
    expect(d[0]?.message).toContain("vsw-a@cn-hangzhou-j");
    expect(d[0]?.message).toContain('AlbConfig "public" maps 1 distinct vSwitch');
  });

  it("reports two vSwitches of one zone, naming the zone", () => {
    const d = checkAlbVSwitches(
      alb([
        { vSwitchId: "vsw-a", zone: "cn-hangzhou-j" },
        { vSwitchId: "vsw-b", zone: "cn-hangzhou-j" },
      ]),
    );
    expect(d.map((x) => x.rule)).toEqual(["ingress/alb-vswitches"]);
    expect(d[0]?.message).toContain("all in zone cn-hangzhou-j");
  });

  it("reports the same vSwitch listed twice", () => {
    const d = checkAlbVSwitches(
      alb([
        { vSwitchId: "vsw-a", zone: "cn-hangzhou-j" },
        { vSwitchId: "vsw-a", zone: "cn-hangzhou-k" },
      ]),
    );
    expect(d).toHaveLength(1);
    expect(d[0]?.message).toContain("maps 1 distinct vSwitch(es)");
  });

  it("accepts two zones, and stays silent while a zone or id is unknown", () => {
    expect(
      checkAlbVSwitches(
        alb([
          { vSwitchId: "vsw-a", zone: "cn-hangzhou-j" },
          { vSwitchId: "vsw-b", zone: "cn-hangzhou-k" },
        ]),
      ),
    ).toEqual([]);
    expect(checkAlbVSwitches(alb([{ vSwitchId: "vsw-a", zone: "z1" }, { vSwitchId: "vsw-b" }]))).toEqual([]);
    expect(checkAlbVSwitches(alb([{ zone: "z1" }, { zone: "z2" }]))).toEqual([]);
    expect(checkAlbVSwitches(alb(undefined))).toEqual([]);
  });
});

describe("ingress/replicas", () => {
  const controller = (c: Partial<IngressControllerFact>): IngressFacts => ({
    controllers: [{ resource: "ingress", path: "replicas", ...placed, ...c }],
  });

  it("requires 2 replicas: mandatory in production, advisory elsewhere", () => {
    const prod = checkReplicas(controller({ production: true, replicas: 1 }));
    expect(prod).toHaveLength(1);
    expect(prod[0]).toMatchObject({ rule: "ingress/replicas", severity: "mandatory", path: "replicas" });
    expect(prod[0]?.message).toContain("runs 1 replica(s) in a production environment; it needs at least 2");
    const dev = checkReplicas(controller({ production: false, replicas: 1 }));
    expect(dev[0]).toMatchObject({ rule: "ingress/replicas", severity: "advisory" });
    expect(checkReplicas(controller({ production: true, replicas: 2 }))).toEqual([]);
  });

  it("requires a zone spread unless the cluster has one zone", () => {
    const unspread = { topologySpreadConstraints: [{ topologyKey: "kubernetes.io/hostname" }], affinity: {} };
    const d = checkReplicas(controller({ production: true, replicas: 3, ...unspread }));
    expect(d).toHaveLength(1);
    expect(d[0]?.message).toContain("not spread over zones");
    expect(
      checkReplicas(controller({ production: true, replicas: 3, ...unspread, singleZone: true })),
    ).toEqual([]);
    const anti = {
      topologySpreadConstraints: [],
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { podAffinityTerm: { topologyKey: "topology.kubernetes.io/zone" } },
          ],
        },
      },
    };
    expect(checkReplicas(controller({ production: true, replicas: 3, ...anti }))).toEqual([]);
  });

  it("refuses control-plane placement: a toleration, a blanket toleration, a node selector", () => {
    const cases: Partial<IngressControllerFact>[] = [
      {
        tolerations: [
          { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
        ],
      },
      { tolerations: [{ operator: "Exists" }] },
      { nodeSelector: { "node-role.kubernetes.io/master": "" } },
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" }] },
              ],
            },
          },
        },
      },
    ];
    for (const c of cases) {
      const d = checkReplicas(controller({ production: true, replicas: 2, ...c }));
      expect(d.map((x) => x.rule)).toContain("ingress/replicas");
      expect(d.some((x) => x.message.includes("may run on control-plane nodes"))).toBe(true);
    }
    const avoid = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: "node-role.kubernetes.io/control-plane", operator: "DoesNotExist" },
                ],
              },
            ],
          },
        },
      },
    };
    expect(checkReplicas(controller({ production: true, replicas: 2, ...avoid }))).toEqual([]);
  });

  it("says nothing while the replicas or the placement are unknown", () => {
    expect(checkReplicas({ controllers: [{ resource: "x", path: "p", production: true }] })).toEqual([]);
  });
});

describe("the ingress rule catalogue", () => {
  it("maps each id to its function", () => {
    expect(Object.keys(ingressRules).sort()).toEqual([
      "ingress/alb-vswitches",
      "ingress/class-unique",
      "ingress/replicas",
    ]);
  });

  // Masking a fact (making it unknown, as in a preview) never adds a diagnostic.
  const zone = fc.constantFrom("z1", "z2", "z3");
  const vsw = fc.constantFrom("vsw-a", "vsw-b", "vsw-c");
  const mapping = fc.record({ vSwitchId: vsw, zone });
  const cls = fc.record({
    name: fc.constantFrom("nginx", "web", "alb"),
    cluster: fc.constantFrom("a", "b"),
    extraNginx: fc.boolean(),
  });
  const ctl = fc.record({
    replicas: fc.integer({ min: 0, max: 4 }),
    production: fc.boolean(),
    zoneKey: fc.constantFrom("topology.kubernetes.io/zone", "kubernetes.io/hostname"),
    tolerateControlPlane: fc.boolean(),
  });
  const mask = fc.array(fc.boolean(), { minLength: 24, maxLength: 24 });

  it("never reports more once facts become unknown", () => {
    fc.assert(
      fc.property(
        fc.array(mapping, { maxLength: 4 }),
        fc.array(cls, { maxLength: 4 }),
        ctl,
        mask,
        (maps, classes, c, m) => {
          let k = 0;
          const keep = () => m[k++ % m.length] !== true;
          const full: IngressFacts = {
            albConfigs: [{ resource: "alb", path: "p", zoneMappings: maps }],
            ingressClasses: classes.map((x, i) => ({ resource: `c${i}`, path: "p", ...x })),
            controllers: [
              {
                resource: "ctl",
                path: "p",
                production: c.production,
                replicas: c.replicas,
                topologySpreadConstraints: [{ topologyKey: c.zoneKey }],
                affinity: {},
                tolerations: c.tolerateControlPlane ? [{ key: "node-role.kubernetes.io/master" }] : [],
              },
            ],
          };
          const masked: IngressFacts = {
            albConfigs: [
              {
                resource: "alb",
                path: "p",
                zoneMappings: maps.map((x) => ({
                  vSwitchId: keep() ? x.vSwitchId : undefined,
                  zone: keep() ? x.zone : undefined,
                })),
              },
            ],
            ingressClasses: (full.ingressClasses as IngressClassFact[]).map((x) => ({
              ...x,
              name: keep() ? x.name : undefined,
              extraNginx: keep() ? x.extraNginx : undefined,
            })),
            controllers: (full.controllers as IngressControllerFact[]).map((x) => ({
              ...x,
              replicas: keep() ? x.replicas : undefined,
              topologySpreadConstraints: keep() ? x.topologySpreadConstraints : undefined,
              tolerations: keep() ? x.tolerations : undefined,
            })),
          };
          expect(checkIngress(masked).length).toBeLessThanOrEqual(checkIngress(full).length);
        },
      ),
    );
  });
});
