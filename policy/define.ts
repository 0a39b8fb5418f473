/**
 * How a rule of the catalogue becomes a CrossGuard policy: a binding names the rule, the
 * resources it looks at, a mapper from raw resource properties to the rule module's facts, and
 * the rule function itself. `toPolicies` turns a binding into `@pulumi/policy` policies; the
 * rule logic stays in the plan layer (the plan package, plan/src/rules), never here.
 *
 * Enforcement: a policy named by the rule id carries the catalogue's severity. A rule that is
 * "mandatory in production" becomes two policies over the same check: `<rule>` (mandatory) that
 * reports only in production stacks, and `<rule>/non-production` (advisory) that reports only
 * elsewhere (CrossGuard gives a policy one enforcement level, see README.md).
 */
import { type Diagnostic, RULES, type RuleId } from "@kubeplat/plan";
import { known, Labels, type Mapped, type RawResource, type RuleContext } from "@kubeplat/plan/facts";
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { configSchemaFor, isProductionStack, readSettings, type SettingKey, stackOfUrn } from "./config";

export { Labels, type Mapped, type RawResource, type RuleContext } from "@kubeplat/plan/facts";

interface BindingBase<F> {
  rule: RuleId;
  /** What the policy checks, for `pulumi policy` output and the Pulumi Cloud console. */
  description: string;
  /** Settings the mapper or the rule reads (the policy's configSchema). */
  settings: readonly SettingKey[];
  check: (facts: F) => Diagnostic[];
}

export interface ResourceBinding<F> extends BindingBase<F> {
  scope: "resource";
  /** Type tokens the policy applies to. */
  types: readonly string[];
  facts: (r: RawResource, ctx: RuleContext, labels: Labels) => F | undefined;
}

export interface StackBinding<F> extends BindingBase<F> {
  scope: "stack";
  /**
   * Facts of the whole stack. `key` names the mapper so policies that share it (and the same
   * settings) share one facts object per stack: the cidr rules then share one overlap sweep.
   */
  key: string;
  facts: (resources: RawResource[], ctx: RuleContext, labels: Labels) => F;
}

// biome-ignore lint/suspicious/noExplicitAny: bindings of different fact types live in one list
export type Binding = ResourceBinding<any> | StackBinding<any>;

export const NON_PRODUCTION_SUFFIX = "/non-production";

/** The rule a policy name reports (`security/deletion-protection/non-production` → its rule). */
export function ruleOfPolicy(name: string): RuleId | undefined {
  const base = name.endsWith(NON_PRODUCTION_SUFFIX) ? name.slice(0, -NON_PRODUCTION_SUFFIX.length) : name;
  return base in RULES ? (base as RuleId) : undefined;
}

/** A violation message: the rule's message, then the field path (evaluate.ts reads it back). */
export function violationMessage(d: Diagnostic): string {
  return `${d.message} (at ${d.path.replace(/^\./, "")})`;
}

/** Inverse of violationMessage. */
export function parseViolationMessage(text: string): { message: string; path: string } {
  const m = /^([\s\S]*) \(at ([^()]*)\)$/.exec(text);
  return m ? { message: m[1] as string, path: m[2] as string } : { message: text, path: "" };
}

/** Per settings object, the context of each stack (a resource policy asks once per resource). */
const contexts = new WeakMap<object, Map<string | undefined, RuleContext>>();

/** The stack of the last URN read, and the URN prefix that names it (`urn:pulumi:<stack>::`). */
let lastStack: { prefix: string; stack: string | undefined } = { prefix: "\u0000", stack: undefined };

function stackOf(urn: string): string | undefined {
  // Every resource of a stack has the same prefix: no string is cut for the next ones.
  if (urn.startsWith(lastStack.prefix)) return lastStack.stack;
  const stack = stackOfUrn(urn);
  if (stack !== undefined) lastStack = { prefix: `urn:pulumi:${stack}::`, stack };
  return stack;
}

/** The context a resource policy answered last: it is asked for each resource, with one config. */
interface ContextMemo {
  raw: unknown;
  /** `urn:pulumi:<stack>::` of the stack it answered for. */
  prefix: string;
  ctx: RuleContext | undefined;
}

function context(urn: string | undefined, raw: unknown, policy: string, memo?: ContextMemo): RuleContext {
  if (memo?.ctx !== undefined && memo.raw === raw && urn?.startsWith(memo.prefix)) return memo.ctx;
  const ctx = contextOf(urn, raw, policy);
  // readSettings answers one Settings per config object, and stackOf one stack per prefix.
  if (memo !== undefined && urn !== undefined && raw !== null && typeof raw === "object") {
    if (lastStack.stack !== undefined && ctx.stack === lastStack.stack && urn.startsWith(lastStack.prefix)) {
      memo.raw = raw;
      memo.prefix = lastStack.prefix;
      memo.ctx = ctx;
    }
  }
  return ctx;
}

function contextOf(urn: string | undefined, raw: unknown, policy: string): RuleContext {
  const settings = readSettings(raw, `policy ${policy}`);
  const stack = urn === undefined ? undefined : stackOf(urn);
  let byStack = contexts.get(settings);
  if (byStack === undefined) {
    byStack = new Map();
    contexts.set(settings, byStack);
  }
  let ctx = byStack.get(stack);
  if (ctx === undefined) {
    ctx = { stack, production: isProductionStack(stack, settings), settings };
    byStack.set(stack, ctx);
  }
  return ctx;
}

/**
 * The raw resource built last, and the props it was built from. The engine analyzes a
 * resource with one policy after another, so the next policies of the same resource reuse it
 * when they are handed the same props (the in-process evaluator does; CrossGuard deserializes
 * the props again for each policy, and each gets its own).
 */
