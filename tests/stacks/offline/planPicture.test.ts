import { checkEnvironment, parseEnvironment } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { escapeHtml, renderPlanHtml } from "../../../stacks/offline/planPicture";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

function page(env: string): string {
  const parsed = parseEnvironment(readStackSettings(env).config[ENVIRONMENT_KEY]);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const { plan, diagnostics } = checkEnvironment(parsed.env);
  return renderPlanHtml(parsed.env, plan, diagnostics);
}

describe("address plan picture", () => {
  it("draws prod's cluster slots, zone slots and vSwitches to scale (snapshot)", async () => {
    const html = page("prod");
    await expect(html).toMatchFileSnapshot("__snapshots__/prod-plan.html");
    // Self-contained: no scripts, no external resources.
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    // Zone slot cn-hangzhou-i (172.16.0.0/16): the node /18 starts at its left edge, the pod /17
    // fills the second half.
    expect(html).toContain('<rect x="0.0" y="18" width="60.0" height="40" fill="#2f7ed8"');
    expect(html).toContain('<rect x="120.0" y="18" width="120.0" height="40" fill="#8bbc21"');
    expect(html).toContain("free 172.20.0.0/14");
  });

  it("escapes every spec-provided string", () => {
    expect(escapeHtml(`<x a="1">&'`)).toBe("&lt;x a=&quot;1&quot;&gt;&amp;&#39;");
  });
});
