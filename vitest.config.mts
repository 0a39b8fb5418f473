import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Tests and the offline preview run the TypeScript sources of the workspace packages, so `make
 * test` needs no build step (real `pulumi up` runs use the built dist/). Every entry a package
 * declares with a `source` condition in its package.json `exports` becomes an alias here, so
 * the package.json stays the one list of entries (tsc reads the same condition, tsx gets it
 * with --conditions=source). `@kubeplat/components/internal/<path>` is not a package entry (the
 * published package does not export its internal modules): it is an alias for tests only, here
 * and in the root tsconfig.json `paths`.
 */
function sourceAliases(dir: string, name: string) {
  const pkg = JSON.parse(readFileSync(src(`./${dir}/package.json`), "utf8")) as {
    exports: Record<string, string | { source?: string }>;
  };
  return Object.entries(pkg.exports).flatMap(([sub, target]) => {
    const source = typeof target === "object" ? target.source : undefined;
    if (source === undefined) return [];
    const spec = `${name}${sub.slice(1)}`.replace(/[.*+?^${}()|[\]\\/]/g, (c) =>
      c === "*" ? "(.*)" : `\\${c}`,
    );
    return [
      { find: new RegExp(`^${spec}$`), replacement: src(`./${dir}/${source.slice(2).replace("*", "$1")}`) },
    ];
  });
}

export default defineConfig({
  resolve: {
    alias: [
      ...sourceAliases("plan", "@kubeplat/plan"),
      ...sourceAliases("components", "@kubeplat/components"),
      ...sourceAliases("policy", "@kubeplat/policy"),
      { find: /^@kubeplat\/components\/internal\/(.*)$/, replacement: src("./components/src/$1") },
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/support/fastCheckSetup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
