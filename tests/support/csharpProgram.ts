/**
 * A reader for the C# subset examples/csharp-platform/Program.cs uses: object and collection
 * initializers, string/number/bool literals, enum members, `stack`, `production` and `+`. It turns
 * the `new Platform(stack, new PlatformArgs { ... })` call into a tree of the SDK types, properties
 * and enum members the program names, which the tests check against the package schema
 * (tests/examples/csharpPlatform.test.ts) and against the C# SDK that `pulumi package gen-sdk`
 * generates (e2e/tests/package-sdk.e2e.test.ts).
 */

export type Token = { kind: "string" | "number" | "ident" | "punct"; text: string; line: number };

export function tokenize(source: string): Token[] {
  const out: Token[] = [];
  const re =
    /\s+|\/\/[^\n]*|"((?:[^"\\]|\\.)*)"|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(=>|\?\?|[{}()[\],;=.+<>?!:])/gy;
  let m: RegExpExecArray | null = re.exec(source);
  while (m !== null) {
    const line = source.slice(0, m.index).split("\n").length;
    if (m[1] !== undefined) out.push({ kind: "string", text: JSON.parse(`"${m[1]}"`) as string, line });
    else if (m[2] !== undefined) out.push({ kind: "number", text: m[2], line });
    else if (m[3] !== undefined) out.push({ kind: "ident", text: m[3], line });
    else if (m[4] !== undefined) out.push({ kind: "punct", text: m[4], line });
    if (re.lastIndex >= source.length) break;
    m = re.exec(source);
  }
  if (re.lastIndex < source.length) throw new Error(`cannot read Program.cs at offset ${re.lastIndex}`);
  return out;
}

export type Value =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "enum"; type: string; member: string; line: number }
  | { kind: "object"; type: string; props: [string, Value, number][]; line: number }
  | { kind: "list"; items: Value[] }
  | { kind: "map"; entries: [Value, Value][] };

/** The program's variables: the stack name and the `production` config. */
export function variables(stack: string, production: boolean): Record<string, Value> {
  return { stack: { kind: "string", value: stack }, production: { kind: "boolean", value: production } };
}

export class Reader {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    start: number,
    private readonly vars: Record<string, Value>,
  ) {
    this.i = start;
  }
  private peek(offset = 0): Token {
    const t = this.tokens[this.i + offset];
    if (!t) throw new Error("unexpected end of Program.cs");
    return t;
  }
  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) throw new Error(`Program.cs line ${t.line}: expected '${text}', found '${t.text}'`);
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.kind === "punct" && t.text === text;
  }

  expression(): Value {
    let left = this.term();
    while (this.isPunct("+")) {
      this.next();
      const right = this.term();
      if (left.kind !== "string" || right.kind !== "string") throw new Error("'+' of non-strings");
      left = { kind: "string", value: left.value + right.value };
    }
    return left;
  }

  private term(): Value {
    const t = this.next();
    if (t.kind === "string") return { kind: "string", value: t.text };
    if (t.kind === "number") return { kind: "number", value: Number(t.text) };
    if (t.kind === "punct" && t.text === "{") return this.collection();
    if (t.kind !== "ident") throw new Error(`Program.cs line ${t.line}: unexpected '${t.text}'`);
    if (t.text === "true" || t.text === "false") return { kind: "boolean", value: t.text === "true" };
    if (t.text === "new") {
      const type = this.next();
      this.expect("{");
      return this.object(type.text, type.line);
    }
    if (this.isPunct(".")) {
      this.next();
      return { kind: "enum", type: t.text, member: this.next().text, line: t.line };
    }
    const variable = this.vars[t.text];
    if (!variable) throw new Error(`Program.cs line ${t.line}: unknown name '${t.text}'`);
    return variable;
  }

  /** `{ Prop = value, ... }` after `new Type`. */
  object(type: string, line: number): Value {
    const props: [string, Value, number][] = [];
    while (!this.isPunct("}")) {
      const name = this.next();
      this.expect("=");
      props.push([name.text, this.expression(), name.line]);
      if (this.isPunct(",")) this.next();
    }
    this.expect("}");
    return { kind: "object", type, props, line };
  }

  /** `{ a, b }` (a list) or `{ { k, v }, ... }` (a dictionary), after the `{`. */
  private collection(): Value {
    if (this.isPunct("{")) {
      const entries: [Value, Value][] = [];
      while (!this.isPunct("}")) {
        this.expect("{");
        const k = this.expression();
        this.expect(",");
        const v = this.expression();
        this.expect("}");
        entries.push([k, v]);
        if (this.isPunct(",")) this.next();
      }
      this.expect("}");
      return { kind: "map", entries };
    }
    const items: Value[] = [];
    while (!this.isPunct("}")) {
      items.push(this.expression());
      if (this.isPunct(",")) this.next();
    }
    this.expect("}");
    return { kind: "list", items };
  }
}

/** `new Platform(stack, new PlatformArgs { ... })`: the component's name argument and its args. */
export function readPlatformCall(tokens: Token[], vars = variables("dev", false)): Value {
  const at = tokens.findIndex(
    (t, i) => t.text === "new" && tokens[i + 1]?.text === "Platform" && tokens[i + 2]?.text === "(",
  );
  if (at < 0) throw new Error("Program.cs constructs no Platform");
  const args = tokens.findIndex((t, i) => i > at && t.text === "PlatformArgs");
  const reader = new Reader(tokens, args + 2, vars);
  return reader.object("PlatformArgs", tokens[args]?.line ?? 0);
}

/** An output the program reads: `platform.<Output>` or `platform.<Output>.Apply(o => o.A.B)`. */
export type OutputRead = { output: string; members: string[] };

/** Every read of a Platform output in the program, with the member chain its `Apply` follows. */
export function outputReads(program: string): OutputRead[] {
  return [...program.matchAll(/platform\.(\w+)(?:\.Apply\(\w+ => \w+((?:\.\w+)+)\))?/g)].map(
    ([, output, chain]) => ({
      output: output as string,
      members: (chain ?? "").split(".").filter(Boolean),
    }),
  );
}
