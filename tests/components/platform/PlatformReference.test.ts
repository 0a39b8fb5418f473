import { SUPPORTED_CONTRACT_VERSIONS } from "@kubeplat/components/internal/platform/contract";
import {
  checkContractVersion,
  PlatformContractError,
  PlatformReference,
} from "@kubeplat/components/internal/platform/PlatformReference";
import { type MockRuntime, startMockRuntime } from "@kubeplat/components/testing";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { PROD_KUBECONFIG, PROD_STACK, prodOutputs, settle, stackReferenceState } from "./fixtures";

const NEXT_STACK = "org/platform/next";
const LEGACY_STACK = "org/platform/legacy";
const OLD_STACK = "org/platform/old";
const OLD_CLI_STACK = "org/platform/old-cli";
const PARTIAL_STACK = "org/platform/partial";

const { contractVersion: _, ...unversioned } = prodOutputs();
const { vswitches: _v, ...withoutVSwitches } = prodOutputs();

let rt: MockRuntime;
let prod: PlatformReference;

beforeAll(async () => {
  rt = await startMockRuntime({
    project: "team-app",
    stack: "dev",
    state: stackReferenceState(
      {
        [PROD_STACK]: { ...prodOutputs() },
        [NEXT_STACK]: { ...prodOutputs(), contractVersion: "2" },
        [LEGACY_STACK]: { ...unversioned },
        [OLD_STACK]: { ...prodOutputs(), contractVersion: "0" },
        [OLD_CLI_STACK]: { ...prodOutputs() },
        [PARTIAL_STACK]: { ...withoutVSwitches },
      },
      [OLD_CLI_STACK],
    ),
  });
  await rt.run(() => {
    prod = new PlatformReference(PROD_STACK);
    return {};
  });
});

async function value<T>(o: pulumi.Output<T>): Promise<T> {
  const s = await settle<T>(o);
  if (s.error) throw s.error;
  return s.value as T;
}

async function failure(o: pulumi.Output<unknown>): Promise<Error> {
  const s = await settle(o);
  if (!s.error) throw new Error(`expected a failure, got ${JSON.stringify(s.value)}`);
  return s.error;
}

