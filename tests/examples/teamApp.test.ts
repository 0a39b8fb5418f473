/**
 * The application team's example (examples/team-app) under the mock runtime, reading a platform
 * stack whose outputs the test supplies: a contract v1 document (tests/components/platform/
 * fixtures.ts) with its kubeconfigs secret, and one of contract version "2".
 */

import { DEFAULT_LIMIT_RANGE } from "@kubeplat/components/internal/kubernetes/Tenancy";
import { PlatformContractError } from "@kubeplat/components/internal/platform/PlatformReference";
import { type MockRuntime, type RecordedResource, startMockRuntime } from "@kubeplat/components/testing";
import { compareQuantities } from "@kubeplat/plan";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { type TeamAppArgs, TeamAppError, teamApp } from "../../examples/team-app/app";
import {
  PROD_KUBECONFIG,
  PROD_STACK,
  prodOutputs,
  stackReferenceState,
} from "../components/platform/fixtures";

const NEXT_STACK = "org/platform/next";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SERVICE = "kubernetes:core/v1:Service";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const PROVIDER = "pulumi:providers:kubernetes";

let rt: MockRuntime;
beforeAll(async () => {
  rt = await startMockRuntime({
    project: "team-app",
    stack: "dev",
    config: {
      "team-app:platformStack": PROD_STACK,
      "team-app:project": "shop",
      "team-app:namespace": "shop-jobs",
      "team-app:name": "worker",
    },
    state: stackReferenceState({
      [PROD_STACK]: { ...prodOutputs() },
      [NEXT_STACK]: { ...prodOutputs(), contractVersion: "2" },
    }),
  });
});

const base: TeamAppArgs = { platformStack: PROD_STACK, project: "shop", namespace: "shop-web" };

/** Run the app; its error (if any) instead of a rejected run. */
async function deploy(args: TeamAppArgs): Promise<{ outputs: Record<string, unknown>; error?: Error }> {
  let error: Error | undefined;
  const outputs = await rt.run(async () => {
    try {
      const app = await teamApp(args);
      return { host: app.host, url: app.url, cluster: app.cluster, ingressClass: app.ingressClass };
    } catch (e) {
      error = e as Error;
      return {};
    }
  });
  return { outputs, error };
}

const named = (name: string) => rt.resources.filter((r) => r.name === name || r.name.startsWith(`${name}-`));

/**
 * The Pod Security Standards' "restricted" profile (Alauda Container Platform docs: Pod Security Admission lists its core: non-root,
 * seccomp RuntimeDefault, capabilities dropped; the rest as kubernetes.io/docs/concepts/security/
 * pod-security-standards states it), checked on a pod spec: what a violating pod is refused for.
 */
