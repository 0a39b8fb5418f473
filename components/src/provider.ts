/**
 * The component package's entry point: `package.json` `main`. The Pulumi Node.js language host
 * runs it when a program in any language uses the package (`pulumi package add`, then
 * `pulumi up`); it serves the schema of the components in `package.ts` and constructs them.
 *
 * It starts a gRPC server when loaded, so nothing imports it: the library is `index.ts`.
 */
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { packageOptions } from "./package";

componentProviderHost(packageOptions()).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