describe("PlatformReference on a contract v1 stack", () => {
  it("reads the top-level outputs", async () => {
    expect(prod.stackName).toBe(PROD_STACK);
    expect(await value(prod.contractVersion)).toBe("1");
    expect(await value(prod.environment)).toBe("prod");
    expect(await value(prod.cloud)).toBe("alicloud");
    expect(await value(prod.region)).toBe("cn-hangzhou");
    expect(await value(prod.vpcId)).toBe("vpc-bp1prod");
    expect(await value(prod.vpc)).toEqual({ id: "vpc-bp1prod", cidr: "172.16.0.0/12", secondaryCidrs: [] });
    expect(await value(prod.vswitches)).toEqual(prodOutputs().vswitches);
    expect(await value(prod.clusterNames)).toEqual(["analytics", "prod"]);
  });

  it("filters vSwitch ids by zone, role and cluster, in allocation-key order", async () => {
    expect(await value(prod.vswitchIds({ zone: "cn-hangzhou-j", role: "pod" }))).toEqual(["vsw-pod-j"]);
    expect(await value(prod.vswitchIds({ role: "node" }))).toEqual([
      "vsw-node-i",
      "vsw-node-j",
      "vsw-node-k",
    ]);
    expect(await value(prod.vswitchIds({ cluster: "prod", zone: "cn-hangzhou-k" }))).toEqual([
      "vsw-node-k",
      "vsw-pod-k",
    ]);
    expect(await value(prod.vswitchIds())).toHaveLength(6);
  });

  it("fails a vSwitch filter that matches nothing, naming what exists", async () => {
    const e = await failure(prod.vswitchIds({ zone: "cn-hangzhou-z", role: "pod" }));
    expect(e).toBeInstanceOf(PlatformContractError);
    expect(e.message).toContain(`stack "${PROD_STACK}" has no vSwitch with zone "cn-hangzhou-z", role "pod"`);
    expect(e.message).toContain("prod/cn-hangzhou-i/pod");
    const c = await failure(prod.vswitchIds({ cluster: "staging" }));
    expect(c.message).toBe(
      `stack "${PROD_STACK}" has no cluster "staging"; its clusters: "analytics", "prod"`,
    );
  });

  it("reads one cluster: entry, ingress classes, load balancers, namespaces, CIDRs", async () => {
    expect(await value(prod.cluster("prod"))).toEqual(prodOutputs().clusters.prod);
    expect(await value(prod.ingressClasses("prod"))).toEqual(["alb", "nginx-internal"]);
    expect(await value(prod.loadBalancerAddress("prod", "public"))).toBe(
      "alb-prod.cn-hangzhou.alb.aliyuncs.com",
    );
    expect(await value(prod.loadBalancerAddress("analytics", "public"))).toBe("");
    expect(await value(prod.namespaces("prod", "shop"))).toEqual(["shop-jobs", "shop-web"]);
    expect(await value(prod.namespaces("prod"))).toEqual(["payments-api", "shop-jobs", "shop-web"]);
    expect(await value(prod.namespaces("analytics"))).toEqual([]);
    expect(await value(prod.podCidr("prod"))).toBeUndefined();
    expect(await value(prod.podCidr("analytics"))).toBe("172.20.0.0/16");
    expect(await value(prod.serviceCidr("prod"))).toBe("10.1.0.0/20");
  });

  it("fails an unknown cluster, project or ingress naming the ones that exist", async () => {
    const cluster = await failure(prod.cluster("staging"));
    expect(cluster).toBeInstanceOf(PlatformContractError);
    expect(cluster.message).toBe(
      `stack "${PROD_STACK}" has no cluster "staging"; its clusters: "analytics", "prod"`,
    );
    expect((await failure(prod.ingressClasses("staging"))).message).toContain(
      'its clusters: "analytics", "prod"',
    );
    expect((await failure(prod.kubeconfig("staging"))).message).toBe(
      `stack "${PROD_STACK}" has no kubeconfig for cluster "staging"; it has kubeconfigs for: "analytics", "prod"`,
    );
    expect((await failure(prod.namespaces("prod", "blog"))).message).toBe(
      `stack "${PROD_STACK}" has no namespaces of project "blog" on cluster "prod"; projects there: "payments", "shop"`,
    );
    expect((await failure(prod.loadBalancerAddress("prod", "edge"))).message).toBe(
      `cluster "prod" of stack "${PROD_STACK}" has no ingress "edge"; its ingresses: "internal", "public"`,
    );
  });

  it("keeps the kubeconfig secret and the rest plain", async () => {
    const kubeconfig = prod.kubeconfig("prod");
    expect(await pulumi.isSecret(kubeconfig)).toBe(true);
    expect(await value(kubeconfig)).toBe(PROD_KUBECONFIG);
    expect(await pulumi.isSecret(prod.vpcId)).toBe(false);
    expect(await pulumi.isSecret(prod.cluster("prod"))).toBe(false);
    expect(await pulumi.isSecret(prod.ingressClasses("prod"))).toBe(false);
  });

  it("keeps the kubeconfig secret when the engine does not say which outputs are secret", async () => {
    let oldCli!: PlatformReference;
    await rt.run(() => {
      oldCli = new PlatformReference(OLD_CLI_STACK);
      return {};
    });
    const kubeconfig = oldCli.kubeconfig("prod");
    expect(await pulumi.isSecret(kubeconfig)).toBe(true);
    expect(await value(kubeconfig)).toBe(PROD_KUBECONFIG);
  });

  it("builds a Kubernetes provider from the referenced kubeconfig", async () => {
    let secret: boolean | undefined;
    await rt.run(async () => {
      const provider = prod.kubernetesProvider("prod-k8s", "prod", undefined, { namespace: "shop-web" });
      secret = await pulumi.isSecret(prod.kubeconfig("prod"));
      return { urn: provider.urn };
    });
    const p = rt.one("pulumi:providers:kubernetes", "prod-k8s");
    // Recorded as the provider receives it: still a secret.
    expect(p.inputs.kubeconfig).toEqual({ [specialSigKey]: specialSecretSig, value: PROD_KUBECONFIG });
    expect(p.inputs.namespace).toBe("shop-web");
    expect(secret).toBe(true);
  });

  it("fails an output missing from a v1 stack by name", async () => {
    let partial!: PlatformReference;
    await rt.run(() => {
      partial = new PlatformReference(PARTIAL_STACK);
      return {};
    });
    expect((await failure(partial.vswitchIds({ role: "pod" }))).message).toBe(
      `stack "${PARTIAL_STACK}" exports no output "vswitches" although its contract version requires it`,
    );
    expect(await value(partial.vpcId)).toBe("vpc-bp1prod");
  });

  it("resolves the checked contract for decisions before any resource", async () => {
    const { kubeconfigs: _k, ...contract } = prodOutputs();
    expect(await prod.resolveContract()).toEqual(contract);
  });
});

