import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests and the offline preview run the TypeScript sources of the workspace packages,
    // so `make test` needs no build step. Real `pulumi up` runs use the built dist/.
    alias: [
      { find: /^@kubeplat\/components\/plan$/, replacement: src("./components/src/plan/index.ts") },
      { find: /^@kubeplat\/components$/, replacement: src("./components/src/index.ts") },
    ],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/support/fast-check-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
