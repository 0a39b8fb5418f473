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

require("./src/provider.ts");
