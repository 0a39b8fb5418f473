/**
 * Pulumi's mock runtime (`pulumi.runtime.setMocks`) with a recorder around it: the real SDKs
 * and our components run in-process, no engine, no cloud. Every registered resource is kept
 * with its inputs and the options the engine would see (parent, protect, aliases,
 * replaceOnChanges, ignoreChanges). The offline preview and the component tests both use it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";
// waitForRPCs is marked internal in the SDK's docs but is what `pulumi.runtime.disconnect`
// awaits; it is the only way to know that every registration of a program has been served.
import * as settings from "@pulumi/pulumi/runtime/settings";
import { withLazyOutputs } from "./lazyOutputs";
import { withoutSdkStackTraces } from "./sdkStackTraces";

export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** Inputs as the provider would receive them (secrets unwrapped). */
  inputs: Record<string, unknown>;
  /** State the mock answered with (inputs plus mocked outputs). */
  state: Record<string, unknown>;
  custom: boolean;
  parent?: string;
  provider?: string;
  protect: boolean;
  aliases: string[];
  replaceOnChanges: string[];
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  /** `retainOnDelete`: the engine forgets the resource instead of deleting it. */
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  /** URNs the resource waits for (dependsOn and the resources its inputs came from), as the engine records them. */
  dependencies: string[];
}

export interface MockRuntimeOptions {
  project?: string;
  stack?: string;
  /** `pulumi preview` (true, the default) or `pulumi up` (false): outputs unknown in preview stay unknown. */
  preview?: boolean;
  /** Stack configuration, keyed `namespace:key`; objects are passed as structured (JSON) config. */
  config?: Record<string, unknown>;
  /** Extra mocked outputs for a resource, merged over its inputs. */
  state?: (args: MockResourceArgs) => Record<string, unknown> | undefined;
  /** Results of provider functions (invokes); default: the call's inputs. */
  call?: (args: MockCallArgs) => Record<string, unknown> | undefined;
  /**
   * false: while `run` registers the program, the SDK makes no stack traces of its own (no
   * source positions for resources, none for its internal promises) and Node translates no
   * stack through source maps; see `withoutSdkStackTraces`. The mock monitor reads none of them;
   * errors the program throws still point at its source. Default true: stacks as the SDK makes
   * them.
   */
  sdkStackTraces?: boolean;
  /**
   * true: while `run` registers the program, the SDK makes the Output of a resource property
   * when the property is first read instead of when the resource is constructed; see
   * `withLazyOutputs`. The same resources, inputs and options are registered. Default false.
   */
  lazyOutputs?: boolean;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getProtect(): boolean;
  getAliasesList?(): { getUrn?(): string; getSpec?(): { getName(): string } | undefined }[];
  getAliasurnsList?(): string[];
  getReplaceonchangesList(): string[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getRetainondelete?(): boolean | undefined;
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList?(): string[];
}

interface Monitor {
  registerResource(req: RegisterRequest, cb: unknown): Promise<void>;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

export class MockRuntime {
  readonly resources: RecordedResource[] = [];
  constructor(private readonly options: Pick<MockRuntimeOptions, "sdkStackTraces" | "lazyOutputs"> = {}) {}
  private readonly pending = new Map<string, Omit<RecordedResource, "urn" | "inputs" | "state">>();

  /** Wait until every registration the program started has been served. */
  async settle(): Promise<void> {
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  }

  /** Run a Pulumi program (as the stack's root) and wait for all its registrations. */
  async run<T extends Record<string, unknown> | undefined>(
    program: () => Promise<T> | T,
  ): Promise<Record<string, unknown>> {
    // A program's record may hold optional outputs that are absent (`ostreeCommit` of a
    // non-ostree image). The engine leaves an undefined top-level value out of the stack
    // outputs anyway, with a warning per key; leave it out here first, knowingly, so the same
    // result comes without the noise.
    const registerAll = async () => {
      const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        const result = await program();
        if (result === undefined) return undefined;
        const kept: [string, unknown][] = [];
        for (const [k, v] of Object.entries(result)) {
          if (await definedValue(v)) kept.push([k, v]);
        }
        return Object.fromEntries(kept) as T;
      });
      await this.settle();
      return (outputs ?? {}) as Record<string, unknown>;
    };
    const lazy = this.options.lazyOutputs === true ? () => withLazyOutputs(registerAll) : registerAll;
    return this.options.sdkStackTraces === false ? withoutSdkStackTraces(lazy) : lazy();
  }

