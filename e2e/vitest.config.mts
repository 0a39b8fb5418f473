import { defineConfig } from "vitest/config";

// The end-to-end suite (`make e2e`, `npm run e2e`): the real Pulumi CLI and engine, the real
// Kubernetes provider and API server, the cloud simulator. Separate from the root config, which
// `make test` runs and which includes tests/** only.
export default defineConfig({
  // The packages themselves load from their built dist/ (as a real program does); a harness
  // constant from an internal module goes through the tests' alias, not a relative path.
  resolve: {
    alias: [
      {
        find: /^@kubeplat\/components\/internal\/(.*)$/,
        replacement: new URL("../components/src/$1", import.meta.url).pathname,
      },
    ],
  },
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["e2e/tests/**/*.e2e.test.ts"],
    pool: "forks",
    // One API server per file, and the machine has 2 cores: files run one after the other.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: ["verbose"],
  },
});
