/**
 * Replacement safety, production: the `prod` environment's stateful resources are `protect`ed,
 * and the engine refuses to delete them. (ACK's ALB Ingress add-on installs the AlbConfig CRD in
 * the cluster; the harness installs the same CRD first, as the add-on would.)
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type E2E, engineUrns, offlinePreview, type PlatformStack, REPO, startE2E } from "../harness";
import { explain, stackState } from "../harness/checks";
import { installAlbConfigCrd } from "../harness/crds";

let e2e: E2E;
let prod: PlatformStack;

beforeAll(async () => {
  e2e = await startE2E();
  prod = e2e.platformStack("prod");
  await installAlbConfigCrd(e2e.cluster.api);
});

afterAll(async () => {
  await e2e?.stop();
});

describe("prod: protected resources", () => {
  test("3. pulumi destroy of prod is refused for every protected resource", async () => {
    const up = await prod.run("up");
    expect(up.ok, explain(up)).toBe(true);
    const before = await stackState(prod);
    const protectedUrns = before.filter((r) => r.protect).map((r) => r.urn);
    // The engine's protect flags are the ones the offline preview shows (URNs in the engine's form).
    const { report } = await offlinePreview("prod", join(REPO, "stacks"));
    const engine = engineUrns(report);
    expect(protectedUrns.sort()).toEqual(
      report.resources.flatMap((r, i) => (r.protect ? [engine[i]] : [])).sort(),
    );
    expect(protectedUrns.some((u) => u.includes("cs/managedKubernetes:ManagedKubernetes"))).toBe(true);

    const down = await prod.run("destroy");
    expect(down.ok).toBe(false);
    expect(explain(down)).toMatch(/protected/);
    const after = new Set((await stackState(prod)).map((r) => r.urn));
    expect(protectedUrns.filter((u) => !after.has(u))).toEqual([]);
  });
});
