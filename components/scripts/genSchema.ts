/**
 * Regenerates components/schema.json, the component package's schema: the analysis Pulumi's
 * component provider host runs for `pulumi package add` (see components/src/package.ts).
 *
 *   npm run gen:schema            write components/schema.json
 *   npm run gen:schema -- --check exit 1 when the committed file is stale
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { formatSchema, generatePackageSchema, SCHEMA_PATH } from "../src/package";

async function main(): Promise<number> {
  const text = formatSchema(await generatePackageSchema());
  const rel = path.relative(process.cwd(), SCHEMA_PATH);
  if (process.argv.includes("--check")) {
    const committed = existsSync(SCHEMA_PATH) ? readFileSync(SCHEMA_PATH, "utf8") : "";
    if (committed === text) return 0;
    console.error(`${rel} is stale: run \`npm run gen:schema\` and commit it.`);
    return 1;
  }
  writeFileSync(SCHEMA_PATH, text);
  console.log(`wrote ${rel}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // The analyzer names the component, the property and the unsupported type.
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