type Obj = Record<string, unknown>;
function restrictedViolations(pod: Obj): string[] {
  const out: string[] = [];
  const podSc = (pod.securityContext ?? {}) as Obj;
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) out.push("host namespaces");
  const allowedVolumes = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
  ];
  for (const v of (pod.volumes ?? []) as Obj[]) {
    const kinds = Object.keys(v).filter((k) => k !== "name");
    if (!kinds.every((k) => allowedVolumes.includes(k))) out.push(`volume ${v.name}: ${kinds.join(",")}`);
  }
  const podSeccomp = (podSc.seccompProfile as Obj | undefined)?.type;
  for (const c of [...((pod.containers ?? []) as Obj[]), ...((pod.initContainers ?? []) as Obj[])]) {
    const sc = (c.securityContext ?? {}) as Obj;
    const caps = (sc.capabilities ?? {}) as { drop?: string[]; add?: string[] };
    if (sc.privileged) out.push(`${c.name}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation not false`);
    if (!(caps.drop ?? []).includes("ALL")) out.push(`${c.name}: capabilities not dropping ALL`);
    if ((caps.add ?? []).some((a) => a !== "NET_BIND_SERVICE")) out.push(`${c.name}: adds capabilities`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push(`${c.name}: runAsNonRoot not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) out.push(`${c.name}: runAsUser 0`);
    const seccomp = (sc.seccompProfile as Obj | undefined)?.type ?? podSeccomp;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`${c.name}: seccomp ${seccomp}`);
  }
  return out;
}

describe("team app on a contract v1 platform", () => {
  it("lands the Deployment, Service and Ingress in the tenant namespace with the platform's ingress class", async () => {
    const { outputs, error } = await deploy(base);
    expect(error).toBeUndefined();
    expect(outputs).toEqual({
      host: "hello.shop-web.prod.example.com",
      url: "http://hello.shop-web.prod.example.com",
      cluster: "prod",
      ingressClass: "alb",
    });
    expect(
      named("hello")
        .map((r) => r.urn)
        .sort(),
    ).toEqual([
      "urn:pulumi:dev::team-app::pulumi:pulumi:Stack$kubernetes:apps/v1:Deployment::hello",
      "urn:pulumi:dev::team-app::pulumi:pulumi:Stack$kubernetes:core/v1:Service::hello",
      "urn:pulumi:dev::team-app::pulumi:pulumi:Stack$kubernetes:networking.k8s.io/v1:Ingress::hello",
      "urn:pulumi:dev::team-app::pulumi:pulumi:Stack$pulumi:providers:kubernetes::hello-prod",
    ]);
    const provider = rt.one(PROVIDER, "hello-prod");
    for (const type of [DEPLOYMENT, SERVICE, INGRESS]) {
      const r = rt.one(type, "hello");
      expect((r.inputs.metadata as Obj).namespace, type).toBe("shop-web");
      expect(r.provider, type).toBe(`${provider.urn}::${provider.state.id ?? "hello-prod-id"}`);
    }
    const ingress = rt.one(INGRESS, "hello").inputs.spec as Obj;
    expect(ingress).toEqual({
      ingressClassName: "alb",
      rules: [
        {
          host: "hello.shop-web.prod.example.com",
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "hello", port: { name: "http" } } },
              },
            ],
          },
        },
      ],
    });
    expect(prodOutputs().clusters.prod?.ingressClasses).toContain(ingress.ingressClassName);
    expect(rt.one(SERVICE, "hello").inputs.spec).toMatchObject({
      type: "ClusterIP",
      ports: [{ name: "http", port: 80, targetPort: "http" }],
    });
  });

  it("talks to the cluster with the referenced kubeconfig, kept secret", () => {
    expect(rt.one(PROVIDER, "hello-prod").inputs.kubeconfig).toEqual({
      [specialSigKey]: specialSecretSig,
      value: PROD_KUBECONFIG,
    });
  });

  it("runs 2 replicas that satisfy Pod Security 'restricted' and the tenant LimitRange defaults", () => {
    const spec = rt.one(DEPLOYMENT, "hello").inputs.spec as Obj;
    expect(spec.replicas).toBe(2);
    const pod = (spec.template as Obj).spec as Obj;
    expect(restrictedViolations(pod)).toEqual([]);
    const container = (pod.containers as Obj[])[0] as Obj;
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    const resources = container.resources as {
      requests: Record<string, string>;
      limits: Record<string, string>;
    };
    expect(resources).toEqual({
      requests: DEFAULT_LIMIT_RANGE.defaultRequest,
      limits: DEFAULT_LIMIT_RANGE.default,
    });
    for (const r of ["cpu", "memory"]) {
      expect(
        compareQuantities(resources.requests[r] as string, resources.limits[r] as string),
        r,
      ).toBeLessThanOrEqual(0);
    }
  });

  it("the restricted check refuses a pod that breaks the profile", () => {
    const bad = {
      hostNetwork: true,
      volumes: [{ name: "host", hostPath: { path: "/" } }],
      containers: [
        { name: "c", securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] } } },
      ],
    };
    expect(restrictedViolations(bad)).toEqual([
      "host namespaces",
      "volume host: hostPath",
      "c: privileged",
      "c: allowPrivilegeEscalation not false",
      "c: capabilities not dropping ALL",
      "c: adds capabilities",
      "c: runAsNonRoot not true",
      "c: seccomp undefined",
    ]);
  });

  it("takes another ingress class the cluster serves, and a cluster given explicitly", async () => {
    const { outputs, error } = await deploy({
      ...base,
      name: "internal",
      ingressClass: "nginx-internal",
      cluster: "prod",
    });
    expect(error).toBeUndefined();
    expect(outputs.ingressClass).toBe("nginx-internal");
    expect((rt.one(INGRESS, "internal").inputs.spec as Obj).ingressClassName).toBe("nginx-internal");
  });

  it("runs index.ts with the stack's config", async () => {
    const outputs = await rt.run(
      async () => (await import("../../examples/team-app/index.js")) as Record<string, unknown>,
    );
    expect(await Promise.resolve(outputs.default ?? outputs)).toMatchObject({
      cluster: "prod",
      namespace: "shop-jobs",
      host: "worker.shop-jobs.prod.example.com",
    });
    expect((rt.one(DEPLOYMENT, "worker").inputs.metadata as Obj).namespace).toBe("shop-jobs");
  });
});

describe("team app refusals, before any Kubernetes resource", () => {
  const refused = async (args: TeamAppArgs): Promise<Error> => {
    const before = rt.resources.length;
    const { error } = await deploy(args);
    expect(error, "expected a refusal").toBeDefined();
    expect(pulumi.RunError.isInstance(error), "printed without a stack trace").toBe(true);
    const created = rt.resources
      .slice(before)
      .filter((r: RecordedResource) => r.type !== "pulumi:pulumi:Stack");
    expect(created.map((r) => r.urn)).toEqual([]);
    return error as Error;
  };

  it("refuses a namespace the project does not own, naming the project's namespaces", async () => {
    const e = await refused({ ...base, name: "x1", namespace: "payments-api", cluster: "prod" });
    expect(e).toBeInstanceOf(TeamAppError);
    expect(e.message).toBe(
      `namespace "payments-api" is not one of project "shop"'s namespaces on cluster "prod" of stack "${PROD_STACK}": "shop-jobs", "shop-web"`,
    );
    const auto = await refused({ ...base, name: "x2", namespace: "payments-api" });
    expect(auto.message).toBe(
      `namespace "payments-api" is not one of project "shop"'s namespaces in stack "${PROD_STACK}" (on cluster "prod": "shop-jobs", "shop-web")`,
    );
  });

  it("refuses a project without namespaces anywhere", async () => {
    expect((await refused({ ...base, name: "x6", project: "blog", namespace: "blog-web" })).message).toBe(
      `namespace "blog-web" is not one of project "blog"'s namespaces in stack "${PROD_STACK}" (it has none)`,
    );
  });

  it("refuses an ingress class or cluster the platform does not have", async () => {
    expect((await refused({ ...base, name: "x3", ingressClass: "nginx" })).message).toBe(
      `ingress class "nginx" is not served on cluster "prod" of stack "${PROD_STACK}"; its ingress classes: "alb", "nginx-internal"`,
    );
    expect((await refused({ ...base, name: "x4", cluster: "staging" })).message).toBe(
      `stack "${PROD_STACK}" has no cluster "staging"; its clusters: "analytics", "prod"`,
    );
  });

  it('refuses a platform stack of contract version "2"', async () => {
    const e = await refused({ ...base, name: "x5", platformStack: NEXT_STACK });
    expect(e).toBeInstanceOf(PlatformContractError);
    expect(e.message).toBe(
      `stack "${NEXT_STACK}" exports platform contract version "2"; this @kubeplat/components understands "1" — upgrade the library`,
    );
  });
});
