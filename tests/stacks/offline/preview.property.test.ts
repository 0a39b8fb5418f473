/**
 * Random mutations of the shipped environment specs end in a clean preview or in diagnostics —
 * never in an uncaught exception, whatever field is changed to whatever value.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { failed, previewEnvironment } from "../../../stacks/offline/preview";
import { ENVIRONMENT_KEY, readStackSettings } from "../../../stacks/offline/stackConfig";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a JSON document (objects and arrays included). */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...paths(x, [...prefix, i]));
  } else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function apply(doc: Json, path: (string | number)[], op: Mutation): Json {
  if (path.length === 0) return op.kind === "set" ? op.value : doc;
  const copy: Json = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, Json>) };
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = copy as Record<string | number, Json>;
  if (rest.length === 0) {
    if (op.kind === "set") container[head] = op.value;
    else if (op.kind === "delete") {
      if (Array.isArray(copy)) copy.splice(head as number, 1);
      else delete container[head];
    } else if (op.kind === "duplicate" && Array.isArray(copy)) copy.push(copy[head as number] as Json);
    return copy;
  }
  container[head] = apply(container[head] as Json, rest, op);
  return copy;
}

type Mutation = { kind: "set"; value: Json } | { kind: "delete" } | { kind: "duplicate" };

const value: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(
    "10.0.0.0/8",
    "192.168.0.0/16",
    "172.16.0.0/12",
    "10.0.0.1/16",
    "fd00::/112",
    "0.0.0.0/0",
    "100.64.0.0/10",
    "",
    "x",
  ),
  fc.string({ maxLength: 80 }),
  fc.integer({ min: -10, max: 100_000 }),
  fc.constantFrom(0, 1, 2, 3, 5, 64, 256, 1001),
  fc.boolean(),
  fc.constant(null),
  fc.constant([] as Json[]),
  fc.constant({} as Json),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: value.map((v): Mutation => ({ kind: "set", value: v })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: "delete" }) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: "duplicate" }) },
);

const BASES = ["dev", "prod", "aws-dev"].map((env) => ({
  env,
  spec: readStackSettings(env).config[ENVIRONMENT_KEY] as Json,
}));

describe("offline preview under random spec mutations", () => {
  it("ends in a clean preview or in diagnostics, never in an exception", async () => {
    const dir = mkdtempSync(join(tmpdir(), "preview-mutations-"));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BASES),
        fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }),
        async (base, steps) => {
          let doc = base.spec;
          for (const [pick, op] of steps) {
            const all = paths(doc);
            doc = apply(doc, all[pick % all.length] as (string | number)[], op);
          }
          const env = `m${n++}`;
          writeFileSync(join(dir, `Pulumi.${env}.yaml`), stringify({ config: { [ENVIRONMENT_KEY]: doc } }));
          const r = await previewEnvironment(env, { dir });
          const all = [...r.diagnostics, ...r.policyDiagnostics];
          for (const d of all) {
            expect(typeof d.rule).toBe("string");
            expect(d.message.length).toBeGreaterThan(0);
          }
          if (failed(r)) expect(all.some((d) => d.severity === "mandatory")).toBe(true);
          else expect(r.resources.length).toBeGreaterThan(0);
        },
      ),
      {
        numRuns: Number(process.env.PREVIEW_MUTATION_RUNS ?? 40),
        seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
      },
    );
  }, 300_000);
});