  byType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  one(type: string, name?: string): RecordedResource {
    const found = this.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    if (found.length !== 1) {
      throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    }
    return found[0] as RecordedResource;
  }

  /** URNs of every resource, sorted: the list tests pin. */
  urns(): string[] {
    return this.resources.map((r) => r.urn).sort();
  }

  /** @internal */
  noteRequest(req: RegisterRequest): void {
    const aliases = [
      ...(req.getAliasurnsList?.() ?? []),
      ...(req.getAliasesList?.() ?? [])
        .map((a) => a.getUrn?.() || a.getSpec?.()?.getName() || "")
        .filter(Boolean),
    ];
    this.pending.set(`${req.getType()}::${req.getName()}::${req.getParent()}`, {
      type: req.getType(),
      name: req.getName(),
      custom: req.getCustom(),
      parent: req.getParent() || undefined,
      provider: req.getProvider() || undefined,
      protect: req.getProtect(),
      aliases,
      replaceOnChanges: req.getReplaceonchangesList(),
      ignoreChanges: req.getIgnorechangesList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      retainOnDelete: req.getRetainondelete?.() ?? false,
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      dependencies: req.getDependenciesList?.() ?? [],
    });
  }

  /** @internal */
  noteRegistered(
    req: RegisterRequest,
    urn: string,
    inputs: Record<string, unknown>,
    state: Record<string, unknown>,
  ): void {
    const key = `${req.getType()}::${req.getName()}::${req.getParent()}`;
    const meta = this.pending.get(key);
    this.pending.delete(key);
    if (meta) this.resources.push({ ...meta, urn, inputs, state });
  }
}

/**
 * Install the mock runtime and return its recorder. Call once per process (a test file, the
 * preview CLI) before any resource is constructed.
 */
export async function startMockRuntime(options: MockRuntimeOptions = {}): Promise<MockRuntime> {
  const runtime = new MockRuntime({
    sdkStackTraces: options.sdkStackTraces,
    lazyOutputs: options.lazyOutputs,
  });
  const project = options.project ?? "platform";
  const stack = options.stack ?? "dev";
  const lastInputs = new Map<string, Record<string, unknown>>();
  if (options.config) {
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.config))
      flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    pulumi.runtime.setAllConfig(flat);
  }
  await pulumi.runtime.setMocks(
    {
      newResource(args: MockResourceArgs) {
        const extra = options.state?.(args) ?? {};
        const state = { ...args.inputs, ...extra };
        lastInputs.set(`${args.type}::${args.name}`, args.inputs);
        return { id: args.id || `${args.name}-id`, state };
      },
      call(args: MockCallArgs) {
        return options.call?.(args) ?? args.inputs;
      },
    },
    project,
    stack,
    options.preview ?? true,
  );
  const monitor = settings.getMonitor() as unknown as Monitor;
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = async (req: RegisterRequest, callback: unknown) => {
    runtime.noteRequest(req);
    const cb = callback as (
      err: unknown,
      res: { getUrn(): string; getObject(): { toJavaScript(): unknown } } | undefined,
    ) => void;
    return original(
      req,
      (err: unknown, res: { getUrn(): string; getObject(): { toJavaScript(): unknown } } | undefined) => {
        if (!err && res) {
          const inputs = lastInputs.get(`${req.getType()}::${req.getName()}`) ?? {};
          const state = (res.getObject().toJavaScript() ?? {}) as Record<string, unknown>;
          runtime.noteRegistered(req, res.getUrn(), inputs, state);
        }
        cb(err, res);
      },
    );
  };
  return runtime;
}

/** The value of an Output, for tests and the preview (undefined when unknown in preview). */
/**
 * Whether a stack output value is defined: false only for `undefined` or a known Output of
 * `undefined` (an unknown Output counts as defined: the engine keeps it).
 */
async function definedValue(v: unknown): Promise<boolean> {
  if (v === undefined) return false;
  if (!pulumi.Output.isInstance(v)) return true;
  // OutputImpl's own promises (not in the public typings): known-ness first, so an unknown
  // value is never awaited.
  const o = v as unknown as { isKnown: Promise<boolean>; promise(withUnknowns?: boolean): Promise<unknown> };
  if (!(await o.isKnown)) return true;
  return (await o.promise()) !== undefined;
}

export function resolveOutput<T>(o: pulumi.Input<T> | pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) =>
    pulumi.output(o).apply((v) => {
      resolve(v as T);
      return v;
    }),
  );
}

/** Whether an Output is marked secret. */
export function isSecretOutput(o: pulumi.Output<unknown>): Promise<boolean> {
  return pulumi.isSecret(o);
}
