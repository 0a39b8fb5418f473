/**
 * lb/*, ingress/* and the access policies (security/cluster-admin-binding, rbac-clusterrole,
 * pod-security) on hand-written Kubernetes objects.
 */
import { describe, expect, it } from "vitest";
import { packConfig } from "../../policy/policies";
import { by, of, run, Stack, T, UNKNOWN, violations } from "./stack";

const LB_ID = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id";
const ADDRESS = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type";

function service(
  s: Stack,
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, unknown> = {},
) {
  return s.add(T.service, name, { metadata: { name, namespace: "shop", annotations }, spec });
}

describe("lb/*", () => {
  it("lb/traffic-policy (advisory): a LoadBalancer Service left on Cluster", () => {
    const s = new Stack();
    service(s, "web", { type: "LoadBalancer", ports: [{ port: 80 }] });
    service(s, "local", { type: "LoadBalancer", externalTrafficPolicy: "Local" });
    service(s, "internal", { type: "ClusterIP" });
    const vs = by(violations(s), "lb/traffic-policy");
    expect(vs.map((v) => [v.level, v.urn?.split("::").pop()])).toEqual([["advisory", "web"]]);
    expect(vs[0]?.message).toContain(
      'Service "shop/web" of type LoadBalancer uses externalTrafficPolicy Cluster',
    );
    expect(vs[0]?.message).toContain("(at spec.externalTrafficPolicy)");
  });

  it("lb/reuse: an internet SLB reused for an intranet Service, an intranet one outside the cluster's VPC", () => {
    const s = new Stack();
    const vpc = s.vpc("main", "10.0.0.0/16");
    const other = s.vpc("other", "10.1.0.0/16");
    const a = s.vswitch("node-a", "10.0.0.0/20", "cn-hangzhou-i", vpc);
    const o = s.vswitch("other-a", "10.1.0.0/20", "cn-hangzhou-i", other);
    s.ack("k", { serviceCidr: "172.21.0.0/20", podCidr: "172.20.0.0/16" }, [a]);
    // The Service's annotation holds the SLB's id: its metadata depends on the SLB.
    const pub = s.add(T.slb, "public", { loadBalancerName: "public", addressType: "internet" });
    const priv = s.add(
      T.slb,
      "private",
      { loadBalancerName: "private", addressType: "intranet", vswitchId: UNKNOWN },
      { vswitchId: o },
    );
    const good = s.add(
      T.slb,
      "good",
      { loadBalancerName: "good", addressType: "intranet", vswitchId: UNKNOWN },
      { vswitchId: a },
    );
    const reuse = (name: string, lb: ReturnType<Stack["add"]>) =>
      s.add(
        T.service,
        name,
        {
          metadata: { name, namespace: "shop", annotations: { [LB_ID]: UNKNOWN, [ADDRESS]: "intranet" } },
          spec: { type: "LoadBalancer", externalTrafficPolicy: "Local" },
        },
        { metadata: lb },
      );
    reuse("wrong-type", pub);
    reuse("wrong-vpc", priv);
    reuse("fine", good);
    const ds = of(run(s), "lb/reuse");
    expect(ds.map((d) => [d.resource.split("::").pop(), d.message])).toEqual([
      ["wrong-type", expect.stringContaining("has address type internet but the Service asks for intranet")],
      ["wrong-vpc", expect.stringContaining("is intranet in VPC other but the cluster is in VPC main")],
    ]);
  });
});

