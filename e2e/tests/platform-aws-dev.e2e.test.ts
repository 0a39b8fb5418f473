/**
 * The `aws-dev` environment (EKS) through the real engine, Kubernetes provider and API server:
 * up, read back, no-op up, destroy. The EKS kubeconfig's `aws eks get-token` is answered by the
 * harness's `aws` shim with the local API server's token.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type E2E,
  engineUrns,
  offlinePreview,
  type PlatformStack,
  REPO,
  snapshot,
  startE2E,
} from "../harness";
import { expectDeclaredObjects, expectNoChanges, explain, stackState } from "../harness/checks";
import type { KubeObject } from "../harness/kube";

let e2e: E2E;
let stack: PlatformStack;
let baseline: Set<string>;

beforeAll(async () => {
  e2e = await startE2E();
  stack = e2e.platformStack("aws-dev");
  baseline = await snapshot(e2e.cluster.api);
});

afterAll(async () => {
  await e2e?.stop();
});

describe("aws-dev (EKS) on the real engine", () => {
  test("1. pulumi up creates the cloud layer and every in-cluster object the API server accepts", async () => {
    const up = await stack.run("up");
    expect(up.ok, explain(up)).toBe(true);
    const resources = await stackState(stack);
    const { report } = await offlinePreview("aws-dev", join(REPO, "stacks"));
    const urns = new Set(resources.map((r) => r.urn));
    expect(engineUrns(report).filter((u) => !urns.has(u))).toEqual([]);
    expect(await expectDeclaredObjects(e2e.cluster.api, resources)).toBeGreaterThan(10);
    const classes = await e2e.cluster.api<{ items: KubeObject[] }>(
      "GET",
      "/apis/networking.k8s.io/v1/ingressclasses",
    );
    expect(classes?.items.map((c) => (c.spec as { controller: string }).controller)).toContain(
      "ingress.k8s.aws/alb",
    );
    const ns = await e2e.cluster.api<KubeObject>("GET", "/api/v1/namespaces/shop-web");
    expect(ns?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("baseline");
  });

  test("1. a second pulumi up reports no changes", async () => {
    const up = await stack.run("up");
    expect(up.ok, explain(up)).toBe(true);
    expectNoChanges(up);
  });

  test("7. pulumi destroy removes everything; the API server holds no platform object", async () => {
    const down = await stack.run("destroy");
    expect(down.ok, explain(down)).toBe(true);
    expect(await stackState(stack)).toEqual([]);
    const left = [...(await snapshot(e2e.cluster.api))].filter((o) => !baseline.has(o));
    expect(left).toEqual([]);
  });
});
