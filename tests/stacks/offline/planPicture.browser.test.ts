import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkEnvironment, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { renderPlanHtml } from "../../../stacks/offline/planPicture";
import { ENVIRONMENT_KEY, listEnvironments, readStackSettings } from "../../../stacks/offline/stackConfig";
import { checkLayout, screenshot } from "../../support/browser";

function page(spec: unknown): string {
  const parsed = parseEnvironment(spec);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const { plan, diagnostics } = checkEnvironment(parsed.env);
  return renderPlanHtml(parsed.env, plan, diagnostics, []);
}

/** Many narrow vSwitches side by side: every CIDR label must go below its block, without collisions. */
const crowded = {
  name: "crowded",
  cloud: "alicloud",
  region: "cn-hangzhou",
  zones: ["cn-hangzhou-g", "cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"],
  vpc: { cidr: "10.0.0.0/8", layout: { clusterPrefix: 10, zonePrefix: 12, nodePrefix: 22, podPrefix: 21 } },
  clusters: [
    {
      name: "a",
      cni: "terway",
      nodePools: [{ name: "p", minSize: 1, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"] }],
    },
    {
      name: "b",
      cni: "flannel",
      nodePools: [{ name: "p", minSize: 1, maxSize: 3, instanceTypes: ["ecs.g7.xlarge"] }],
    },
  ],
};

describe("the plan picture in a real browser (chromium, headless)", () => {
  const envs = listEnvironments();
  it.each(envs)("%s: no label overlaps another, is clipped, or sticks out of its block", (env) => {
    const html = page(readStackSettings(env).config[ENVIRONMENT_KEY]);
    const r = checkLayout(html);
    expect(r.labels).toBeGreaterThan(5);
    expect(r.problems).toEqual([]);
  });

  it("crowded vSwitches: CIDR labels below the blocks, none overlapping", () => {
    const html = page(crowded);
    // Every node and pod vSwitch is labelled with its CIDR, in the page, not only in a tooltip.
    for (const cidr of html.match(/(?<=<title>(?:node|pod) )[0-9./]+(?=:)/g) ?? [])
      expect(html).toMatch(new RegExp(`<text[^>]*>(?:node |pod )?${cidr.replace(/\./g, "\\.")}</text>`));
    expect(html).toContain('class="callout"');
    const r = checkLayout(html);
    expect(r.problems).toEqual([]);
  });

  it("the check fails on overlapping labels (it can fail)", () => {
    const bad = page(crowded).replace(
      "</svg>",
      '<text x="10" y="12" class="zone">overlapping label</text><text x="12" y="12" class="zone">another one</text></svg>',
    );
    const kinds = checkLayout(bad).problems.map((p) => p.kind);
    expect(kinds).toContain("overlap");
  });

  it("the check fails on clipped labels", () => {
    const bad = page(crowded).replace(
      "</svg>",
      '<text x="950" y="12" class="zone">cut off at the edge</text></svg>',
    );
    expect(checkLayout(bad).problems.map((p) => p.kind)).toContain("clipped");
  });

  it("takes a screenshot of prod's page", () => {
    const png = join(mkdtempSync(join(tmpdir(), "plan-shot-")), "prod.png");
    screenshot(page(readStackSettings("prod").config[ENVIRONMENT_KEY]), png);
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });
});
