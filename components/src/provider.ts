/**
 * The component package's host: `plugin.js` (package.json `main`) starts it when Pulumi's Node.js
 * language host runs the package for a program in any language (`pulumi package add`, then
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
