/**
 * Regenerates components/src/platform/environmentSpec.ts, the environment spec's published
 * TypeScript types (interfaces and const-object enums with their doc comments), from the zod
 * schema in plan/src/spec.ts. Run it before `gen:schema`, which reads these types.
 *
 *   npm run gen:spec-types            write the file
 *   npm run gen:spec-types -- --check exit 1 when the committed file is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { renderSpecTypes } from "./specCodegen";

export const SPEC_TYPES_PATH = path.resolve(__dirname, "../src/platform/environmentSpec.ts");

function main(): number {
  const text = renderSpecTypes();
  const rel = path.relative(process.cwd(), SPEC_TYPES_PATH);
  if (process.argv.includes("--check")) {
    const committed = existsSync(SPEC_TYPES_PATH) ? readFileSync(SPEC_TYPES_PATH, "utf8") : "";
    if (committed === text) return 0;
    console.error(
      `${rel} is stale: run \`npm run gen:spec-types\` (then \`npm run gen:schema\`) and commit both.`,
    );
    return 1;
  }
  writeFileSync(SPEC_TYPES_PATH, text);
  console.log(`wrote ${rel}`);
  return 0;
}

process.exit(main());
