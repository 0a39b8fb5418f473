/**
 * The pack, evaluated in-process: every policy's validateResource / validateStack is called
 * with arguments shaped as `@pulumi/policy`'s analyzer server builds them
 * (node_modules/@pulumi/policy/server.js: props behind `unknownCheckingProxy`, `getConfig`
 * returning the policy's config without `enforcementLevel`, enforcement resolved from the
 * policy config, `remediate` reported as mandatory, `disabled` skipped), and every
 * `reportViolation` call comes back as a Diagnostic. The offline preview and the benchmark use
 * it, so what a reviewer sees offline is what CrossGuard reports on `pulumi preview`.
 */
import type { Diagnostic, Severity } from "@kubeplat/plan";
import {
  type EnforcementLevel,
  type Policies,
  type PolicyPackConfig,
  type PolicyProviderResource,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidationArgs,
  UnknownValueError,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { appliesTo, parseViolationMessage, ruleOfPolicy } from "./define";
import { policies as packPolicies } from "./policies";

/** A resource of the stack as the engine knows it. */
export interface EvaluatedResource {
  type: string;
  name: string;
  /** Default: `urn:pulumi:<stackName>::<project>::<type>::<name>`. */
  urn?: string;
  /** Inputs (resource policies) and outputs (stack policies) alike; unknown values as Pulumi's sentinels or absent. */
  props: Record<string, unknown>;
  /** The provider id, when known (mock runtime): references to it become property dependencies. */
  id?: string;
  parent?: string;
  /** URN of its provider resource (a Kubernetes provider stands for one cluster). */
  provider?: string;
  protect?: boolean;
  dependencies?: string[];
  /** Input property → URNs it depends on. Default: derived from `id` references. */
  propertyDependencies?: Record<string, string[]>;
}

export interface EvaluateOptions {
  /** The CrossGuard policy config (`--policy-pack-config` file), e.g. from `packConfig(settings)`. */
  config?: PolicyPackConfig & { all?: EnforcementLevel | { enforcementLevel?: EnforcementLevel } };
  stackName: string;
  project?: string;
  /** Default: the pack's policies. */
  policies?: Policies;
  /** The pack's default enforcement level (index.ts). */
  packEnforcementLevel?: EnforcementLevel;
}

class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

const NO_TAGS: ReadonlyMap<string, string> = new Map();

function typeOf(resourceClass: unknown): string | undefined {
  const t = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  return typeof t === "string" ? t : undefined;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const t = typeOf(resourceClass);
  if (t !== undefined) return t === type;
  const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function providerOf(r: EvaluatedResource): PolicyProviderResource | undefined {
  if (!r.provider) return undefined;
  const parts = r.provider.split("::");
  return { type: parts[2] ?? "", name: parts[3] ?? r.provider, urn: r.provider, props: {} };
}

/**
 * A resource as the analyzer hands it to a policy (type, props behind the proxy, urn, name,
 * opts, provider, isType, asType). A class, so the per-resource methods are not closures.
 */
class EngineResource {
  constructor(
    readonly type: string,
    readonly props: Record<string, unknown>,
    readonly urn: string,
    readonly name: string,
    readonly opts: PolicyResourceOptions,
    readonly provider: PolicyProviderResource | undefined,
  ) {}

  isType(resourceClass: unknown): boolean {
    return isTypeOf(this.type, resourceClass);
  }

  // biome-ignore lint/suspicious/noExplicitAny: mirrors the SDK's untyped asType
  asType(resourceClass: unknown): any {
    return isTypeOf(this.type, resourceClass) ? this.props : undefined;
  }
}

/** A PolicyResource of a stack validation: the resource plus its parent and dependencies. */
class EngineStackResource extends EngineResource {
  parent?: PolicyResource;
  dependencies: PolicyResource[] = [];
  propertyDependencies: Record<string, PolicyResource[]> = {};

  constructor(v: EngineResource) {
    super(v.type, v.props, v.urn, v.name, v.opts, v.provider);
  }
}

const NONE: string[] = [];
const NO_TIMEOUTS = Object.freeze({ createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 });

function options(r: EvaluatedResource): PolicyResourceOptions {
  const o: PolicyResourceOptions = {
    protect: r.protect ?? false,
    ignoreChanges: NONE,
    aliases: NONE,
    customTimeouts: NO_TIMEOUTS,
    additionalSecretOutputs: NONE,
  };
  if (r.parent) o.parent = r.parent;
  return o;
}

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Props as the engine sends them (node_modules/@pulumi/policy/deserialize.js): keys whose value
 * is undefined do not exist, and an unknown value (@pulumi/pulumi's `Unknown`, what the mock
 * runtime records in a preview) is the unknown sentinel. Copies only what changes.
 */
function engineValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if ((v as { __pulumiUnknown?: unknown }).__pulumiUnknown === true) return UNKNOWN_STRING;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = v[i] === undefined ? null : engineValue(v[i]);
      if (e !== v[i] && out === undefined) out = v.slice(0, i);
      if (out !== undefined) out.push(e);
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const x = o[k];
    const e = x === undefined ? undefined : engineValue(x);
    if ((x === undefined || e !== x) && out === undefined) {
      out = {};
      for (const j in o) {
        if (j === k) break;
        out[j] = o[j];
      }
    }
    if (out !== undefined && e !== undefined) out[k] = e;
  }
  return out ?? o;
}

