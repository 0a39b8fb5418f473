/**
 * The documented commands, typed as a user types them (README "The offline preview" and "Running
 * it for real"): a shell in the repository root runs `make plan ...` and `npx kubeplat plan ...`,
 * redirections included, and the test checks stdout, stderr and the exit status.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const ROOT = resolve(__dirname, "../..");
const SLOW = 240_000;

/**
 * The shell a user types into: not a sub-make. CI runs this suite inside `make test`, whose
 * MAKELEVEL/MAKEFLAGS would make every `make` typed here print "make[1]: Entering directory" on
 * stdout, which no user's `make plan ... > plan.json` sees.
 */
function userEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { MAKELEVEL: _level, MAKEFLAGS: _flags, MFLAGS: _mflags, MAKEOVERRIDES: _overrides, ...rest } = env;
  return rest;
}

function sh(command: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync("sh", ["-c", command], {
    cwd: ROOT,
    encoding: "utf8",
    env: userEnv(env),
    timeout: SLOW,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), "kubeplat-cli-"));

/** A copy of a shipped settings file under another environment name, optionally edited. */
function copyEnvironment(from: string, to: string, edit: (spec: Record<string, unknown>) => void = () => {}) {
  const dir = tmp();
  const doc = parse(readFileSync(join(ROOT, "stacks", `Pulumi.${from}.yaml`), "utf8"));
  edit(doc.config["platform:environment"]);
  writeFileSync(join(dir, `Pulumi.${to}.yaml`), stringify(doc));
  return dir;
}

/** No stack trace: an error is one clear line, not `at Object.<anonymous> (...)`. */
const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);

describe("make plan ENV=dev ARGS=--json > dev.json (the --baseline workflow)", () => {
  it(
    "writes only the JSON document to stdout, and a second run compares against it",
    () => {
      const dir = tmp();
      const r = sh(`make plan ENV=dev ARGS=--json > ${dir}/dev.json`);
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(readFileSync(join(dir, "dev.json"), "utf8"));
      expect(doc.environment).toBe("dev");
      expect(doc.resources.length).toBeGreaterThan(10);
      // The README's next step: compare a later plan with it.
      const again = sh(`make plan ENV=dev ARGS="--plan-only --baseline ${dir}/dev.json"`);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/baseline: \d+ allocations compared with .*dev\.json, none moved/);
    },
    SLOW,
  );

  it(
    "passes on the CLI's code on stderr when a mandatory rule is broken (make itself exits 2)",
    () => {
      const dir = copyEnvironment("dev", "bad", (spec) => {
        spec.name = "bad";
        (spec.clusters as [{ podCidr?: string }])[0].podCidr = "192.168.0.0/16";
      });
      const r = sh(`make plan ENV=bad ARGS="--plan-only --dir ${dir}"`);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("make plan: kubeplat plan exited 1");
    },
    SLOW,
  );
});

