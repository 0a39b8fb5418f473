/**
 * Run by lazySdks.test.ts in a process of its own (tsx, the `source` condition), as the offline
 * preview runs: previews one environment of stacks/ and prints one JSON line, the registered
 * resources' count and the `@pulumi/*` packages the process loaded (from `require.cache`).
 */
import { failed, previewEnvironment } from "../../../stacks/offline/preview";

const env = process.argv[2] ?? "dev";
previewEnvironment(env).then(
  (r) => {
    const packages = new Set<string>();
    for (const file of Object.keys(require.cache)) {
      const m = /[\\/]node_modules[\\/](@pulumi[\\/][^\\/]+)[\\/]/.exec(file);
      if (m) packages.add((m[1] as string).replace("\\", "/"));
    }
    process.stdout.write(
      `${JSON.stringify({ resources: r.resources.length, failed: failed(r), packages: [...packages].sort() })}\n`,
    );
  },
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