/** Property dependencies from references to known ids (what the engine records from the program). */
function derivedDependencies(
  r: EvaluatedResource,
  urnOfId: Map<string, string>,
  self: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const collect = (v: unknown, into: Set<string>) => {
    if (typeof v === "string") {
      const u = urnOfId.get(v);
      if (u !== undefined && u !== self) into.add(u);
    } else if (Array.isArray(v)) for (const x of v) collect(x, into);
    else if (v !== null && typeof v === "object") for (const x of Object.values(v)) collect(x, into);
  };
  for (const [k, v] of Object.entries(r.props)) {
    const set = new Set<string>();
    collect(v, set);
    if (set.size > 0) out[k] = [...set];
  }
  return out;
}

function policyConfig(
  config: EvaluateOptions["config"],
  name: string,
): { level?: EnforcementLevel; props: Record<string, unknown> } {
  const c = config?.[name];
  if (c === undefined) return { props: {} };
  if (typeof c === "string") return { level: c, props: {} };
  const { enforcementLevel, ...props } = c;
  return { level: enforcementLevel, props };
}

function allLevel(config: EvaluateOptions["config"]): EnforcementLevel | undefined {
  const a = config?.all;
  return typeof a === "string" ? a : a?.enforcementLevel;
}

/** One reportViolation call, as the engine records it. */
export interface Violation {
  /** The policy's name: its rule id, or `<rule id>/non-production` for an advisory twin. */
  policy: string;
  /** The policy's effective enforcement level (`remediate` reports as mandatory). */
  level: "mandatory" | "advisory";
  /** The URN reported; undefined for a stack violation without one. */
  urn?: string;
  /** The message as reported. */
  message: string;
}

/**
 * Run the pack over a stack's resources. Returns one Diagnostic per reported violation: rule =
 * the policy's rule id, severity = the policy's effective enforcement level, resource = the
 * URN reported (a stack violation without one: `stack <name>`), path and message as reported.
 */
export function evaluatePolicies(
  resources: readonly EvaluatedResource[],
  opts: EvaluateOptions,
): Diagnostic[] {
  return evaluateViolations(resources, opts).map((v) => {
    const rule = ruleOfPolicy(v.policy);
    if (rule === undefined) throw new Error(`policy "${v.policy}" is not named by a rule id`);
    const { message, path } = parseViolationMessage(v.message);
    const severity: Severity = v.level;
    return { rule, severity, resource: v.urn ?? `stack ${opts.stackName}`, path, message };
  });
}

/**
 * The pack's violations as reportViolation received them (evaluatePolicies turns them into
 * Diagnostics). Resource policies run resource by resource, each resource's policies in pack
 * order, as the engine's analyze call does; their violations come back policy by policy, each
 * policy's in the order of its candidates (type by type as it lists them, then stack order),
 * followed by the stack policies'.
 */
