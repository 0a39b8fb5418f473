/**
 * The offline preview says, per cluster, where `pulumi up` can reach the API server from and who
 * the cluster admits, for every shipped environment.
 */

import { parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { apiReach, renderApiReach } from "../../../stacks/offline/apiReach";
import { main } from "../../../stacks/offline/cli";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

function env(name: string, patch: (doc: Record<string, unknown>) => void = () => {}) {
  const doc = structuredClone(readStackSettings(name).config[ENVIRONMENT_KEY]) as Record<string, unknown>;
  patch(doc);
  const parsed = parseEnvironment(doc, name);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.env;
}

describe("where pulumi up runs", () => {
  it.each(["dev", "staging", "prod", "aws-dev"])(
    "%s: private endpoints, deployed from inside the VPC",
    (name) => {
      const reach = apiReach(env(name));
      expect(reach.length).toBeGreaterThan(0);
      for (const r of reach) {
        expect(r).toMatchObject({ endpoint: "private", deployFrom: "vpc", reachable: true });
        expect(r.reachableFrom[0]).toMatch(/^inside the VPC \(/);
      }
    },
  );

  it("dev: the office VPN is a place pulumi up can run from", () => {
    expect(apiReach(env("dev"))[0]?.reachableFrom).toEqual([
      "inside the VPC (192.168.0.0/16)",
      "connected vpn office-vpn (10.10.0.0/16)",
    ]);
  });

  it("aws-dev: the identity running pulumi up is admitted by default; named deployers when listed", () => {
    expect(apiReach(env("aws-dev"))[0]?.deployer).toContain("the identity running pulumi up");
    const named = env("aws-dev", (d) => {
      (d.access as Record<string, unknown>).deployers = ["arn:aws:iam::111122223333:role/ci"];
    });
    expect(apiReach(named)[0]?.deployer).toBe(
      "arn:aws:iam::111122223333:role/ci (cluster-admin access entries)",
    );
  });

  it("a private endpoint deployed from the internet cannot be reached; a public allow-list can", () => {
    const internet = env("prod", (d) => {
      (d.access as Record<string, unknown>).deployFrom = "internet";
    });
    expect(apiReach(internet)[0]).toMatchObject({ reachable: false });
    expect(renderApiReach(apiReach(internet))).toContain("cannot reach it (security/deployer-access)");
  });

  it("the CLI prints it, --plan-only included", async () => {
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => {
      out.push(String(s));
      return true;
    }) as typeof process.stdout.write;
    try {
      expect(await main(["prod", "--plan-only"])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(out.join("")).toContain("Where pulumi up runs");
    expect(out.join("")).toContain("prod: private endpoint, reachable from inside the VPC (172.16.0.0/12)");
  });
});
