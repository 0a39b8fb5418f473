import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { RULE_DOCS, RULES } from "@kubeplat/plan";
import { describe, expect, it } from "vitest";
import { COMPONENT_DOCS_DIR, defaultOf, RULES_DOC, undocumentedRules } from "../../components/scripts/docs";
import { generatedDocs } from "../../components/scripts/genDocs";

describe("docs/RULES.md, the rule catalogue", () => {
  it("documents every rule id of the catalogue: checks, why, fix and at least one source", () => {
    expect(undocumentedRules()).toEqual([]);
  });

  it("has a section for every rule id, with its severity", () => {
    const text = readFileSync(RULES_DOC, "utf8");
    for (const id of Object.keys(RULES)) expect(text, id).toContain(`### ${id}\n`);
  });

  it("cites public pages by title, never a private document or a line number", () => {
    for (const [id, d] of Object.entries(RULE_DOCS)) {
      for (const s of d.sources) {
        expect(s.title, id).not.toMatch(/\d{3}:\d/);
        expect(s.title.length, id).toBeGreaterThan(5);
      }
    }
  });

  it("a rule without documentation fails the check", () => {
    const id = "cidr/invalid";
    const saved = RULE_DOCS[id];
    try {
      delete (RULE_DOCS as Record<string, unknown>)[id];
      expect(undocumentedRules()).toEqual(["cidr/invalid"]);
    } finally {
      RULE_DOCS[id] = saved;
    }
  });
});

describe("generated docs are up to date (npm run gen:docs)", () => {
  const files = generatedDocs();
  for (const [file, text] of files) {
    it(path.relative(path.resolve(__dirname, "../.."), file), () => {
      expect(existsSync(file), `${file} is missing: run \`npm run gen:docs\``).toBe(true);
      // A plain equality: the diff shows what changed; the fix is `npm run gen:docs`.
      expect(readFileSync(file, "utf8"), "stale: run `npm run gen:docs` and commit it").toBe(text);
    });
  }

  it("docs/components holds no page for a component that no longer exists", () => {
    const committed = readdirSync(COMPONENT_DOCS_DIR).map((f) => path.join(COMPONENT_DOCS_DIR, f));
    expect(committed.filter((f) => !files.has(f))).toEqual([]);
  });

  it("every public component has a page with its inputs and outputs", () => {
    const schema = JSON.parse(readFileSync(path.resolve(__dirname, "../../components/schema.json"), "utf8"));
    for (const token of Object.keys(schema.resources)) {
      const name = token.split(":").pop() as string;
      const page = files.get(path.join(COMPONENT_DOCS_DIR, `${name}.md`));
      expect(page, name).toBeDefined();
      expect(page).toContain("## Inputs");
      expect(page).toContain("## Outputs");
      for (const input of Object.keys(schema.resources[token].inputProperties ?? {}))
        expect(page, `${name}.${input}`).toContain(`| \`${input}\` |`);
    }
  });
});

describe("defaultOf: the default a doc comment states", () => {
  it.each([
    ["Max pods. Default 110.", "110"],
    ["System disk. Default: cloud_essd, 120 GiB, encrypted.", "cloud_essd, 120 GiB, encrypted"],
    ["The cluster's CNI. Default `terway`.", "`terway`"],
    ["A field without one.", undefined],
    ["Defaults to nothing but mentions Defaulting", undefined],
  ])("%s", (text, expected) => {
    expect(defaultOf(text)).toBe(expected);
  });
});
