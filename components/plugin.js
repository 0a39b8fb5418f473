// The component package's entry point (package.json `main`), run by Pulumi's Node.js language
// host when a program in any language uses the package.
//
// The host loads plugins under ts-node with type checking and the tsconfig of the *consumer's*
// working directory (a C# program has none), so it would check these sources under options they
// were not written for and refuse to start. This entry compiles the package's own TypeScript
// instead, transpile-only (the types are checked by `npm run typecheck`), and then starts the host
// in src/provider.ts. TypeScript is needed anyway: the host's schema inference reads the sources
// with it.

const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const ts = require("typescript");

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
};

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

// The sibling package @kubeplat/plan is run from its TypeScript sources too: its package.json
// names them under the `source` export condition (the one tsx and vitest use), which Node's
// require cannot be given from inside a running process, so the entry resolves it here.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^(@kubeplat\/plan)(\/.*)?$/.exec(request);
  if (m) {
    const manifest = resolveFilename.call(this, `${m[1]}/package.json`, parent, ...rest);
    const entry = require(manifest).exports[`.${m[2] ?? ""}`];
    const source = entry?.source && path.join(path.dirname(manifest), entry.source);
    if (source && fs.existsSync(source)) return source;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

require("./src/provider.ts");
