import { ACK_CLUSTER_SPEC, ackClusterSpec, ackEdition } from "@kubeplat/plan/facts";
import { describe, expect, it } from "vitest";

describe("ACK edition encoding", () => {
  it("decodes every edition from the clusterSpec the component registers for it", () => {
    for (const edition of Object.keys(ACK_CLUSTER_SPEC) as (keyof typeof ACK_CLUSTER_SPEC)[]) {
      expect(ackEdition({ clusterSpec: ackClusterSpec(edition) })).toBe(edition);
    }
  });

  it("reads any Pro size as pro, and an unknown or foreign spec as unknown", () => {
    expect(ackEdition({ clusterSpec: "ack.pro.medium" })).toBe("pro");
    expect(ackEdition({})).toBeUndefined();
    expect(ackEdition({ clusterSpec: "ask.serverless" })).toBeUndefined();
  });
});
