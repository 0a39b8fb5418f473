import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  CONTRACT_VERSION,
  SUPPORTED_CONTRACT_VERSIONS,
} from "@kubeplat/components/internal/platform/contract";
import { describe, expect, it } from "vitest";
import {
  addedFields,
  breakingChanges,
  contractShape,
  SHAPES_PATH,
  type Shape,
} from "../../../components/scripts/contractShape";
import type { PackageSchema } from "../../../components/scripts/docs";

const schema = JSON.parse(
  readFileSync(resolve(__dirname, "../../../components/schema.json"), "utf8"),
) as PackageSchema;
const current = contractShape(schema);
const shapes: Record<string, Shape> = existsSync(SHAPES_PATH)
  ? JSON.parse(readFileSync(SHAPES_PATH, "utf8"))
  : {};
const UPDATE = "UPDATE_CONTRACT_SHAPE=1 npx vitest run tests/components/platform/contractVersion.test.ts";

describe("the output contract's version (CHANGELOG.md: Output contract versions)", () => {
  it("records the shape of the version this library writes", () => {
    if (process.env.UPDATE_CONTRACT_SHAPE && !shapes[CONTRACT_VERSION]) {
      shapes[CONTRACT_VERSION] = current;
      writeFileSync(SHAPES_PATH, `${JSON.stringify(shapes, null, 2)}\n`);
    }
    expect(
      shapes[CONTRACT_VERSION],
      `no recorded shape for contract version ${CONTRACT_VERSION}: run ${UPDATE}`,
    ).toBeDefined();
  });

  it("changes version when a contract field is removed, changes type or becomes optional", () => {
    const recorded = shapes[CONTRACT_VERSION] ?? {};
    const broken = breakingChanges(recorded, current);
    expect(
      broken,
      `the contract changed incompatibly within version ${CONTRACT_VERSION}: bump CONTRACT_VERSION in components/src/platform/contract.ts, add it to SUPPORTED_CONTRACT_VERSIONS, note it in CHANGELOG.md, then run ${UPDATE}`,
    ).toEqual([]);
  });

  it("records fields added within the version, so a later removal is caught", () => {
    const recorded = shapes[CONTRACT_VERSION] ?? {};
    const added = addedFields(recorded, current);
    if (
      process.env.UPDATE_CONTRACT_SHAPE &&
      added.length > 0 &&
      breakingChanges(recorded, current).length === 0
    ) {
      shapes[CONTRACT_VERSION] = current;
      writeFileSync(SHAPES_PATH, `${JSON.stringify(shapes, null, 2)}\n`);
      return;
    }
    expect(added, `new contract fields: record them with ${UPDATE}`).toEqual([]);
  });

  it("every recorded version is one PlatformReference can read", () => {
    for (const v of Object.keys(shapes)) expect(SUPPORTED_CONTRACT_VERSIONS).toContain(v);
  });

  it("the check fails on a removed field, a changed type and a field made optional", () => {
    const mutated: Shape = { ...current };
    delete mutated["clusters.*.endpoint"];
    mutated["vpc.id"] = "number";
    mutated["clusters.*.serviceCidr"] = "string?";
    expect(breakingChanges(current, mutated)).toEqual([
      "clusters.*.endpoint (string) was removed",
      "clusters.*.serviceCidr changed from string to string?",
      "vpc.id changed from string to number",
    ]);
    expect(breakingChanges(current, { ...current, "clusters.*.newField": "string?" })).toEqual([]);
  });

  it("covers the fields other teams read", () => {
    for (const f of [
      "contractVersion",
      "vpc.id",
      "vswitches.*.cidr",
      "clusters.*.ingressClasses",
      "kubeconfigs.*",
    ])
      expect(Object.keys(current)).toContain(f);
  });
});