describe("npx kubeplat plan", () => {
  it(
    "npx kubeplat plan dev --json > dev.json: only JSON on stdout, exit 0",
    () => {
      const dir = tmp();
      const r = sh(`npx kubeplat plan dev --json > ${dir}/dev.json`);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, "dev.json"), "utf8")).plan.environment).toBe("dev");
    },
    SLOW,
  );

  it(
    "exits 1 on a mandatory violation, 2 on bad usage or an unknown environment",
    () => {
      const dir = copyEnvironment("dev", "bad", (spec) => {
        spec.name = "bad";
        (spec.clusters as [{ podCidr?: string }])[0].podCidr = "192.168.0.0/16";
      });
      const bad = sh(`npx kubeplat plan bad --plan-only --dir ${dir}`);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain("cidr/pod-overlaps-vpc");
      expect(sh("npx kubeplat plan dev --no-such-option").status).toBe(2);
      expect(sh("npx kubeplat plan").status).toBe(2);
      expect(sh("npx kubeplat frobnicate").status).toBe(2);
      const unknown = sh("npx kubeplat plan nope --plan-only");
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/no settings file .*Pulumi\.nope\.yaml/);
    },
    SLOW,
  );

  it(
    "refuses a baseline of another environment (exit 2)",
    () => {
      const dir = tmp();
      expect(sh(`npx kubeplat plan dev --plan-only --json > ${dir}/dev.json`).status).toBe(0);
      const r = sh(`npx kubeplat plan staging --plan-only --baseline ${dir}/dev.json`);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`is a plan of environment "dev", not "staging"`);
      // The same environment passes and says what it compared, on stderr with --json.
      const ok = sh(
        `npx kubeplat plan dev --plan-only --json --baseline ${dir}/dev.json > ${dir}/again.json`,
      );
      expect(ok.status).toBe(0);
      expect(ok.stderr).toMatch(/plan: baseline: \d+ allocations compared with .*, none moved/);
      JSON.parse(readFileSync(join(dir, "again.json"), "utf8"));
    },
    SLOW,
  );

  it(
    "--html or --policy-config to an unwritable path: one clear line, exit 2, no stack trace",
    () => {
      const html = sh("npx kubeplat plan dev --plan-only --html /nonexistent-dir/plan.html");
      expect(html.status).toBe(2);
      expect(html.stderr).toContain("plan: cannot write --html /nonexistent-dir/plan.html");
      noStack(html.stderr);
      const cfg = sh("npx kubeplat plan dev --plan-only --policy-config /nonexistent-dir/c.json");
      expect(cfg.status).toBe(2);
      expect(cfg.stderr).toContain("plan: cannot write --policy-config /nonexistent-dir/c.json");
      noStack(cfg.stderr);
    },
    SLOW,
  );

  it(
    "warns when the settings file's name and the spec's name differ",
    () => {
      const dir = copyEnvironment("dev", "qa");
      const r = sh(`npx kubeplat plan qa --plan-only --dir ${dir}`);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain(
        'plan: warning: Pulumi.qa.yaml is environment "qa" but its spec says name: dev',
      );
      const same = sh(`npx kubeplat plan dev --plan-only`);
      expect(same.stderr).not.toContain("warning");
    },
    SLOW,
  );

  it(
    "non-production deletion protection: the advisory names the spec field, and setting it clears it (spec and policy pack)",
    () => {
      const dev = sh("npx kubeplat plan dev --json");
      const doc = JSON.parse(dev.stdout);
      const advisories = [...doc.diagnostics, ...doc.policyDiagnostics].filter(
        (d: { rule: string }) => d.rule === "security/deletion-protection",
      );
      expect(advisories.length).toBeGreaterThan(0);
      // The spec's advisory sits at the field; the policy pack's (on the raw resource) names it.
      for (const d of advisories) expect(d.message).toContain("security.deletionProtection");
      expect(doc.diagnostics.map((d: { path: string }) => d.path)).toContain(
        "clusters[0].security.deletionProtection",
      );
      const dir = copyEnvironment("dev", "dev", (spec) => {
        const c = (spec.clusters as [{ security?: Record<string, unknown> }])[0];
        c.security = { ...(c.security ?? {}), deletionProtection: true };
      });
      const fixed = JSON.parse(sh(`npx kubeplat plan dev --json --dir ${dir}`).stdout);
      const left = [...fixed.diagnostics, ...fixed.policyDiagnostics].filter(
        (d: { rule: string }) => d.rule === "security/deletion-protection",
      );
      expect(left).toEqual([]);
    },
    SLOW,
  );
});

describe("make preview / make up without the Pulumi CLI", () => {
  /** PATH without any directory that holds a `pulumi`. */
  const pathWithoutPulumi = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((d) => {
      try {
        accessSync(join(d, "pulumi"), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    })
    .join(delimiter);

  it.each(["preview", "up"])("make %s ENV=dev says how to install it, before building anything", (target) => {
    const r = sh(`make ${target} ENV=dev`, { ...process.env, PATH: pathWithoutPulumi });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("the Pulumi CLI (pulumi) is not on PATH");
    expect(r.stderr).toContain("https://www.pulumi.com/docs/install/");
    expect(r.stdout + r.stderr).not.toContain("tsc -b");
  });
});
