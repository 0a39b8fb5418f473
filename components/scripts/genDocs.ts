/**
 * Regenerates the product docs: `docs/RULES.md` (the rule catalogue) and `docs/components/*.md`
 * (one page per public component, from `components/schema.json`).
 *
 *   npm run gen:docs              write them
 *   npm run gen:docs -- --check   exit 1 when a committed file is stale, missing or extra
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SCHEMA_PATH } from "../src/package";
import {
  COMPONENT_DOCS_DIR,
  type PackageSchema,
  RULES_DOC,
  renderComponentDocs,
  renderRulesDoc,
  undocumentedRules,
} from "./docs";

/** Every generated file by absolute path. */
export function generatedDocs(): Map<string, string> {
  const files = new Map<string, string>([[RULES_DOC, renderRulesDoc()]]);
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as PackageSchema;
  for (const [name, text] of renderComponentDocs(schema))
    files.set(path.join(COMPONENT_DOCS_DIR, name), text);
  return files;
}

function main(): number {
  const missing = undocumentedRules();
  if (missing.length > 0) {
    console.error(`rules without documentation in plan/src/ruleDocs.ts: ${missing.join(", ")}`);
    return 1;
  }
  const files = generatedDocs();
  const extra = existsSync(COMPONENT_DOCS_DIR)
    ? readdirSync(COMPONENT_DOCS_DIR)
        .map((f) => path.join(COMPONENT_DOCS_DIR, f))
        .filter((f) => !files.has(f))
    : [];
  const rel = (f: string) => path.relative(process.cwd(), f);
  if (process.argv.includes("--check")) {
    const stale = [...files]
      .filter(([f, text]) => !existsSync(f) || readFileSync(f, "utf8") !== text)
      .map(([f]) => f);
    if (stale.length === 0 && extra.length === 0) return 0;
    for (const f of stale) console.error(`${rel(f)} is stale`);
    for (const f of extra) console.error(`${rel(f)} is no longer generated`);
    console.error("run `npm run gen:docs` and commit the result.");
    return 1;
  }
  mkdirSync(COMPONENT_DOCS_DIR, { recursive: true });
  for (const f of extra) rmSync(f);
  for (const [f, text] of files) writeFileSync(f, text);
  console.log(`wrote ${files.size} files under ${rel(path.dirname(RULES_DOC))}`);
  return 0;
}

if (require.main === module) process.exit(main());
