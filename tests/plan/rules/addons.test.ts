/**
 * addon/required: every dependency pair both ways (present: clean; present but not ordered:
 * reported; absent: reported), on facts, and at spec level on the parsed environment.
 */

import {
  type AddonDependentFact,
  type AddonFacts,
  addonNeeds,
  checkAddonRequired,
  checkAddons,
  type EnvironmentInput,
  type InstalledAddonFact,
  parseEnvironment,
} from "@kubeplat/plan";
import { describe, expect, it } from "vitest";

const facts = (addons: InstalledAddonFact[], d: AddonDependentFact, complete = true): AddonFacts => ({
  clusters: [{ cluster: "c", addons, dependents: [d], complete }],
});
const addon = (name: string, config: Record<string, unknown> | undefined = {}): InstalledAddonFact => ({
  resource: `addon-${name}`,
  name,
  config,
});

interface Pair {
  what: string;
  dependent: Omit<AddonDependentFact, "after">;
  addons: InstalledAddonFact[];
}

const PAIRS: Pair[] = [
  {
    what: "AlbConfig → alb-ingress-controller",
    dependent: { resource: "alb", path: "kind", kind: "alb-config", label: 'AlbConfig "alb"' },
    addons: [addon("alb-ingress-controller")],
  },
  {
    what: "alb IngressClass → alb-ingress-controller",
    dependent: {
      resource: "cls",
      path: "spec.controller",
      kind: "alb-ingress-class",
      label: 'IngressClass "alb"',
    },
    addons: [addon("alb-ingress-controller")],
  },
  {
    what: "StorageClass ebs.csi.aws.com → aws-ebs-csi-driver",
    dependent: {
      resource: "ebs-sc",
      path: "provisioner",
      kind: "storage-class",
      label: 'StorageClass "ebs-sc"',
      provisioner: "ebs.csi.aws.com",
    },
    addons: [addon("aws-ebs-csi-driver")],
  },
  {
    what: "StorageClass diskplugin → csi-plugin + csi-provisioner",
    dependent: {
      resource: "essd",
      path: "provisioner",
      kind: "storage-class",
      label: 'StorageClass "essd"',
      provisioner: "diskplugin.csi.alibabacloud.com",
    },
    addons: [addon("csi-plugin"), addon("csi-provisioner")],
  },
  {
    what: "NetworkPolicy → terway-eniip with NetworkPolicy",
    dependent: { resource: "np", path: "kind", kind: "network-policy", label: "NetworkPolicy" },
    addons: [addon("terway-eniip", { NetworkPolicy: "true" })],
  },
  {
    what: "NetworkPolicy → vpc-cni with enableNetworkPolicy",
    dependent: { resource: "np", path: "kind", kind: "network-policy", label: "NetworkPolicy" },
    addons: [addon("vpc-cni", { enableNetworkPolicy: "true" })],
  },
];

describe("addon/required on facts", () => {
  for (const p of PAIRS) {
    it(`${p.what}: present and ordered is clean`, () => {
      const after = p.addons.map((a) => a.resource);
      expect(checkAddonRequired(facts(p.addons, { ...p.dependent, after }))).toEqual([]);
    });
    it(`${p.what}: present but not ordered is reported`, () => {
      const ds = checkAddonRequired(facts(p.addons, { ...p.dependent, after: [] }));
      expect(ds.length).toBeGreaterThan(0);
      expect(ds.every((d) => d.rule === "addon/required" && d.severity === "mandatory")).toBe(true);
      expect(ds[0]?.message).toContain("is not ordered after");
      expect(ds[0]?.message).toContain("dependsOn");
    });
    it(`${p.what}: absent is reported, naming what is installed`, () => {
      const ds = checkAddonRequired(facts([addon("coredns")], { ...p.dependent, after: [] }));
      expect(ds.length).toBe(addonNeeds({ ...p.dependent }).length);
      expect(ds[0]).toMatchObject({
        rule: "addon/required",
        severity: "mandatory",
        resource: p.dependent.resource,
      });
      expect(ds[0]?.message).toContain('on cluster "c", which is not installed (installed: coredns)');
    });
  }

  it("autoscaling pool → node autoscaler: presence only (the autoscaler acts whenever it runs)", () => {
    const pool: AddonDependentFact = {
      resource: "pool",
      path: "scalingConfig.enable",
      kind: "autoscaling-pool",
      label: "pool",
      after: [],
    };
    expect(checkAddonRequired(facts([addon("cluster-autoscaler")], pool))).toEqual([]);
    expect(checkAddonRequired(facts([addon("karpenter")], pool))).toEqual([]);
    const ds = checkAddonRequired(facts([], pool));
    expect(ds.map((d) => d.message)).toEqual([
      'pool needs the cluster\'s node autoscaler (cluster-autoscaler) on cluster "c", which is not installed (installed: none)',
    ]);
  });

  it("a CNI without network policy enabled does not enforce NetworkPolicies", () => {
    const np: AddonDependentFact = {
      resource: "np",
      path: "kind",
      kind: "network-policy",
      label: "NetworkPolicy",
      after: [],
    };
    expect(checkAddonRequired(facts([addon("terway-eniip", {})], np))).toHaveLength(1);
    expect(checkAddonRequired(facts([addon("vpc-cni", { enableNetworkPolicy: "false" })], np))).toHaveLength(
      1,
    );
    expect(checkAddonRequired(facts([addon("flannel")], np))).toHaveLength(1);
    // An engine that enforces policies on its own, and a configuration not known yet, satisfy it.
    expect(checkAddonRequired(facts([addon("calico")], { ...np, after: ["addon-calico"] }))).toEqual([]);
    const unknownConfig: InstalledAddonFact = {
      resource: "addon-vpc-cni",
      name: "vpc-cni",
      config: undefined,
    };
    expect(checkAddonRequired(facts([unknownConfig], { ...np, after: ["addon-vpc-cni"] }))).toEqual([]);
  });

  it("unknown is never a violation: an incomplete add-on list, an unknown provisioner, an unknown order", () => {
    const sc: AddonDependentFact = {
      resource: "sc",
      path: "provisioner",
      kind: "storage-class",
      label: "sc",
      provisioner: "ebs.csi.aws.com",
    };
    expect(checkAddonRequired(facts([], sc, false))).toEqual([]);
    expect(checkAddonRequired(facts([], { ...sc, provisioner: undefined }))).toEqual([]);
    expect(checkAddonRequired(facts([addon("aws-ebs-csi-driver")], { ...sc, after: undefined }))).toEqual([]);
    // In-tree or unknown provisioners need no add-on the platform knows.
    expect(checkAddonRequired(facts([], { ...sc, provisioner: "kubernetes.io/aws-ebs" }))).toEqual([]);
  });

  it("reports an absent add-on at the field to edit when the facts name one", () => {
    const ds = checkAddonRequired({
      clusters: [
        {
          cluster: "c",
          addons: [],
          addonPath: "clusters[0].addons",
          dependents: [
            {
              resource: "c",
              path: "clusters[0].storage",
              kind: "storage-class",
              label: "x",
              provisioner: "ebs.csi.aws.com",
            },
          ],
        },
      ],
    });
    expect(ds.map((d) => d.path)).toEqual(["clusters[0].addons.aws-ebs-csi-driver"]);
  });
});

