/**
 * The published packages as a user gets them (issue 17, "Installable"): `npm pack` the three
 * packages, install the tarballs into an empty project offline, compile a program against them
 * with the TypeScript the team-app README tells users to install (strict settings), and run it
 * under the components' mock runtime (`@kubeplat/components/testing`), registering a Platform
 * and running the policy pack over what it registered.
 *
 * Slow (a build, three packs, an install, a compile: a minute or two); it runs with the suite.
 *
 * The install is offline, from the npm cache that `npm ci` filled. npm 11 resolves a version
 * range only from a package's *full* registry document, which `npm ci` (installing from the
 * lockfile) never fetches, so a bare `npm install --offline <tarballs>` finds nothing to resolve
 * with. The temporary project therefore gets a lockfile: the packed packages' dependency closure
 * taken from this repository's package-lock.json (the versions the suite tests), and `npm ci
 * --offline` installs exactly that. npm still checks every dependency and peer range of the
 * packed manifests against the locked versions (a range the lock does not satisfy makes it go to
 * the registry and fail offline), and `npm ls --all` checks the installed tree again.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "..", "..");
const PACKAGES = ["plan", "components", "policy"] as const;

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

interface Packed {
  name: string;
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** `typescript@5` and `@types/node@20`: the versions the team-app README has users install. */
function readmeDevDependencies(): Record<string, string> {
  const readme = readFileSync(join(ROOT, "examples", "team-app", "README.md"), "utf8");
  const line = readme.split("\n").find((l) => /^npm install -D /.test(l));
  if (!line) throw new Error("examples/team-app/README.md has no `npm install -D ...` line");
  const out: Record<string, string> = {};
  for (const arg of line.replace(/#.*/, "").trim().split(/\s+/).slice(3)) {
    const at = arg.lastIndexOf("@");
    if (at <= 0) throw new Error(`README installs ${arg} without a version: pin it`);
    out[arg.slice(0, at)] = arg.slice(at + 1);
  }
  return out;
}

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/**
 * The consumer's lockfile: its root (the tarballs and the README's dev dependencies) and every
 * package those need, at the paths and versions of this repository's lockfile.
 */
function consumerLock(
  rootLock: { packages: Record<string, LockEntry> },
  consumer: { dependencies: Record<string, string>; devDependencies: Record<string, string> },
  packed: Map<string, { file: string; manifest: LockEntry }>,
): object {
  const lock = rootLock.packages;
  const out: Record<string, LockEntry> = { "": { name: "consumer", ...consumer } };
  const queue: string[] = [];
  const place = (path: string, entry: LockEntry, dev: boolean) => {
    if (path in out) {
      if (!dev) delete out[path]?.dev;
      return;
    }
    out[path] = dev ? { ...entry, dev: true } : { ...entry };
    queue.push(path);
  };
  // Where `name` required from the package at `from` is found (Node's walk up node_modules).
  const find = (from: string, name: string): string | undefined => {
    for (let dir = from; ; ) {
      const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      if (candidate in out || (lock[candidate] && !lock[candidate]?.link)) return candidate;
      if (!dir) return undefined;
      const i = dir.lastIndexOf("/node_modules/");
      dir = i < 0 ? "" : dir.slice(0, i);
    }
  };
  for (const [name, { file, manifest }] of packed) {
    out[`node_modules/${name}`] = { ...manifest, resolved: `file:${file}` };
    queue.push(`node_modules/${name}`);
  }
  for (const [name, range] of Object.entries(consumer.devDependencies)) {
    const entry = lock[`node_modules/${name}`];
    if (!entry) throw new Error(`${name}@${range} is not in package-lock.json`);
    place(`node_modules/${name}`, entry, true);
  }
  while (queue.length > 0) {
    const path = queue.shift() as string;
    const entry = out[path] as LockEntry;
    const dev = entry.dev === true;
    const wanted = {
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...Object.fromEntries(
        Object.entries(entry.peerDependencies ?? {}).filter(
          ([n]) => !entry.peerDependenciesMeta?.[n]?.optional,
        ),
      ),
    };
    for (const name of Object.keys(wanted)) {
      if (packed.has(name)) continue;
      const at = find(path, name);
      if (at === undefined) {
        if (entry.optionalDependencies?.[name]) continue;
        throw new Error(`${path} needs ${name}, which package-lock.json does not hold`);
      }
      if (at in out) {
        if (!dev) delete out[at]?.dev;
        continue;
      }
      place(at, lock[at] as LockEntry, dev);
    }
  }
  return { name: "consumer", lockfileVersion: 3, requires: true, packages: out };
}

const SPEC = {
  name: "demo",
  cloud: "alicloud",
  region: "cn-hangzhou",
  production: false,
  zones: ["cn-hangzhou-i", "cn-hangzhou-j"],
  vpc: { cidr: "192.168.0.0/16" },
  clusters: [
    {
      name: "demo",
      edition: "pro",
      cni: "terway",
      nodePools: [
        {
          name: "general",
          minSize: 2,
          maxSize: 4,
          autoscaling: true,
          instanceTypes: ["ecs.g7.xlarge"],
          vcpu: 4,
          memoryGiB: 16,
          loginKeyPair: "demo-key",
        },
      ],
    },
  ],
  access: { deployFrom: "vpc" },
};

/** A user's program: every import is a public entry of a published package. */
const PROGRAM = `import { Platform } from "@kubeplat/components";
import { offlineCall, offlineState, startMockRuntime } from "@kubeplat/components/testing";
import { checkEnvironment, parseEnvironment, type Diagnostic } from "@kubeplat/plan";
import { evaluatePolicies } from "@kubeplat/policy/evaluate";
import { packConfig } from "@kubeplat/policy/policies";

const spec: unknown = ${JSON.stringify(SPEC, null, 2)};

async function main(): Promise<void> {
  const parsed = parseEnvironment(spec);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  const specDiagnostics: Diagnostic[] = checkEnvironment(parsed.env).diagnostics;
  const rt = await startMockRuntime({
    project: "platform",
    stack: "demo",
    state: offlineState,
    call: offlineCall,
  });
  const outputs = await rt.run(async () => {
    const platform = new Platform("demo", { environment: spec as never });
    return { contractVersion: platform.outputs.contractVersion };
  });
  const policy = evaluatePolicies(
    rt.resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: r.state,
      id: typeof r.state.id === "string" ? r.state.id : \`\${r.name}-id\`,
      protect: r.protect,
      dependencies: r.dependencies,
      ...(r.parent === undefined ? {} : { parent: r.parent }),
      ...(r.provider === undefined ? {} : { provider: r.provider }),
    })),
    { config: packConfig({}), stackName: "demo", project: "platform" },
  );
  process.stdout.write(
    JSON.stringify({
      outputs,
      urns: rt.urns(),
      specMandatory: specDiagnostics.filter((d) => d.severity === "mandatory").map((d) => d.rule),
      policyMandatory: policy.filter((d) => d.severity === "mandatory").map((d) => d.rule),
    }),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + "\\n");
  process.exit(1);
});
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022"],
    module: "node16",
    moduleResolution: "node16",
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ["node"],
    outDir: "out",
  },
  include: ["index.ts"],
};

describe("the packages as tarballs (npm pack, offline install, compile, run)", { timeout: 900_000 }, () => {
  let work: string;
  const packed = new Map<string, { file: string; manifest: LockEntry; info: Packed }>();
  let consumer: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "kubeplat-tarballs-"));
    const packs = join(work, "packs");
    mkdirSync(packs);
    // prepack of each package builds its dist/ (tsc -b), so this works on a fresh clone.
    const out = run(
      "npm",
      ["pack", "--json", "--pack-destination", packs, ...PACKAGES.flatMap((p) => ["--workspace", p])],
      ROOT,
    );
    const infos = JSON.parse(out.slice(out.indexOf("["))) as Packed[];
    for (const info of infos) {
      const file = join(packs, info.filename);
      const manifest = JSON.parse(
        execFileSync("tar", ["-xzOf", file, "package/package.json"], { encoding: "utf8" }),
      ) as LockEntry;
      packed.set(info.name, { file, manifest, info });
      process.stdout.write(
        `packed ${info.filename}: ${info.size} bytes (${info.unpackedSize} unpacked, ${info.files.length} files)\n`,
      );
    }
    consumer = join(work, "consumer");
    mkdirSync(consumer);
  });

  afterAll(() => {
    if (work && !process.env.KEEP_TARBALL_PROJECT) rmSync(work, { recursive: true, force: true });
  });

  it("packs compiled JS and declarations, sources for the source condition, and no test-only entry", () => {
    expect([...packed.keys()].sort()).toEqual(["@kubeplat/components", "@kubeplat/plan", "@kubeplat/policy"]);
    for (const [name, { manifest, info }] of packed) {
      const files = new Set(info.files.map((f) => f.path));
      expect(manifest.engines, name).toEqual({ node: ">=20.19" });
      expect(manifest.version, name).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      expect(
        [...files].filter((f) => f.endsWith(".tsbuildinfo")),
        name,
      ).toEqual([]);
      const exports = manifest.exports as Record<string, string | Record<string, string>>;
      for (const [sub, target] of Object.entries(exports)) {
        expect(sub, `${name} exports ${sub}`).not.toMatch(/internal|\*/);
        const conditions = typeof target === "string" ? { default: target } : target;
        // What a consumer resolves without the source condition is compiled JS and its .d.ts.
        if (sub !== "./package.json") {
          expect(conditions.default, `${name} ${sub}`).toMatch(/^\.\/dist\/.*\.js$/);
          expect(conditions.types, `${name} ${sub}`).toMatch(/^\.\/dist\/.*\.d\.ts$/);
        }
        for (const path of Object.values(conditions))
          expect(files, `${name} ${sub} → ${path}`).toContain(path.slice(2));
      }
    }
    const components = packed.get("@kubeplat/components") as { manifest: LockEntry; info: Packed };
    // The component package's plugin entry needs its sources, TypeScript 5 and its schema.
    const files = components.info.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(["plugin.js", "PulumiPlugin.yaml", "schema.json", "src/provider.ts"]),
    );
    expect(components.manifest.main).toBe("plugin.js");
    expect(components.manifest.dependencies?.typescript).toMatch(/^5\./);
    // One @pulumi/pulumi per program: the user's.
    expect(components.manifest.peerDependencies).toEqual({ "@pulumi/pulumi": expect.any(String) });
    expect(components.manifest.dependencies?.["@pulumi/pulumi"]).toBeUndefined();
    const policy = packed.get("@kubeplat/policy") as { manifest: LockEntry; info: Packed };
    expect(policy.info.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["PulumiPolicy.yaml", "dist/index.js"]),
    );
  });

  it("installs offline into an empty project, compiles strictly with the README's TypeScript, and runs under the mock runtime", () => {
    const devDependencies = readmeDevDependencies();
    expect(Object.keys(devDependencies).sort()).toEqual(["@types/node", "typescript"]);
    const dependencies = Object.fromEntries([...packed].map(([name, { file }]) => [name, `file:${file}`]));
    // The peer a user installs next to the components, in the range the components declare.
    dependencies["@pulumi/pulumi"] = packed.get("@kubeplat/components")?.manifest.peerDependencies?.[
      "@pulumi/pulumi"
    ] as string;
    const pkg = { name: "consumer", version: "1.0.0", private: true, dependencies, devDependencies };
    writeFileSync(join(consumer, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
    const rootLock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    const lock = consumerLock(rootLock, pkg, packed);
    writeFileSync(join(consumer, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);

    run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], consumer);
    run("npm", ["ls", "--all"], consumer);
    const tsVersion = JSON.parse(
      readFileSync(join(consumer, "node_modules/typescript/package.json"), "utf8"),
    ).version;
    expect(tsVersion.split(".")[0]).toBe(devDependencies.typescript?.split(".")[0]);

    writeFileSync(join(consumer, "index.ts"), PROGRAM);
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    run(
      process.execPath,
      [join(consumer, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"],
      consumer,
    );
    run(
      process.execPath,
      [join(consumer, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"],
      consumer,
    );

    // Plain node, no `source` condition: what a user's program resolves.
    const result = JSON.parse(run(process.execPath, [join(consumer, "out/index.js")], consumer)) as {
      outputs: Record<string, unknown>;
      urns: string[];
      specMandatory: string[];
      policyMandatory: string[];
    };
    expect(result.specMandatory).toEqual([]);
    expect(result.policyMandatory).toEqual([]);
    expect(result.outputs).toEqual({ contractVersion: "1" });
    // URNs as the engine would record them for stack "demo" of project "platform".
    const urn = (qualifiedType: string, name: string) =>
      `urn:pulumi:demo::platform::${qualifiedType}::${name}`;
    expect(result.urns).toEqual(
      expect.arrayContaining([
        urn("pulumi:pulumi:Stack$platform:platform:Platform", "demo"),
        urn("platform:platform:Platform$platform:alicloud:AlicloudNetwork", "demo-network"),
        urn("platform:alicloud:AlicloudNetwork$alicloud:vpc/network:Network", "demo-network-vpc"),
        urn("platform:platform:Platform$platform:alicloud:AckCluster", "demo-demo"),
        urn(
          "platform:alicloud:AckCluster$alicloud:cs/managedKubernetes:ManagedKubernetes",
          "demo-demo-cluster",
        ),
        urn("platform:platform:Platform$platform:alicloud:AckNodePool", "demo-demo-general"),
        urn("platform:alicloud:AckNodePool$alicloud:cs/nodePool:NodePool", "demo-demo-general-pool"),
      ]),
    );
  });
});
