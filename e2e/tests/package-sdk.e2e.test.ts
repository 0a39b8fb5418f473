/**
 * The component package through the real Pulumi CLI (proof 6 of the end-to-end suite):
 *
 * - `pulumi package get-schema` runs the package's Node.js provider and prints the schema it
 *   serves, as the CLI reads it: byte for byte what the CLI prints for the committed
 *   components/schema.json;
 * - `pulumi package gen-sdk --language dotnet` (the CLI plus the real pulumi-language-dotnet host)
 *   generates the C# SDK from that schema, and examples/csharp-platform/Program.cs names only the
 *   types, properties and enum members that generated code declares, with values of the types it
 *   declares (the program is read with tests/support/csharpProgram.ts);
 * - the generated C# and Program.cs parse without a syntax error under tree-sitter's C# grammar.
 *
 * Pulumi's Node.js language host cannot be built here (e2e/tools/FINDINGS.md), so the package
 * runs through an executable `pulumi-resource-kubeplat` that does what that host's RunPlugin does:
 * `node @pulumi/pulumi/cmd/run-plugin components <engine args>`. The CLI runs an executable
 * package source directly.
 *
 * The .NET generator downloads the package logo (`logoUrl`, else Pulumi's logo on GitHub) into
 * the SDK. Nothing may leave loopback here, so gen-sdk reads the schema the package served with
 * `logoUrl` pointing at a loopback server of this test; the generated code does not depend on it.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Language, type Node, Parser } from "web-tree-sitter";
import { outputReads, readPlatformCall, tokenize, type Value } from "../../tests/support/csharpProgram";

const REPO = path.resolve(__dirname, "../..");
const COMPONENTS = path.join(REPO, "components");
const PROGRAM_PATH = path.join(REPO, "examples/csharp-platform/Program.cs");
const PROGRAM = readFileSync(PROGRAM_PATH, "utf8");
const NAMESPACE = "Pulumi.Kubeplat";
const execFileAsync = promisify(execFile);

// --- The toolchain and a throwaway Pulumi home ----------------------------------------------

function binDir(): string {
  const dir =
    process.env.KUBEPLAT_E2E_BIN ||
    execFileSync("bash", [path.join(REPO, "e2e/tools/build.sh"), "--bin-dir"], { encoding: "utf8" }).trim();
  const missing = ["pulumi", "pulumi-language-dotnet"].filter((b) => !existsSync(path.join(dir, b)));
  if (missing.length > 0)
    throw new Error(
      `e2e toolchain incomplete in ${dir}: missing ${missing.join(", ")} (run \`make e2e-tools\`)`,
    );
  return dir;
}

let tmp: string;
let env: NodeJS.ProcessEnv;

/** Runs the CLI without blocking the event loop (the test's loopback logo server must answer). */
async function pulumi(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync("pulumi", args, { cwd: tmp, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`pulumi ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

// --- C# through tree-sitter -------------------------------------------------------------------

let parser: Parser;

async function loadParser(): Promise<Parser> {
  const require = createRequire(__filename);
  await Parser.init();
  const csharp = await Language.load(require.resolve("tree-sitter-c-sharp/tree-sitter-c_sharp.wasm"));
  const p = new Parser();
  p.setLanguage(csharp);
  return p;
}

/** Every syntax error in `source`, as `line:column: text`. */
function syntaxErrors(source: string): string[] {
  const tree = parser.parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  const out: string[] = [];
  const visit = (n: Node) => {
    if (n.isError || n.isMissing) {
      const at = `${n.startPosition.row + 1}:${n.startPosition.column + 1}`;
      out.push(
        `${at}: ${n.isMissing ? `missing ${n.type}` : `unexpected ${JSON.stringify(n.text.slice(0, 40))}`}`,
      );
      return;
    }
    if (n.hasError) for (const c of n.children) if (c) visit(c);
  };
  visit(tree.rootNode);
  return out;
}

/** A C# type as written, namespaces dropped: `Input<Pulumi.Kubeplat.CloudName>?` → Input<CloudName>. */
type CsType = { name: string; args: CsType[] };

function typeOf(n: Node): CsType {
  switch (n.type) {
    case "nullable_type":
    case "qualified_name":
    case "alias_qualified_name": {
      const inner = n.childForFieldName(n.type === "nullable_type" ? "type" : "name");
      if (!inner) throw new Error(`no type in ${n.text}`);
      return typeOf(inner);
    }
    case "generic_name": {
      const args = n.children.find((c) => c?.type === "type_argument_list");
      return {
        name: n.firstNamedChild?.text ?? n.text,
        args: (args?.namedChildren ?? []).filter((c): c is Node => c !== null).map(typeOf),
      };
    }
    default:
      return { name: n.text, args: [] };
  }
}

const show = (t: CsType): string => (t.args.length ? `${t.name}<${t.args.map(show).join(", ")}>` : t.name);

type CsMember = { name: string; type: CsType; isStatic: boolean };
type CsDeclaration = {
  name: string;
  namespace: string;
  kind: "class" | "struct" | "enum";
  members: Map<string, CsMember>;
  /** Parameter types of each constructor. */
  constructors: CsType[][];
  file: string;
};

/** The classes, structs and enums the generated files declare, by simple name. */
function declarations(files: Map<string, string>): Map<string, CsDeclaration> {
  const out = new Map<string, CsDeclaration>();
  for (const [file, source] of files) {
    const tree = parser.parse(source);
    if (!tree) throw new Error(`tree-sitter returned no tree for ${file}`);
    const walk = (n: Node, namespace: string) => {
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.type === "namespace_declaration" || c.type === "file_scoped_namespace_declaration") {
          const ns = c.childForFieldName("name")?.text ?? "";
          const body = c.childForFieldName("body");
          if (body) walk(body, ns);
          else walk(c, ns);
        } else if (["class_declaration", "struct_declaration", "enum_declaration"].includes(c.type)) {
          const name = c.childForFieldName("name")?.text ?? "";
          const decl: CsDeclaration = {
            name,
            namespace,
            kind:
              c.type === "class_declaration" ? "class" : c.type === "struct_declaration" ? "struct" : "enum",
            members: new Map(),
            constructors: [],
            file,
          };
          const modifiers = (m: Node) => m.children.filter((x) => x?.type === "modifier").map((x) => x?.text);
          for (const m of c.childForFieldName("body")?.namedChildren ?? []) {
            if (!m || !modifiers(m).includes("public")) continue;
            if (m.type === "property_declaration") {
              const type = m.childForFieldName("type");
              const member = m.childForFieldName("name")?.text;
              if (type && member)
                decl.members.set(member, {
                  name: member,
                  type: typeOf(type),
                  isStatic: modifiers(m).includes("static"),
                });
            } else if (m.type === "field_declaration") {
              const v = m.namedChildren.find((x) => x?.type === "variable_declaration");
              const type = v?.childForFieldName("type");
              for (const d of v?.namedChildren ?? [])
                if (d?.type === "variable_declarator" && type) {
                  const member = d.childForFieldName("name")?.text ?? "";
                  decl.members.set(member, {
                    name: member,
                    type: typeOf(type),
                    isStatic: modifiers(m).includes("static"),
                  });
                }
            } else if (m.type === "constructor_declaration") {
              const params = m.childForFieldName("parameters")?.namedChildren ?? [];
              decl.constructors.push(
                params
                  .map((x) => x?.childForFieldName("type"))
                  .filter((x): x is Node => !!x)
                  .map(typeOf),
              );
            }
          }
          if (out.has(name)) throw new Error(`${name} is declared twice (${out.get(name)?.file}, ${file})`);
          out.set(name, decl);
        } else if (c.type === "declaration_list") {
          walk(c, namespace);
        }
      }
    };
    walk(tree.rootNode, "");
  }
  return out;
}

// --- Program.cs against the generated SDK -------------------------------------------------------

const PRIMITIVES: Record<string, Value["kind"]> = {
  string: "string",
  int: "number",
  double: "number",
  bool: "boolean",
};

/** Every way the program's value `value` does not fit the generated C# type `type`, at `at`. */
function checkValue(
  sdk: Map<string, CsDeclaration>,
  at: string,
  value: Value,
  type: CsType,
  out: string[],
): void {
  const [arg] = type.args;
  if ((type.name === "Input" || type.name === "Output") && arg) {
    checkValue(sdk, at, value, arg, out);
    return;
  }
  // Plain properties (the component's inputs are plain) are List<T> and Dictionary<string, T>.
  if ((type.name === "InputList" || type.name === "List") && arg) {
    if (value.kind !== "list")
      out.push(`${at}: ${show(type)} expects a list, the program gives a ${value.kind}`);
    else
      value.items.forEach((v, i) => {
        checkValue(sdk, `${at}[${i}]`, v, arg, out);
      });
    return;
  }
  const mapValue = type.name === "InputMap" ? arg : type.name === "Dictionary" ? type.args[1] : undefined;
  if (mapValue) {
    if (type.name === "Dictionary" && type.args[0]?.name !== "string")
      out.push(`${at}: ${show(type)} has keys of type ${type.args[0]?.name ?? "?"}`);
    if (value.kind !== "map")
      out.push(`${at}: ${show(type)} expects a dictionary, the program gives a ${value.kind}`);
    else
      for (const [k, v] of value.entries) {
        if (k.kind !== "string") out.push(`${at}: ${show(type)} keys are strings`);
        checkValue(sdk, `${at}[${k.kind === "string" ? JSON.stringify(k.value) : "?"}]`, v, mapValue, out);
      }
    return;
  }
  const primitive = PRIMITIVES[type.name];
  if (primitive) {
    if (value.kind !== primitive) out.push(`${at}: ${type.name} expected, the program gives a ${value.kind}`);
    return;
  }
  const decl = sdk.get(type.name);
  if (!decl) {
    out.push(`${at}: the generated SDK declares no type ${show(type)}`);
    return;
  }
  if (decl.kind === "struct") {
    // Pulumi's .NET generator writes a string enum as a struct with one static property per member.
    if (value.kind !== "enum" || value.type !== decl.name) {
      out.push(`${at}: expects a ${decl.name} member, the program gives a ${value.kind}`);
      return;
    }
    const member = decl.members.get(value.member);
    if (!member?.isStatic || member.type.name !== decl.name)
      out.push(`${at} (line ${value.line}): ${decl.name} has no member ${value.member}`);
    return;
  }
  checkObject(sdk, at, value, decl, out);
}

/** `new T { P = v, ... }`: T is a generated class, each P one of its properties, each v fits. */
function checkObject(
  sdk: Map<string, CsDeclaration>,
  at: string,
  value: Value,
  expected: CsDeclaration,
  out: string[],
) {
  if (value.kind !== "object" || value.type !== expected.name) {
    out.push(`${at}: expects new ${expected.name} { ... }`);
    return;
  }
  const decl = sdk.get(value.type);
  if (decl?.kind !== "class") {
    out.push(`${at} (line ${value.line}): the generated SDK declares no class ${value.type}`);
    return;
  }
  for (const [name, v, line] of value.props) {
    const prop = decl.members.get(name);
    if (!prop || prop.isStatic)
      out.push(`${at}.${name} (line ${line}): ${decl.name} has no property ${name}`);
    else checkValue(sdk, `${at}.${name}`, v, prop.type, out);
  }
}

/** Every problem with the `new Platform(stack, new PlatformArgs { ... })` call in `program`. */
function checkProgram(sdk: Map<string, CsDeclaration>, program: string): string[] {
  const out: string[] = [];
  const platform = sdk.get("Platform");
  const args = sdk.get("PlatformArgs");
  if (!platform || !args) return ["the generated SDK declares no Platform or PlatformArgs class"];
  if (!platform.constructors.some((c) => c[0]?.name === "string" && c[1]?.name === "PlatformArgs"))
    out.push("Platform has no constructor (string name, PlatformArgs args, ...)");
  checkObject(sdk, "PlatformArgs", readPlatformCall(tokenize(program)), args, out);
  return out;
}

/** Every output read (`platform.X.Apply(o => o.A.B)`) the generated classes do not declare. */
function checkOutputReads(sdk: Map<string, CsDeclaration>, program: string): string[] {
  const out: string[] = [];
  const platform = sdk.get("Platform");
  for (const { output, members } of outputReads(program)) {
    let type = platform?.members.get(output)?.type;
    if (!type) {
      out.push(`platform.${output}: Platform has no output ${output}`);
      continue;
    }
    const unwrap = (t: CsType): CsType =>
      ["Output", "Input"].includes(t.name) && t.args[0] ? unwrap(t.args[0]) : t;
    let at = `platform.${output}`;
    for (const member of members) {
      const decl = sdk.get(unwrap(type).name);
      const next = decl?.members.get(member)?.type;
      if (!next) {
        out.push(`${at}.${member}: ${show(unwrap(type))} has no member ${member}`);
        break;
      }
      at = `${at}.${member}`;
      type = next;
    }
  }
  return out;
}

// --- The proof ----------------------------------------------------------------------------------

describe("the component package through the real Pulumi CLI", () => {
  let schemaFromPackage: string;
  let schemaFromCommittedFile: string;
  let generated: Map<string, string>;
  let sdkDir: string;
  let sdk: Map<string, CsDeclaration>;
  let logoServer: Server | undefined;
  // A 1×1 PNG: the logo the .NET generator fetches, served on loopback.
  const LOGO = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
    "base64",
  );

  beforeAll(async () => {
    parser = await loadParser();
    const bin = binDir();
    tmp = mkdtempSync(path.join(tmpdir(), "kubeplat-package-sdk-"));
    const shims = path.join(tmp, "shims");
    mkdirSync(shims);
    mkdirSync(path.join(tmp, "home"));
    mkdirSync(path.join(tmp, "state"));
    env = {
      ...process.env,
      PATH: `${bin}:${shims}:${process.env.PATH}`,
      PULUMI_HOME: path.join(tmp, "home"),
      PULUMI_CONFIG_PASSPHRASE: "e2e-package-sdk",
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
    };
    await pulumi("login", `file://${path.join(tmp, "state")}`);
    // What pulumi-language-nodejs's RunPlugin runs for a `runtime: nodejs` plugin directory.
    const runPlugin = path.dirname(
      createRequire(path.join(COMPONENTS, "package.json")).resolve("@pulumi/pulumi/cmd/run-plugin"),
    );
    const shim = path.join(shims, "pulumi-resource-kubeplat");
    writeFileSync(
      shim,
      `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(runPlugin)} ${JSON.stringify(COMPONENTS)} "$@"\n`,
    );
    chmodSync(shim, 0o755);

    schemaFromPackage = await pulumi("package", "get-schema", shim);
    schemaFromCommittedFile = await pulumi("package", "get-schema", path.join(COMPONENTS, "schema.json"));

    const server = createServer((req, res) => {
      if (req.url === "/logo.png") res.writeHead(200, { "content-type": "image/png" }).end(LOGO);
      else res.writeHead(404).end();
    });
    logoServer = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const schemaFile = path.join(tmp, "kubeplat-schema.json");
    writeFileSync(
      schemaFile,
      JSON.stringify({ ...JSON.parse(schemaFromPackage), logoUrl: `http://127.0.0.1:${port}/logo.png` }),
    );
    sdkDir = path.join(tmp, "sdk");
    await pulumi("package", "gen-sdk", schemaFile, "--language", "dotnet", "--out", sdkDir);
    generated = new Map();
    const collect = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) collect(p);
        else if (e.name.endsWith(".cs")) generated.set(path.relative(sdkDir, p), readFileSync(p, "utf8"));
      }
    };
    collect(sdkDir);
    sdk = declarations(generated);
  }, 900_000); // get-schema starts the package and infers its schema: 2–4 min on a busy 2-core machine

  afterAll(async () => {
    await new Promise((resolve) => (logoServer ? logoServer.close(resolve) : resolve(undefined)));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("get-schema of the package prints what it prints for the committed components/schema.json", () => {
    expect(schemaFromPackage).toBe(schemaFromCommittedFile);
    const committed = JSON.parse(readFileSync(path.join(COMPONENTS, "schema.json"), "utf8"));
    const fromPackage = JSON.parse(schemaFromPackage);
    expect(fromPackage.name).toBe("kubeplat");
    expect(Object.keys(fromPackage.resources).sort()).toEqual(Object.keys(committed.resources).sort());
    expect(Object.keys(fromPackage.types).sort()).toEqual(Object.keys(committed.types).sort());
  });

  it("get-schema tells a stale schema file from the package's", async () => {
    const committed = JSON.parse(readFileSync(path.join(COMPONENTS, "schema.json"), "utf8"));
    const platform = committed.resources["kubeplat:index:Platform"];
    platform.inputProperties.environment.description = "stale";
    const stale = path.join(tmp, "stale-schema.json");
    writeFileSync(stale, JSON.stringify(committed));
    expect(await pulumi("package", "get-schema", stale)).not.toBe(schemaFromPackage);
  });

  it("the generated SDK's logo came from the loopback server", () => {
    expect(readFileSync(path.join(sdkDir, "dotnet", "logo.png"))).toEqual(LOGO);
  });

  it("gen-sdk --language dotnet writes the C# SDK: a class per component, Args, Inputs, Outputs and enums", () => {
    const committed = JSON.parse(readFileSync(path.join(COMPONENTS, "schema.json"), "utf8")) as {
      resources: Record<string, unknown>;
      types: Record<string, { enum?: unknown[] }>;
    };
    for (const token of Object.keys(committed.resources)) {
      const name = token.split(":")[2] as string;
      expect(sdk.get(name), name).toMatchObject({ namespace: NAMESPACE, kind: "class" });
      expect(sdk.get(`${name}Args`), `${name}Args`).toMatchObject({ namespace: NAMESPACE, kind: "class" });
    }
    for (const [token, t] of Object.entries(committed.types)) {
      const name = token.split(":")[2] as string;
      if (t.enum) expect(sdk.get(name), name).toMatchObject({ namespace: NAMESPACE, kind: "struct" });
      else
        expect(
          [sdk.get(`${name}Args`)?.namespace, sdk.get(name)?.namespace],
          `${name}Args (an input type) or ${name} (an output type)`,
        ).toContainEqual(expect.stringMatching(/^Pulumi\.Kubeplat\.(Inputs|Outputs)$/));
    }
  });

  it("the generated C# and Program.cs parse without syntax errors (tree-sitter's C# grammar)", () => {
    expect(generated.size).toBeGreaterThan(10);
    const errors = [...generated, ["examples/csharp-platform/Program.cs", PROGRAM] as const].flatMap(
      ([file, source]) => syntaxErrors(source).map((e) => `${file}:${e}`),
    );
    expect(errors).toEqual([]);
  });

  it("the parser rejects broken C#", () => {
    expect(syntaxErrors(PROGRAM.replace('Cidr = "10.0.0.0/14",', "Cidr = ,"))).not.toEqual([]);
    expect(syntaxErrors(PROGRAM.replace("});\n", "}\n"))).not.toEqual([]);
  });

  it("Program.cs uses the namespaces the generated SDK declares", () => {
    const namespaces = new Set([...sdk.values()].map((d) => d.namespace));
    for (const ns of [NAMESPACE, `${NAMESPACE}.Inputs`]) {
      expect(namespaces).toContain(ns);
      expect(PROGRAM).toContain(`using ${ns};`);
    }
  });

  it("Program.cs names only types, properties and enum members the generated SDK declares, with fitting values", () => {
    expect(checkProgram(sdk, PROGRAM)).toEqual([]);
  });

  it("a property, an enum member or a type the generated SDK lacks is caught", () => {
    const broken = PROGRAM.replace("MinSize = 2", "MinNodes = 2")
      .replace("ClusterCni.Terway", "ClusterCni.Cilium") // Cilium: a CNI the spec does not offer (Calico became one with self-managed clusters)
      .replace("new EnvironmentVpcArgs", "new VpcArgs")
      .replace('Region = "cn-hangzhou"', "Region = 7");
    const problems = checkProgram(sdk, broken).join("\n");
    expect(problems).toMatch(/EnvironmentNodePoolArgs has no property MinNodes/);
    expect(problems).toMatch(/ClusterCni has no member Cilium/);
    expect(problems).toMatch(/Environment\.Vpc: expects new EnvironmentVpcArgs/);
    expect(problems).toMatch(/Environment\.Region: string expected, the program gives a number/);
  });

  it("Program.cs reads only outputs the generated Platform and output types declare", () => {
    expect(outputReads(PROGRAM).length).toBeGreaterThanOrEqual(5);
    expect(checkOutputReads(sdk, PROGRAM)).toEqual([]);
    expect(checkOutputReads(sdk, PROGRAM.replace("o.Vpc.Id", "o.Vpc.Arn"))).toEqual([
      expect.stringMatching(/platform\.Outputs\.Vpc\.Arn: \w+ has no member Arn/),
    ]);
  });
});
