/**
 * The spec's published types are generated from its zod schema: the committed
 * components/src/platform/environmentSpec.ts is exactly what the generator writes, and every
 * spec enum is declared once (the components import the generated ones).
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_HEADER, renderSpecTypes } from "../../../components/scripts/specCodegen";

const FILE = path.resolve(__dirname, "../../../components/src/platform/environmentSpec.ts");
const SRC = path.resolve(__dirname, "../../../components/src");

describe("environmentSpec.ts, generated from the zod schema", () => {
  const text = renderSpecTypes();

  it("is committed as generated (run `npm run gen:spec-types`, then `npm run gen:schema`)", () => {
    expect(text.startsWith(GENERATED_HEADER)).toBe(true);
    expect(readFileSync(FILE, "utf8") === text, "environmentSpec.ts is stale: npm run gen:spec-types").toBe(
      true,
    );
  });

  it("declares each spec enum once in the sources, as a const object with its type", () => {
    const sources = (readdirSync(SRC, { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(path.join(SRC, f), "utf8"));
    const enums = [...text.matchAll(/^export const (\w+) = \{/gm)].map((m) => m[1] as string);
    expect(enums).toEqual(
      expect.arrayContaining(["CloudName", "ClusterCni", "AckEdition", "ContainerRuntime", "TaintEffect"]),
    );
    for (const name of enums) {
      const count = sources.reduce(
        (n, s) => n + (s.match(new RegExp(`^export const ${name} = \\{`, "gm"))?.length ?? 0),
        0,
      );
      expect(count, name).toBe(1);
      expect(text).toContain(`export type ${name} = (typeof ${name})[keyof typeof ${name}];`);
    }
  });

  it("documents every field from .describe() and .default()", () => {
    expect(text).toMatch(/\/\*\* Most nodes\. \*\/\n {2}maxSize: number;/);
    expect(text).toMatch(/\/\*\* Default `other`\. \*\/\n {2}kind\?: ConnectedRangeKind;/);
    expect(text).toMatch(
      / {2}\/\*\* Alibaba Cloud ContainerOS \(ACK Pro managed pools\)\. \*\/\n {2}ContainerOs: "containeros",/,
    );
  });
});
