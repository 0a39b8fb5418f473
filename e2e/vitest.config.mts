import { defineConfig } from "vitest/config";

// The end-to-end suite: real Pulumi CLI and toolchain from e2e/tools/build.sh (`make e2e`).
export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["e2e/tests/**/*.e2e.test.ts"],
    pool: "forks",
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