let lastRaw: { props: unknown; raw: RawResource } | undefined;

function rawFromArgs(args: ResourceValidationArgs): RawResource {
  const last = lastRaw;
  if (last !== undefined && last.props === args.props && last.raw.urn === args.urn) return last.raw;
  const raw: RawResource = {
    type: args.type,
    name: args.name,
    urn: args.urn,
    props: known(args.props),
    protect: args.opts?.protect,
    parent: args.opts?.parent,
    provider: args.provider?.urn,
    dependencies: [],
    propertyDependencies: {},
  };
  lastRaw = { props: args.props, raw };
  return raw;
}

function urnsOf(list: readonly PolicyResource[]): string[] {
  const out = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = (list[i] as PolicyResource).urn;
  return out;
}

/** A stack resource as the mappers see it (built once per resources array: see stackFacts). */
function rawFromResource(r: PolicyResource): RawResource {
  const pd: Record<string, string[]> = {};
  const deps = r.propertyDependencies;
  if (deps) for (const k in deps) pd[k] = urnsOf(deps[k] as PolicyResource[]);
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: known(r.props),
    protect: r.opts?.protect,
    parent: r.parent?.urn ?? r.opts?.parent,
    provider: r.provider?.urn,
    dependencies: r.dependencies ? urnsOf(r.dependencies) : [],
    propertyDependencies: pd,
  };
}

/**
 * One view of a stack's resources per resources array: the raw resources, one set of labels,
 * and the facts each mapper built (keyed by StackBinding.key and the settings), so policies
 * that share a mapper share its facts.
 */
interface StackView {
  raws: RawResource[];
  labels: Labels;
  facts: Map<string, unknown>;
}

const views = new WeakMap<object, StackView>();

function stackFacts<F>(b: StackBinding<F>, args: StackValidationArgs, ctx: RuleContext): Mapped<F> {
  let view = views.get(args.resources);
  if (!view) {
    view = { raws: args.resources.map(rawFromResource), labels: new Labels(), facts: new Map() };
    views.set(args.resources, view);
  }
  const key = `${b.key}\u0000${ctx.stack}\u0000${JSON.stringify(ctx.settings)}`;
  let facts = view.facts.get(key) as F | undefined;
  if (facts === undefined) {
    facts = b.facts(view.raws, ctx, view.labels);
    view.facts.set(key, facts);
  }
  return { facts, labels: view.labels };
}

const noUrn = (): undefined => undefined;

/** Which stacks a policy reports in: every stack, production only, or non-production only. */
type Reach = "all" | "production" | "non-production";

function reaches(reach: Reach, ctx: RuleContext): boolean {
  return reach === "all" || (reach === "production") === ctx.production;
}

function report(
  b: Binding,
  diagnostics: Diagnostic[],
  reportViolation: ReportViolation,
  urnOf: (d: Diagnostic) => string | undefined,
) {
  for (const d of diagnostics) {
    if (d.rule !== b.rule) continue;
    reportViolation(violationMessage(d), urnOf(d));
  }
}

const typesOf = new WeakMap<object, ReadonlySet<string>>();

/**
 * The resource types a resource policy of this pack looks at (undefined: unknown, call it for
 * every resource). The evaluator skips other types, as the engine's `__pulumiType` fast path does.
 */
export function appliesTo(policy: object): ReadonlySet<string> | undefined {
  return typesOf.get(policy);
}

function policyOf(b: Binding, name: string, level: EnforcementLevel, reach: Reach, note: string) {
  const base = {
    name,
    description: `${b.description}${note}`,
    enforcementLevel: level,
    configSchema: configSchemaFor(b.settings),
  };
  if (b.scope === "resource") {
    const types = new Set(b.types);
    const memo: ContextMemo = { raw: undefined, prefix: "\u0000", ctx: undefined };
    const policy: ResourceValidationPolicy = {
      ...base,
      validateResource: (args, reportViolation) => {
        if (!types.has(args.type)) return;
        const ctx = context(args.urn, args.getConfig(), name, memo);
        if (!reaches(reach, ctx)) return;
        const labels = new Labels();
        const raw = rawFromArgs(args);
        labels.of(raw);
        const facts = b.facts(raw, ctx, labels);
        if (facts === undefined) return;
        report(b, b.check(facts), reportViolation, noUrn);
      },
    };
    typesOf.set(policy, types);
    return policy;
  }
  const policy: StackValidationPolicy = {
    ...base,
    validateStack: (args, reportViolation) => {
      const first = args.resources[0];
      const ctx = context(first?.urn, args.getConfig(), name);
      if (!reaches(reach, ctx)) return;
      const { facts, labels } = stackFacts(b, args, ctx);
      report(
        b,
        b.check(facts),
        reportViolation,
        (d) => labels.urn(d.resource) ?? (d.resource.startsWith("urn:") ? d.resource : undefined),
      );
    },
  };
  return policy;
}

/** The policies of one binding (two for a mandatory-in-production rule). */
export function toPolicies(b: Binding): (ResourceValidationPolicy | StackValidationPolicy)[] {
  const severity = RULES[b.rule].severity;
  if (severity === "mandatory-in-production") {
    return [
      policyOf(
        b,
        b.rule,
        "mandatory",
        "production",
        " Mandatory in production stacks (config productionStacks).",
      ),
      policyOf(
        b,
        `${b.rule}${NON_PRODUCTION_SUFFIX}`,
        "advisory",
        "non-production",
        ` Advisory twin of ${b.rule} for stacks that are not production.`,
      ),
    ];
  }
  return [policyOf(b, b.rule, severity, "all", "")];
}