describe("ingress/*", () => {
  it("ingress/class-unique: two classes of one name in a cluster, and an extra nginx on ACK's class", () => {
    const s = new Stack();
    s.ack("k", {});
    const provider = "urn:pulumi:dev::handwritten::pulumi:providers:kubernetes::k8s";
    s.add(
      T.ingressClass,
      "a",
      { metadata: { name: "public" }, spec: { controller: "k8s.io/ingress-nginx" } },
      {},
      { provider },
    );
    s.add(
      T.ingressClass,
      "b",
      { metadata: { name: "public" }, spec: { controller: "ingress.k8s.alibabacloud/alb" } },
      {},
      { provider },
    );
    s.add(
      T.ingressClass,
      "c",
      { metadata: { name: "nginx" }, spec: { controller: "k8s.io/ingress-nginx" } },
      {},
      { provider },
    );
    const ds = of(run(s), "ingress/class-unique");
    expect(ds.map((d) => [d.resource.split("::").pop(), d.message])).toEqual([
      [
        "b",
        expect.stringContaining(
          'IngressClass "public" is already used by a (controller k8s.io/ingress-nginx) in cluster "k8s"',
        ),
      ],
      ["c", expect.stringContaining('an extra nginx ingress controller uses the class "nginx"')],
    ]);
    // The same names in two clusters do not conflict.
    const two = new Stack();
    two.add(
      T.ingressClass,
      "a",
      { metadata: { name: "public" }, spec: { controller: "x" } },
      {},
      { provider: `${provider}-1` },
    );
    two.add(
      T.ingressClass,
      "b",
      { metadata: { name: "public" }, spec: { controller: "x" } },
      {},
      { provider: `${provider}-2` },
    );
    expect(of(run(two), "ingress/class-unique")).toEqual([]);
  });

  it("ingress/alb-vswitches: an AlbConfig mapping two vSwitches of one zone", () => {
    const s = new Stack();
    const vpc = s.vpc("main", "10.0.0.0/16");
    // Known ids (a later update, or the offline preview's mock ids): the evaluator derives the
    // property dependencies the engine would record from them.
    const sw = (name: string, cidrBlock: string, zoneId: string) =>
      s.add(T.vsw, name, { cidrBlock, zoneId, vpcId: UNKNOWN }, { vpcId: vpc }, { id: `vsw-${name}` });
    sw("a1", "10.0.0.0/24", "cn-hangzhou-i");
    sw("a2", "10.0.1.0/24", "cn-hangzhou-i");
    sw("b1", "10.0.2.0/24", "cn-hangzhou-j");
    const alb = (name: string, ids: string[]) =>
      s.add(
        T.albConfig,
        name,
        { metadata: { name }, spec: { config: { zoneMappings: ids.map((vSwitchId) => ({ vSwitchId })) } } },
        {},
        { propertyDependencies: undefined },
      );
    alb("one-zone", ["vsw-a1", "vsw-a2"]);
    alb("two-zones", ["vsw-a1", "vsw-b1"]);
    const ds = of(run(s), "ingress/alb-vswitches");
    expect(ds.map((d) => d.message)).toEqual([
      expect.stringContaining(
        'AlbConfig "one-zone" maps vSwitches [vsw-a1@cn-hangzhou-i, vsw-a2@cn-hangzhou-i] all in zone cn-hangzhou-i',
      ),
    ]);
  });

  it("ingress/replicas: one replica of ingress-nginx is mandatory in production, advisory in dev", () => {
    const controller = (stack: string) => {
      const s = new Stack(stack);
      s.add(T.release, "nginx", { chart: "ingress-nginx", values: { controller: { replicaCount: 1 } } });
      s.add(T.deployment, "ok", {
        metadata: { name: "ok", labels: { "app.kubernetes.io/name": "ingress-nginx" } },
        spec: {
          replicas: 3,
          template: {
            spec: {
              topologySpreadConstraints: [
                { topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" },
              ],
            },
          },
        },
      });
      return s;
    };
    const prod = violations(controller("prod"));
    expect(by(prod, "ingress/replicas").map((v) => [v.level, v.urn?.split("::").pop(), v.message])).toEqual([
      [
        "mandatory",
        "nginx",
        expect.stringContaining(
          "the ingress controller runs 1 replica(s) in a production environment; it needs at least 2",
        ),
      ],
      ["mandatory", "nginx", expect.stringContaining("not spread over zones")],
    ]);
    const dev = violations(controller("dev"));
    expect(by(dev, "ingress/replicas")).toEqual([]);
    expect(by(dev, "ingress/replicas/non-production").map((v) => v.level)).toEqual(["advisory", "advisory"]);
  });
});

describe("access", () => {
  it("security/cluster-admin-binding: a user bound to cluster-admin; config breakGlassGroups allows a group", () => {
    const s = new Stack();
    s.add(T.crb, "admins", {
      metadata: { name: "admins" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [
        { kind: "User", name: "alice" },
        { kind: "Group", name: "sre-oncall" },
      ],
    });
    const msgs = (config?: ReturnType<typeof packConfig>) =>
      by(violations(s, { config }), "security/cluster-admin-binding").map((v) => v.message);
    expect(msgs()).toEqual([
      expect.stringContaining(
        'User "alice" is bound to cluster-admin by ClusterRoleBinding admins; only the break-glass groups may be (break-glass: none)',
      ),
      expect.stringContaining('Group "sre-oncall" is bound to cluster-admin'),
    ]);
    expect(msgs(packConfig({ breakGlassGroups: ["sre-oncall"] }))).toEqual([
      expect.stringContaining(
        'User "alice" is bound to cluster-admin by ClusterRoleBinding admins; only the break-glass groups may be (break-glass: sre-oncall)',
      ),
    ]);
  });

  it("security/rbac-clusterrole: a predefined role granted through a Role", () => {
    const s = new Stack();
    s.add(T.rb, "dev-grant", {
      metadata: { name: "dev-grant", namespace: "shop" },
      roleRef: { kind: "Role", name: "dev" },
      subjects: [{ kind: "Group", name: "shop-devs" }],
    });
    s.add(T.rb, "ok-grant", {
      metadata: { name: "ok-grant", namespace: "shop" },
      roleRef: { kind: "ClusterRole", name: "dev" },
      subjects: [{ kind: "Group", name: "shop-devs" }],
    });
    expect(by(violations(s), "security/rbac-clusterrole")).toEqual([]); // no predefined roles declared
    const config = packConfig({ predefinedRoles: ["admin", "ops", "dev", "restricted"] });
    const vs = by(violations(s, { config }), "security/rbac-clusterrole");
    expect(vs.map((v) => v.urn?.split("::").pop())).toEqual(["dev-grant"]);
    expect(vs[0]?.message).toContain(
      'grants "dev" through a Role in namespace "shop"; predefined access is granted by binding the ClusterRole "dev"',
    );
  });

  it("security/pod-security: tenant namespaces (config projectLabel) enforce baseline, restricted in production", () => {
    const build = (stack: string) => {
      const s = new Stack(stack);
      s.namespace("no-label", { "cpaas.io/project": "alpha" });
      s.namespace("baseline", {
        "cpaas.io/project": "alpha",
        "pod-security.kubernetes.io/enforce": "baseline",
      });
      s.namespace("system"); // not a tenant namespace
      return s;
    };
    const dev = by(violations(build("dev")), "security/pod-security");
    expect(dev.map((v) => [v.urn?.split("::").pop(), v.message])).toEqual([
      [
        "no-label",
        expect.stringContaining('namespace "no-label" has no pod-security.kubernetes.io/enforce label'),
      ],
    ]);
    const prod = by(violations(build("prod")), "security/pod-security");
    expect(prod.map((v) => v.urn?.split("::").pop())).toEqual(["no-label", "baseline"]);
    expect(prod[1]?.message).toContain(
      'namespace "baseline" enforces "baseline"; a production namespace enforces restricted',
    );
    // Another project label makes other namespaces tenants.
    const other = by(
      violations(build("dev"), { config: packConfig({ projectLabel: "team" }) }),
      "security/pod-security",
    );
    expect(other).toEqual([]);
  });
});