// --- Spec level ----------------------------------------------------------------------------------

function env(over: Partial<EnvironmentInput> & { cluster?: Record<string, unknown> } = {}) {
  const { cluster, ...rest } = over;
  const input = {
    name: "t",
    cloud: "alicloud",
    region: "cn-hangzhou",
    zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
    vpc: { cidr: "10.0.0.0/16" },
    clusters: [
      {
        name: "k",
        cni: "terway",
        nodePools: [
          { name: "p", minSize: 1, maxSize: 3, autoscaling: true, instanceTypes: ["ecs.g7.xlarge"] },
        ],
        ingress: [{ name: "pub", kind: "alb" }],
        ...cluster,
      },
    ],
    tenancy: {
      projects: [{ name: "shop", clusters: [{ name: "k" }], namespaces: [{ name: "web", cluster: "k" }] }],
    },
    ...rest,
  };
  const parsed = parseEnvironment(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.env;
}

const ids = (e: ReturnType<typeof env>) => checkAddons(e).map((d) => `${d.rule} ${d.path}`);

describe("addon/required at spec level", () => {
  it("the defaults install what every object needs, on both clouds", () => {
    expect(checkAddons(env())).toEqual([]);
    expect(
      checkAddons(
        env({
          cloud: "aws",
          region: "eu-central-1",
          zones: ["eu-central-1a", "eu-central-1b"],
          cluster: { cni: "vpc-cni", kubernetesVersion: "1.33", ingress: [] },
        }),
      ),
    ).toEqual([]);
  });

  it("disabling an add-on an object needs is reported at the add-on's field", () => {
    expect(ids(env({ cluster: { addons: { "alb-ingress-controller": { enabled: false } } } }))).toEqual([
      "addon/required clusters[0].addons.alb-ingress-controller",
    ]);
    expect(ids(env({ cluster: { addons: { "csi-provisioner": { enabled: false } } } }))).toEqual([
      "addon/required clusters[0].addons.csi-provisioner",
    ]);
    expect(ids(env({ cluster: { addons: { "cluster-autoscaler": { enabled: false } } } }))).toEqual([
      "addon/required clusters[0].addons.cluster-autoscaler",
    ]);
    expect(
      ids(env({ cluster: { addons: { "terway-eniip": { config: { NetworkPolicy: "false" } } } } })),
    ).toEqual(["addon/required clusters[0].addons.terway-eniip.config"]);
    const aws = env({
      cloud: "aws",
      region: "eu-central-1",
      zones: ["eu-central-1a", "eu-central-1b"],
      cluster: {
        cni: "vpc-cni",
        kubernetesVersion: "1.33",
        ingress: [],
        addons: { "aws-ebs-csi-driver": { enabled: false } },
      },
    });
    expect(ids(aws)).toEqual(["addon/required clusters[0].addons.aws-ebs-csi-driver"]);
    expect(checkAddons(aws)[0]?.message).toContain("ebs.csi.aws.com");
  });

  it("no NetworkPolicy promised: the CNI's policy support is not required", () => {
    const e = env({
      tenancy: {
        projects: [
          {
            name: "shop",
            clusters: [{ name: "k" }],
            namespaces: [{ name: "web", cluster: "k", defaultDenyNetworkPolicy: false }],
          },
        ],
      },
      cluster: { addons: { "terway-eniip": { config: { NetworkPolicy: "false" } } } },
    });
    expect(checkAddons(e)).toEqual([]);
  });

  it("settings the platform cannot honour are refused with spec/schema", () => {
    const e = env({
      cluster: {
        addons: {
          "kube-proxy": {},
          "terway-eniip": { enabled: false },
          flannel: { enabled: true },
          "csi-plugin": { version: "latest" },
        },
      },
    });
    expect(ids(e)).toEqual([
      "spec/schema clusters[0].addons.kube-proxy",
      "spec/schema clusters[0].addons.terway-eniip.enabled",
      "spec/schema clusters[0].addons.flannel.enabled",
      "spec/schema clusters[0].addons.csi-plugin.version",
      "addon/required clusters[0].addons",
    ]);
  });
});