export function evaluateViolations(
  resources: readonly EvaluatedResource[],
  opts: EvaluateOptions,
): Violation[] {
  const list = opts.policies ?? packPolicies;
  const project = opts.project ?? "project";
  const names = new Set(list.map((p) => p.name));
  for (const key of Object.keys(opts.config ?? {})) {
    if (key !== "all" && !names.has(key)) {
      throw new Error(`policy config names "${key}", which is not a policy of the pack`);
    }
  }
  const all = allLevel(opts.config);
  const withUrn = resources.map((r) =>
    r.urn
      ? (r as EvaluatedResource & { urn: string })
      : { ...r, urn: `urn:pulumi:${opts.stackName}::${project}::${r.type}::${r.name}` },
  );
  const urnOfId = new Map<string, string>();
  for (const r of withUrn) if (r.id) urnOfId.set(r.id, r.urn);

  const out: Violation[] = [];
  const push = (policy: string, level: EnforcementLevel, message: string, urn: string | undefined) => {
    out.push({ policy, level: level === "advisory" ? "advisory" : "mandatory", urn, message });
  };
  const settle = (policy: string, result: unknown) => {
    if (result !== null && typeof (result as { then?: unknown })?.then === "function") {
      throw new Error(`policy "${policy}" is asynchronous; evaluatePolicies runs synchronous policies only`);
    }
  };
  const fail = (policy: string, e: unknown, into: (v: Violation) => void = (v) => out.push(v)) => {
    if (e instanceof NotApplicable) return;
    if (e instanceof UnknownValueError) {
      // The engine reports this instead of the policy's findings (server.js); ours never throw it.
      into({
        policy,
        level: "advisory",
        urn: undefined,
        message: `can't run policy '${policy}' during preview: ${(e as Error).message}`,
      });
      return;
    }
    throw e;
  };

  // Each resource as the engine hands it to policies: props behind the unknown-checking proxy.
  const views = withUrn.map(
    (r) =>
      new EngineResource(
        r.type,
        unknownCheckingProxy(engineValue(r.props)) as Record<string, unknown>,
        r.urn,
        r.name,
        options(r),
        providerOf(r),
      ),
  );

  // Each view's place among the views of its type: a policy that applies to some types sees
  // its candidates type by type, in `appliesTo` order.
  const viewsByType = new Map<string, EngineResource[]>();
  const placeInType = new Array<number>(views.length);
  for (let i = 0; i < views.length; i++) {
    const v = views[i] as EngineResource;
    const list = viewsByType.get(v.type);
    placeInType[i] = list ? list.length : 0;
    if (list) list.push(v);
    else viewsByType.set(v.type, [v]);
  }

  /** A resource policy of this run, with its violations and where each came from. */
  interface Running {
    policy: (typeof list)[number];
    validations: ResourceValidation[];
    getConfig: <T extends object>() => T;
    report: ReportViolation;
    /** Type → the offset of its views among the policy's candidates; undefined: every view. */
    offsets: Map<string, number> | undefined;
    found: { place: number; v: Violation }[];
  }
  const running: Running[] = [];
  let current = "";
  let currentPlace = 0;
  for (const p of list) {
    if ("validateStack" in p) continue;
    const cfg = policyConfig(opts.config, p.name);
    let level = cfg.level ?? all ?? p.enforcementLevel ?? opts.packEnforcementLevel ?? "advisory";
    if (level === "disabled") continue;
    if (level === "remediate") level = "mandatory";
    const validations = p.validateResource === undefined ? [] : [p.validateResource].flat();
    if (validations.length === 0) continue;
    const types = appliesTo(p);
    let offsets: Map<string, number> | undefined;
    if (types) {
      offsets = new Map();
      let at = 0;
      for (const t of types) {
        offsets.set(t, at);
        at += viewsByType.get(t)?.length ?? 0;
      }
    }
    const found: Running["found"] = [];
    const name = p.name;
    const lvl = level === "advisory" ? "advisory" : "mandatory";
    running.push({
      policy: p,
      validations,
      getConfig: <T extends object>() => cfg.props as T,
      report: (message) =>
        found.push({ place: currentPlace, v: { policy: name, level: lvl, urn: current, message } }),
      offsets,
      found,
    });
  }
  // The policies each type meets, in pack order.
  const runningByType = new Map<string, Running[]>();
  for (const t of viewsByType.keys()) {
    runningByType.set(
      t,
      running.filter((r) => r.offsets === undefined || r.offsets.has(t)),
    );
  }

  // As the engine's analyze call: resource by resource, each with its policies in pack order.
  for (let i = 0; i < views.length; i++) {
    const v = views[i] as EngineResource;
    const applying = runningByType.get(v.type) as Running[];
    for (let k = 0; k < applying.length; k++) {
      const r = applying[k] as Running;
      const args: ResourceValidationArgs = {
        type: v.type,
        props: v.props,
        urn: v.urn,
        name: v.name,
        opts: v.opts,
        stackTags: NO_TAGS,
        // Called as args.isType(...): `this` is args, which has the same type and props.
        isType: v.isType,
        asType: v.asType as ResourceValidationArgs["asType"],
        getConfig: r.getConfig,
        notApplicable,
      };
      if (v.provider) args.provider = v.provider;
      current = v.urn;
      currentPlace =
        r.offsets === undefined ? i : (r.offsets.get(v.type) as number) + (placeInType[i] as number);
      for (const validate of r.validations) {
        try {
          settle(r.policy.name, validate(args, r.report));
        } catch (e) {
          fail(r.policy.name, e, (violation) => r.found.push({ place: currentPlace, v: violation }));
        }
      }
    }
  }
  // Reported policy by policy (pack order), each in the order of its candidates: type by type
  // as `appliesTo` lists them, then in stack order (the sort is stable: one resource's
  // violations keep the order they were reported in).
  for (const r of running) {
    if (r.found.length > 1) r.found.sort((a, b) => a.place - b.place);
    for (const f of r.found) out.push(f.v);
  }

  const stackPolicies = list.filter((p) => "validateStack" in p);
  if (stackPolicies.length > 0) {
    // The same objects server.js builds (its `intermediates`), without an iterator entry, a
    // mapped and a filtered array per dependency list: index loops, one array per list.
    const policyResources = new Array<PolicyResource>(views.length);
    const byUrn = new Map<string, PolicyResource>();
    for (let i = 0; i < views.length; i++) {
      const pr = new EngineStackResource(views[i] as EngineResource) as unknown as PolicyResource;
      policyResources[i] = pr;
      byUrn.set(pr.urn, pr);
    }
    const resolve = (urns: readonly string[]): PolicyResource[] => {
      const out: PolicyResource[] = [];
      for (let j = 0; j < urns.length; j++) {
        const x = byUrn.get(urns[j] as string);
        if (x !== undefined) out.push(x);
      }
      return out;
    };
    for (let i = 0; i < withUrn.length; i++) {
      const r = withUrn[i] as EvaluatedResource & { urn: string };
      const pr = policyResources[i] as PolicyResource;
      if (r.parent) pr.parent = byUrn.get(r.parent);
      pr.dependencies = resolve(r.dependencies ?? NONE);
      const pd = r.propertyDependencies ?? derivedDependencies(r, urnOfId, r.urn);
      for (const k in pd) pr.propertyDependencies[k] = resolve(pd[k] as string[]);
    }
    for (const p of stackPolicies) {
      const cfg = policyConfig(opts.config, p.name);
      let level = cfg.level ?? all ?? p.enforcementLevel ?? opts.packEnforcementLevel ?? "advisory";
      if (level === "disabled") continue;
      if (level === "remediate") level = "mandatory";
      const args: StackValidationArgs = {
        resources: policyResources,
        stackTags: NO_TAGS,
        getConfig: <T extends object>() => cfg.props as T,
        notApplicable,
      };
      const report: ReportViolation = (message, urn) => push(p.name, level, message, urn);
      if (!("validateStack" in p)) continue;
      try {
        settle(p.name, p.validateStack(args, report));
      } catch (e) {
        fail(p.name, e);
      }
    }
  }
  return out;
}
