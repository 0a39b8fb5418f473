/**
 * A realistic platform stack for stack-reference tests: contract v1 as `stacks/program.ts`
 * exports it for `stacks/Pulumi.prod.yaml` (three zones, Terway, ALB + intranet nginx, project
 * "shop" with namespaces web and jobs; the vSwitch CIDRs and service CIDR are those of
 * `npm run plan -- prod`), plus a second project so ownership can be tested.
 */

import type { PlatformOutputs } from "@kubeplat/components/internal/platform/contract";
import type { MockResourceArgs } from "@pulumi/pulumi/runtime";

export const PROD_STACK = "org/platform/prod";

export const PROD_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster:
      server: https://192.168.3.10:6443
      certificate-authority-data: LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t
contexts:
  - name: prod
    context: { cluster: prod, user: prod-admin }
current-context: prod
users:
  - name: prod-admin
    user:
      token: not-a-real-token
`;

const zones = ["cn-hangzhou-i", "cn-hangzhou-j", "cn-hangzhou-k"] as const;
const nodeCidrs = ["172.16.0.0/18", "172.17.0.0/18", "172.18.0.0/18"];
const podCidrs = ["172.16.128.0/17", "172.17.128.0/17", "172.18.128.0/17"];

export function prodOutputs(): PlatformOutputs {
  const vswitches: PlatformOutputs["vswitches"] = {};
  zones.forEach((zone, i) => {
    vswitches[`prod/${zone}/node`] = {
      id: `vsw-node-${zone.slice(-1)}`,
      zone,
      role: "node",
      cluster: "prod",
      cidr: nodeCidrs[i] as string,
    };
    vswitches[`prod/${zone}/pod`] = {
      id: `vsw-pod-${zone.slice(-1)}`,
      zone,
      role: "pod",
      cluster: "prod",
      cidr: podCidrs[i] as string,
    };
  });
  return {
    contractVersion: "1",
    environment: "prod",
    cloud: "alicloud",
    region: "cn-hangzhou",
    vpc: { id: "vpc-bp1prod", cidr: "172.16.0.0/12", secondaryCidrs: [] },
    vswitches,
    clusters: {
      prod: {
        name: "prod",
        id: "c8d1e2f3a4b5prod",
        endpoint: "https://192.168.3.10:6443",
        kubernetesVersion: "1.36.1-aliyun.1",
        cni: "terway",
        serviceCidr: "10.1.0.0/20",
        ingressClasses: ["alb", "nginx-internal"],
        loadBalancers: { public: "alb-prod.cn-hangzhou.alb.aliyuncs.com", internal: "172.16.0.200" },
        namespaces: { shop: ["shop-web", "shop-jobs"], payments: ["payments-api"] },
        defaultStorageClass: "alicloud-disk-topology-essd",
      },
      analytics: {
        name: "analytics",
        id: "c9analytics",
        endpoint: "https://192.168.7.10:6443",
        kubernetesVersion: "1.36.1-aliyun.1",
        cni: "flannel",
        podCidr: "172.20.0.0/16",
        serviceCidr: "172.21.0.0/20",
        ingressClasses: ["nginx"],
        loadBalancers: { public: "" },
        namespaces: {},
        defaultStorageClass: "alicloud-disk-topology-essd",
      },
    },
    kubeconfigs: { prod: PROD_KUBECONFIG, analytics: PROD_KUBECONFIG.replaceAll("prod", "analytics") },
  };
}

/**
 * The mocked state of `pulumi:pulumi:StackReference` resources: what the engine answers a
 * read of the referenced stack (stackReference.js reads `outputs` and `secretOutputNames`).
 * Stacks listed in `oldCli` answer without `secretOutputNames`, as CLIs before 3.x did.
 */
export function stackReferenceState(stacks: Record<string, Record<string, unknown>>, oldCli: string[] = []) {
  return (args: MockResourceArgs): Record<string, unknown> | undefined => {
    if (args.type !== "pulumi:pulumi:StackReference") return undefined;
    const name = args.inputs.name as string;
    const outputs = stacks[name];
    if (!outputs) throw new Error(`test: no stack ${name}`);
    if (oldCli.includes(name)) return { outputs };
    return { outputs, secretOutputNames: "kubeconfigs" in outputs ? ["kubeconfigs"] : [] };
  };
}

interface OutputInternals<T> {
  promise(): Promise<T>;
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
  allResources?(): Promise<unknown>;
}

/**
 * What an Output settles to: its value, or the error it failed with. A failed Output rejects
 * its value, known, secret and resources promises alike; a resource registration awaits all
 * four, and so does this (else each would be an unhandled rejection). `promise()` is internal
 * to the SDK; `StackReference.getOutputDetails` uses it the same way.
 */
export async function settle<T>(o: unknown): Promise<{ value?: T; error?: Error }> {
  const out = o as OutputInternals<T>;
  const [value, ...rest] = await Promise.allSettled([
    out.promise(),
    out.isKnown,
    out.isSecret,
    out.allResources?.(),
  ]);
  if (value?.status === "fulfilled") return { value: value.value as T };
  const reason = (value ?? rest[0]) as PromiseRejectedResult;
  return { error: reason.reason as Error };
}