describe("PlatformReference on a stack of another contract version", () => {
  const supported = `this @kubeplat/components understands "1"`;
  const refs: Record<string, PlatformReference> = {};
  beforeAll(async () => {
    await rt.run(() => {
      for (const s of [NEXT_STACK, LEGACY_STACK, OLD_STACK]) refs[s] = new PlatformReference(s);
      return {};
    });
  });

  /** Every getter of a reference, each a fresh Output. */
  const getters = (r: PlatformReference): [string, pulumi.Output<unknown>][] => [
    ["contractVersion", r.contractVersion],
    ["environment", r.environment],
    ["cloud", r.cloud],
    ["region", r.region],
    ["vpcId", r.vpcId],
    ["vswitches", r.vswitches],
    ["vswitchIds", r.vswitchIds({ role: "node" })],
    ["cluster", r.cluster("prod")],
    ["clusterNames", r.clusterNames],
    ["kubeconfig", r.kubeconfig("prod")],
    ["ingressClasses", r.ingressClasses("prod")],
    ["loadBalancerAddress", r.loadBalancerAddress("prod", "public")],
    ["namespaces", r.namespaces("prod", "shop")],
    ["podCidr", r.podCidr("prod")],
    ["serviceCidr", r.serviceCidr("prod")],
  ];

  it('fails every getter of a version "2" stack, naming the stack, the version and the supported ones', async () => {
    const expected = `stack "${NEXT_STACK}" exports platform contract version "2"; ${supported} — upgrade the library`;
    for (const [getter, o] of getters(refs[NEXT_STACK] as PlatformReference)) {
      const e = await failure(o);
      expect(e, getter).toBeInstanceOf(PlatformContractError);
      expect(pulumi.RunError.isInstance(e), getter).toBe(true);
      expect(e.message, getter).toBe(expected);
    }
    await expect((refs[NEXT_STACK] as PlatformReference).resolveContract()).rejects.toThrow(expected);
  });

  it("fails every getter of a stack without a contract version", async () => {
    const expected = `stack "${LEGACY_STACK}" exports no platform contract version (output "contractVersion" is missing); ${supported}`;
    for (const [getter, o] of getters(refs[LEGACY_STACK] as PlatformReference)) {
      expect((await failure(o)).message, getter).toContain(expected);
    }
    await expect((refs[LEGACY_STACK] as PlatformReference).resolveContract()).rejects.toThrow(expected);
  });

  it("tells a stack older than the library apart from a newer one", async () => {
    const e = await failure((refs[OLD_STACK] as PlatformReference).vpcId);
    expect(e.message).toBe(
      `stack "${OLD_STACK}" exports platform contract version "0"; ${supported} — the platform stack is older than this library reads: ask the platform team to update it, or pin an older @kubeplat/components`,
    );
  });
});

describe("checkContractVersion", () => {
  it("accepts exactly the supported versions", () => {
    for (const v of SUPPORTED_CONTRACT_VERSIONS) expect(checkContractVersion("s", v)).toBe(v);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat().map(String), fc.constant(undefined), fc.integer()), (v) => {
        fc.pre(!SUPPORTED_CONTRACT_VERSIONS.includes(v as string));
        expect(() => checkContractVersion("org/p/s", v)).toThrow(/^stack "org\/p\/s" exports /);
      }),
    );
  });

  it("compares numerically: above every supported version means upgrade the library", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10_000 }), (n) => {
        expect(() => checkContractVersion("s", String(n), ["1"])).toThrow(/upgrade the library$/);
        expect(() => checkContractVersion("s", "1", [String(n)])).toThrow(/platform stack is older/);
      }),
    );
    expect(checkContractVersion("s", "2", ["1", "2"])).toBe("2");
    expect(() => checkContractVersion("s", "2", ["1", "3"])).toThrow(
      `stack "s" exports platform contract version "2"; this @kubeplat/components understands "1", "3" — the platform stack is older`,
    );
  });
});
