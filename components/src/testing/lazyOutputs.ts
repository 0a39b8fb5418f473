/**
 * A typed provider class (`new alicloud.cs.NodePool(...)`) hands the SDK every property of its
 * schema, the outputs as `undefined`, and the SDK makes an `Output` for each one when the
 * resource is constructed (`transferProperties` in @pulumi/pulumi/runtime/rpc.js): four promises,
 * each wrapped by `debuggablePromise` in two more, a dozen closures and four debug strings per
 * property. An ACK node pool has about a hundred properties; a program reads a handful of them.
 * In a 50-cluster offline preview 1,302 of the 43,637 outputs so made were ever read, and the
 * rest were most of the preview's memory at its peak (every resource is constructed before the
 * mock monitor answers the first registration) and much of its garbage collection.
 *
 * `withLazyOutputs(run)` runs `run` with `transferProperties` making each property an accessor
 * that, the first time the property is read, calls the SDK's own function for it on the resource
 * (the same Output, owned by the resource, with the same promises and labels), which sets the
 * plain property the SDK would have set (a property read moves to the end of the resource's own
 * keys). An Output read before the registration is answered is resolved by it as
 * before; one first read after is made and at once resolved with the values the registration
 * gave. A property assigned before it is read holds what was assigned (as it would). The
 * resources registered, their inputs and options are the same; only the microtask turn on which
 * an Output first read late settles differs, so the order in which the mock monitor sees
 * registrations that wait on one can differ.
 *
 * Only under the mock runtime (`MockRuntimeOptions.lazyOutputs`): a real `pulumi up` never
 * loads this module. Restored when `run` settles; overlapping runs restore once, at the last.
 */
import rpc = require("@pulumi/pulumi/runtime/rpc");

type Resolver = (...args: unknown[]) => void;
type Transfer = (onto: object, label: string, props: Record<string, unknown>) => Record<string, Resolver>;

// The SDK's module object, as resource.js sees it (`rpc_1.transferProperties`, looked up at
// each call).
const sdkRpc = rpc as unknown as { transferProperties: Transfer };

function lazily(original: Transfer): Transfer {
  return (onto, label, props) => {
    const resolvers: Record<string, Resolver> = {};
    for (const k of Object.keys(props)) {
      if (k === "id" || k === "urn") continue;
      // The SDK's own check, with its message.
      if (Object.hasOwn(onto, k)) {
        throw new Error(`Property '${k}' is already initialized on target '${label}`);
      }
      let resolve: Resolver | undefined;
      let settled: unknown[] | undefined;
      const input = props[k];
      Object.defineProperty(onto, k, {
        enumerable: true,
        configurable: true,
        get() {
          // The SDK's own function on the resource itself, so the Output's resource (what the
          // dependencies of everything it flows into are made of) is the resource, and the
          // property it sets is the plain one it would have set.
          delete (onto as Record<string, unknown>)[k];
          resolve = original(onto, label, { [k]: input })[k];
          if (settled) resolve?.(...settled);
          return (onto as Record<string, unknown>)[k];
        },
        set(value: unknown) {
          Object.defineProperty(onto, k, { value, writable: true, enumerable: true, configurable: true });
        },
      });
      resolvers[k] = (...args: unknown[]) => {
        if (resolve) resolve(...args);
        else settled = args;
      };
    }
    return resolvers;
  };
}

let active = 0;
let saved: Transfer | undefined;

export async function withLazyOutputs<T>(run: () => Promise<T>): Promise<T> {
  if (active++ === 0) {
    saved = sdkRpc.transferProperties;
    sdkRpc.transferProperties = lazily(saved);
  }
  try {
    return await run();
  } finally {
    if (--active === 0 && saved) {
      sdkRpc.transferProperties = saved;
      saved = undefined;
    }
  }
}
