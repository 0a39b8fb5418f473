/**
 * ACK cluster upgrade settings (issue 16): the maintenance window and the cluster auto upgrade
 * channel reach `alicloud.cs.ManagedKubernetes` as the provider spells them; managed pools'
 * auto upgrade and auto repair reach `management`; EKS refuses both cluster settings (it has no
 * control plane maintenance window); auto upgrade needs a window; shipped environments keep
 * neither (default off).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { previewEnvironment } from "../../../stacks/offline/preview";
import { stackFile } from "../../../stacks/offline/stackConfig";

const TODAY = "2026-11-28";
const ACK = "alicloud:cs/managedKubernetes:ManagedKubernetes";

function withCluster(env: string, edit: (cluster: Record<string, unknown>) => void): string {
  const doc = parse(readFileSync(stackFile(env), "utf8"));
  edit(doc.config["platform:environment"].clusters[0]);
  const dir = mkdtempSync(join(tmpdir(), `settings-${env}-`));
  writeFileSync(stackFile(env, dir), stringify(doc));
  return dir;
}

const refused = (r: Awaited<ReturnType<typeof previewEnvironment>>) =>
  r.diagnostics.filter((d) => d.severity === "mandatory").map((d) => [d.rule, d.path]);

describe("ACK upgrade settings", () => {
  it("reach the cluster and the managed pool as the provider spells them", async () => {
    const dir = withCluster("staging", (c) => {
      c.maintenanceWindow = { start: "2026-12-03T02:00:00.000+08:00", weekdays: ["Tuesday", "Thursday"] };
      c.autoUpgrade = { channel: "patch" };
      const pools = c.nodePools as Record<string, unknown>[];
      pools[0] = { ...pools[0], update: { maxUnavailable: 2, autoUpgrade: false, autoRepair: true } };
    });
    const r = await previewEnvironment("staging", { dir, today: TODAY });
    expect(refused(r)).toEqual([]);
    const cluster = r.resources.find((x) => x.type === ACK)?.inputs;
    expect(cluster?.maintenanceWindow).toEqual({
      enable: true,
      maintenanceTime: "2026-12-03T02:00:00.000+08:00",
      duration: "3h",
      weeklyPeriod: "Tuesday,Thursday",
    });
    expect(cluster?.operationPolicy).toEqual({ clusterAutoUpgrade: { enabled: true, channel: "patch" } });
    const pool = r.resources.find((x) => x.name === "staging-staging-general-pool")?.inputs;
    expect(pool?.management).toMatchObject({
      enable: true,
      autoUpgrade: false,
      autoRepair: true,
      maxUnavailable: 2,
    });
  });

  it("are off unless stated: the shipped staging sends neither", async () => {
    const r = await previewEnvironment("staging", { today: TODAY });
    const cluster = r.resources.find((x) => x.type === ACK)?.inputs;
    expect(cluster?.maintenanceWindow).toBeUndefined();
    expect(cluster?.operationPolicy).toBeUndefined();
  });

  it("auto upgrade without a maintenance window, or a malformed window, is refused at its spec path", async () => {
    const noWindow = await previewEnvironment("staging", {
      dir: withCluster("staging", (c) => {
        c.autoUpgrade = { channel: "stable" };
      }),
      today: TODAY,
    });
    expect(refused(noWindow)).toEqual([["spec/schema", "clusters[0].autoUpgrade"]]);
    const badTime = await previewEnvironment("staging", {
      dir: withCluster("staging", (c) => {
        c.maintenanceWindow = { start: "Thursday 2am", duration: "30h" };
      }),
      today: TODAY,
    });
    expect(
      refused(badTime)
        .map((x) => x[1])
        .sort(),
    ).toEqual(["clusters[0].maintenanceWindow.duration", "clusters[0].maintenanceWindow.start"]);
  });

  it("EKS has no control plane maintenance window or auto upgrade channel: refused", async () => {
    const r = await previewEnvironment("aws-dev", {
      dir: withCluster("aws-dev", (c) => {
        c.maintenanceWindow = { start: "2026-12-03T02:00:00Z" };
        c.autoUpgrade = { channel: "patch" };
        const pools = c.nodePools as Record<string, unknown>[];
        pools[0] = { ...pools[0], update: { autoUpgrade: true } };
      }),
      today: TODAY,
    });
    expect(refused(r).sort()).toEqual([
      ["spec/schema", "clusters[0].autoUpgrade"],
      ["spec/schema", "clusters[0].maintenanceWindow"],
      ["spec/schema", "clusters[0].nodePools[0].update.autoUpgrade"],
    ]);
  });
});
